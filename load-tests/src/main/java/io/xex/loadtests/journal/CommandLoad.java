package io.xex.loadtests.journal;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.xex.matching.Command;
import io.xex.runtime.engine.CommandRefusedException;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;
import io.xex.runtime.engine.EngineProxy;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Drives the engine through {@link EngineProxy#submit} from one Vert.x event-loop context, the way a gateway
 * connection would: every submission is made on that context and every acknowledgement (the submit future,
 * completing once the command is durable) arrives on it. Two models:
 *
 * <ul>
 *   <li>{@link #closedLoop}: a fixed number of commands in flight, each acknowledgement lets the next one in; the
 *       acknowledgements per second are the durable throughput.</li>
 *   <li>{@link #offeredRate}: an open model without coordinated omission. Command {@code i} is due at
 *       {@code t0 + i / rate}; a generator thread wakes every tick and posts one task to the context, which
 *       submits every command due by then (all of them, however far behind). Latency is acknowledgement time
 *       minus due time, so a late submission counts against the system, never in its favour.</li>
 * </ul>
 *
 * <p>Confined to its context; the generator thread only reads the clock and posts tasks to it.
 */
final class CommandLoad {
    static final String GENERATOR_THREAD = "xex-bench-generator";
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);
    private static final int SETUP_CHUNK = 1_000;
    private static final long REFUSED_BACKOFF_MS = 1;

    /** How the commands came out, counted once per command: traded (at least once), rested, rejected. */
    static final class Outcomes {
        long commands;
        long traded;
        long rested;
        long rejected;

        void add(CommandResult result) {
            commands++;
            boolean trade = false;
            boolean rest = false;
            boolean reject = false;
            for (EngineEvent event : result.events()) {
                switch (event) {
                    case EngineEvent.Trade t -> trade = true;
                    case EngineEvent.OrderRested r -> rest = true;
                    case EngineEvent.Rejected r -> reject = true;
                    default -> {
                    }
                }
            }
            traded += trade ? 1 : 0;
            rested += rest ? 1 : 0;
            rejected += reject ? 1 : 0;
        }

        double percent(long n) {
            return commands == 0 ? Double.NaN : 100.0 * n / commands;
        }
    }

    /** A closed-loop run: {@code acked} acknowledgements arrived between the two samples. */
    record ClosedResult(int window, long acked, long refused, Usage.Between usage, Outcomes outcomes) {
        double perSecond() {
            return acked / usage.seconds();
        }
    }

    /**
     * An offered-rate run. Of the commands due in the measured window, {@code acked} were acknowledged (their
     * latencies are in {@code latencyNs}) and {@code refused} refused; {@code ackedInWindow} acknowledgements (of
     * any command) arrived within the window; {@code submitLagNs} is how late the harness submitted them.
     */
    record OpenResult(double offeredPerSecond, long offered, long acked, long refused, long ackedInWindow,
                      long measureNs, Histogram latencyNs, Histogram submitLagNs, Usage.Between usage,
                      Outcomes outcomes, List<Moment> worst) {
        double achievedPerSecond() {
            return ackedInWindow * 1e9 / measureNs;
        }
    }

    /** The worst latency of the commands due in one {@link #MOMENT_MS} slice, and when the slice began (epoch ms). */
    record Moment(long epochMs, long worstLatencyNs) {
    }

    static final int MOMENT_MS = 100;
    static final int WORST_MOMENTS = 3;

    private final Context context;
    private final EngineProxy proxy;
    private final OrderFlow flow;
    private final Supplier<Usage.Sample> sampler;

    CommandLoad(Context context, EngineProxy proxy, OrderFlow flow, Supplier<Usage.Sample> sampler) {
        this.context = context;
        this.proxy = proxy;
        this.flow = flow;
        this.sampler = sampler;
    }

    /** Submits {@code commands} in chunks, in order; fails if any is refused or rejected. */
    Future<Void> setup(List<Command> commands) {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> setupChunk(commands, 0, done));
        return done.future();
    }

    private void setupChunk(List<Command> commands, int from, Promise<Void> done) {
        if (from >= commands.size()) {
            done.complete();
            return;
        }
        List<Future<CommandResult>> chunk = new ArrayList<>(SETUP_CHUNK);
        for (Command command : commands.subList(from, Math.min(commands.size(), from + SETUP_CHUNK))) {
            chunk.add(proxy.submit(command));
        }
        Future.all(chunk).onComplete(ar -> {
            if (ar.failed()) {
                done.fail(ar.cause());
                return;
            }
            for (Future<CommandResult> f : chunk) {
                for (EngineEvent event : f.result().events()) {
                    if (event instanceof EngineEvent.Rejected r) {
                        done.fail(new IllegalStateException("setup command rejected: " + r));
                        return;
                    }
                }
            }
            setupChunk(commands, from + SETUP_CHUNK, done);
        });
    }

    /** Keeps {@code window} commands in flight; measures {@code measureNs} after {@code warmupNs}. */
    Future<ClosedResult> closedLoop(int window, long warmupNs, long measureNs) {
        ClosedLoop loop = new ClosedLoop(window);
        context.runOnContext(v -> loop.begin(warmupNs, measureNs));
        return loop.done.future();
    }

    /**
     * Offers {@code perSecond} commands per second for {@code warmupNs + measureNs}, measuring the commands due in
     * the last {@code measureNs}; the generator wakes every {@code tickNs}. Completes when every command is
     * answered.
     */
    Future<OpenResult> offeredRate(double perSecond, long warmupNs, long measureNs, long tickNs) {
        OpenLoop loop = new OpenLoop(perSecond, warmupNs, measureNs);
        Thread generator = new Thread(() -> loop.generate(tickNs), GENERATOR_THREAD);
        generator.setDaemon(true);
        generator.start();
        return loop.done.future();
    }

    private final class ClosedLoop {
        final int window;
        final Promise<ClosedResult> done = Promise.promise();
        final Outcomes outcomes = new Outcomes();
        int inFlight;
        boolean issuing = true;
        boolean measuring;
        boolean backingOff;
        long acked;
        long refused;
        Usage.Sample start;
        Usage.Sample end;

        ClosedLoop(int window) {
            this.window = window;
        }

        void begin(long warmupNs, long measureNs) {
            context.owner().setTimer(TimeUnit.NANOSECONDS.toMillis(warmupNs), t -> {
                start = sampler.get();
                measuring = true;
            });
            context.owner().setTimer(TimeUnit.NANOSECONDS.toMillis(warmupNs + measureNs), t -> {
                end = sampler.get();
                measuring = false;
                issuing = false;
                maybeDone();
            });
            topUp();
        }

        void topUp() {
            while (issuing && !backingOff && inFlight < window) {
                inFlight++;
                proxy.submit(flow.next()).onComplete(this::answered);
            }
        }

        void answered(AsyncResult<CommandResult> ar) {
            inFlight--;
            if (ar.succeeded()) {
                if (measuring) {
                    acked++;
                    outcomes.add(ar.result());
                }
            } else if (ar.cause() instanceof CommandRefusedException) {
                refused++;
                if (issuing && !backingOff) {
                    backingOff = true;
                    context.owner().setTimer(REFUSED_BACKOFF_MS, t -> {
                        backingOff = false;
                        topUp();
                    });
                }
            } else {
                done.tryFail(ar.cause());
                return;
            }
            if (issuing) {
                topUp();
            } else {
                maybeDone();
            }
        }

        void maybeDone() {
            if (!issuing && inFlight == 0) {
                done.tryComplete(new ClosedResult(window, acked, refused, new Usage.Between(start, end), outcomes));
            }
        }
    }

    private final class OpenLoop {
        final double perSecond;
        final long t0Ns;
        final long total;
        final long measureStartNs;
        final long measureEndNs;
        final Promise<OpenResult> done = Promise.promise();
        final AtomicBoolean posted = new AtomicBoolean();
        final Histogram latencyNs = new Histogram(HIGHEST_NS, 3);
        final Histogram submitLagNs = new Histogram(HIGHEST_NS, 3);
        final Outcomes outcomes = new Outcomes();
        final long t0EpochMs;
        final long[] worstBySlice;
        volatile boolean allSubmitted;

        // Confined to the context:
        long submitted;
        int inFlight;
        long offered;
        long acked;
        long refused;
        long ackedInWindow;
        Usage.Sample start;
        Usage.Sample end;

        OpenLoop(double perSecond, long warmupNs, long measureNs) {
            this.perSecond = perSecond;
            this.t0Ns = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
            this.measureStartNs = t0Ns + warmupNs;
            this.measureEndNs = measureStartNs + measureNs;
            this.total = (long) Math.ceil((warmupNs + measureNs) / 1e9 * perSecond);
            this.t0EpochMs = System.currentTimeMillis() + TimeUnit.NANOSECONDS.toMillis(t0Ns - System.nanoTime());
            this.worstBySlice = new long[(int) (TimeUnit.NANOSECONDS.toMillis(warmupNs + measureNs) / MOMENT_MS + 1)];
        }

        /** The slices with the worst latencies, worst first. */
        List<Moment> worst() {
            List<Moment> moments = new ArrayList<>();
            for (int i = 0; i < worstBySlice.length; i++) {
                long sliceStartNs = t0Ns + TimeUnit.MILLISECONDS.toNanos((long) i * MOMENT_MS);
                if (worstBySlice[i] > 0 && sliceStartNs >= measureStartNs) {
                    moments.add(new Moment(t0EpochMs + (long) i * MOMENT_MS, worstBySlice[i]));
                }
            }
            moments.sort((a, b) -> Long.compare(b.worstLatencyNs(), a.worstLatencyNs()));
            return List.copyOf(moments.subList(0, Math.min(WORST_MOMENTS, moments.size())));
        }

        long dueNs(long i) {
            return t0Ns + (long) (i * 1e9 / perSecond);
        }

        /** The generator thread: posts a submitting task each tick unless one is still waiting to run. */
        void generate(long tickNs) {
            while (!allSubmitted) {
                if (System.nanoTime() >= t0Ns && posted.compareAndSet(false, true)) {
                    context.runOnContext(v -> submitDue());
                }
                LockSupport.parkNanos(tickNs);
            }
        }

        void submitDue() {
            posted.set(false);
            long nowNs = System.nanoTime();
            if (start == null && nowNs >= measureStartNs) {
                start = sampler.get();
            }
            long due = Math.min(total, (long) ((nowNs - t0Ns) * perSecond / 1e9) + 1);
            for (long i = submitted; i < due; i++) {
                long dueNs = dueNs(i);
                boolean measured = dueNs >= measureStartNs && dueNs < measureEndNs;
                if (measured) {
                    offered++;
                    submitLagNs.recordValue(Math.min(Math.max(0, System.nanoTime() - dueNs), HIGHEST_NS));
                }
                inFlight++;
                proxy.submit(flow.next()).onComplete(ar -> answered(ar, dueNs, measured));
            }
            submitted = Math.max(submitted, due);
            if (submitted == total && !allSubmitted) {
                if (start == null) {
                    start = sampler.get();
                }
                end = sampler.get();
                allSubmitted = true;
                maybeDone();
            }
        }

        void answered(AsyncResult<CommandResult> ar, long dueNs, boolean measured) {
            inFlight--;
            long nowNs = System.nanoTime();
            if (ar.succeeded()) {
                if (nowNs >= measureStartNs && nowNs < measureEndNs) {
                    ackedInWindow++;
                }
                if (measured) {
                    acked++;
                    latencyNs.recordValue(Math.min(nowNs - dueNs, HIGHEST_NS));
                    int slice = (int) (TimeUnit.NANOSECONDS.toMillis(dueNs - t0Ns) / MOMENT_MS);
                    worstBySlice[slice] = Math.max(worstBySlice[slice], nowNs - dueNs);
                    outcomes.add(ar.result());
                }
            } else if (ar.cause() instanceof CommandRefusedException) {
                if (measured) {
                    refused++;
                }
            } else {
                done.tryFail(ar.cause());
            }
            maybeDone();
        }

        void maybeDone() {
            if (allSubmitted && inFlight == 0) {
                done.tryComplete(new OpenResult(perSecond, offered, acked, refused, ackedInWindow,
                    measureEndNs - measureStartNs, latencyNs, submitLagNs, new Usage.Between(start, end), outcomes,
                    worst()));
            }
        }
    }
}
