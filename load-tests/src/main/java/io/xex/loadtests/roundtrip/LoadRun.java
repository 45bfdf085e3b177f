package io.xex.loadtests.roundtrip;

import io.vertx.core.Future;
import io.xex.loadtests.Harness;
import io.xex.loadtests.journal.Usage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One run at one offered rate over connections already open, open model without coordinated omission (the way of
 * {@code journal.CommandLoad#offeredRate}): request {@code i} is due at {@code t0 + i / rate} and goes out on
 * connection {@code i % connections}; a generator thread wakes every tick and tells each connection with something
 * newly due to send everything due by then, however far behind. Latency is the answer's arrival minus the request's
 * due time, so a late send counts against the server, never in its favour. Requests due in the warm-up are sent and
 * answered but not measured; the run ends when every request is answered or the drain time is over. CPU and the
 * venue's meters are sampled at the edges of the measured window.
 *
 * <p>Blocks: called from the main thread only.
 */
public final class LoadRun {
    public static final String GENERATOR_THREAD = "load-generator";
    public static final String SAMPLER_THREAD = "load-sampler";
    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(50);
    private static final long JOIN_TIMEOUT_S = 30;

    /** How every run goes: warm-up and measured window, the generator's tick, the longest wait for answers after. */
    public record Timing(long warmupNs, long measureNs, long tickNs, long drainNs) {
    }

    private LoadRun() {
    }

    /** Offers {@code rate} requests per second over {@code connections}, which stay open. */
    public static RunResult run(String system, int rate, List<? extends LoadConnection> connections, Timing timing,
                                Supplier<Usage.Sample> sampler) {
        long startNs = System.nanoTime() + START_DELAY_NS;
        Schedule schedule = Schedule.of(rate, startNs, timing.warmupNs(), timing.measureNs(), connections.size());
        connections.forEach(c -> c.start(schedule));
        Usage.Sample[] samples = new Usage.Sample[2];
        Thread samplerThread = new Thread(() -> {
            sleepUntil(schedule.measureStartNs());
            samples[0] = sampler.get();
            sleepUntil(schedule.measureEndNs());
            samples[1] = sampler.get();
        }, SAMPLER_THREAD);
        Thread generator = new Thread(() -> generate(schedule, connections, timing.tickNs()), GENERATOR_THREAD);
        samplerThread.setDaemon(true);
        generator.setDaemon(true);
        samplerThread.start();
        generator.start();
        long runNs = schedule.measureEndNs() - System.nanoTime();
        try {
            Future.all(connections.stream().map(LoadConnection::done).toList()).toCompletionStage().toCompletableFuture()
                .get(runNs + timing.drainNs(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // counted as unanswered
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().toString(), e.getCause());
        }
        join(generator);
        join(samplerThread);
        List<Tally> tallies = new ArrayList<>();
        for (LoadConnection connection : connections) {
            tallies.add(Harness.await(connection.tally(), JOIN_TIMEOUT_S));
        }
        return RunResult.merge(system, rate, schedule, tallies, new Usage.Between(samples[0], samples[1]));
    }

    /** Closes every connection, waiting for each, whatever happens to the others. */
    public static void close(List<? extends LoadConnection> connections) {
        for (LoadConnection connection : connections) {
            try {
                Harness.await(connection.close(), JOIN_TIMEOUT_S);
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
    }

    /** The generator thread: each tick, tells every connection with a request newly due to send. */
    private static void generate(Schedule schedule, List<? extends LoadConnection> connections, long tickNs) {
        int n = connections.size();
        long posted = 0;
        while (posted < schedule.total()) {
            long due = schedule.dueBy(System.nanoTime());
            if (due > posted) {
                if (due - posted >= n) {
                    connections.forEach(LoadConnection::post);
                } else {
                    for (long i = posted; i < due; i++) {
                        connections.get((int) (i % n)).post();
                    }
                }
                posted = due;
            }
            LockSupport.parkNanos(tickNs);
        }
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(JOIN_TIMEOUT_S));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
