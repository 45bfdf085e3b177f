package io.xex.loadtests.journal;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.xex.runtime.store.JournalStore;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * The store's own latency at an offered rate: the simplest group commit there is, with nothing else around it. Row
 * {@code i} is due at {@code t0 + i / rate} (the open model of {@link CommandLoad#offeredRate}, same generator);
 * with one write in flight, each write takes every row due and not yet written (up to {@code maxBatch}) with
 * {@link JournalStore#append}, and a row's latency is its write's commit time minus its due time. What the runtime
 * adds to this (matching, hand-offs between threads, acknowledgements) is the difference between the two.
 *
 * <p>Confined to the context given to {@link #run}; the generator thread only posts tasks to it.
 */
final class PlainGroupCommit {
    /** What one run measured: the latencies of the rows due in the measured window, and the usage over it. */
    record Result(double offeredPerSecond, long rows, long writes, Histogram latencyNs, Usage.Between usage) {
        double meanBatch() {
            return writes == 0 ? Double.NaN : (double) rows / writes;
        }
    }

    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);

    private final Context context;
    private final JournalStore store;
    private final byte[][] commands;
    private final double perSecond;
    private final int maxBatch;
    private final Supplier<Usage.Sample> sampler;
    private final long t0Ns;
    private final long measureStartNs;
    private final long measureEndNs;
    private final long total;
    private final long[] sequences;
    private final long[] timestampsNs;
    private final byte[][] batch;
    private final Histogram latencyNs = new Histogram(HIGHEST_NS, 3);
    private final AtomicBoolean posted = new AtomicBoolean();
    private final Promise<Result> done = Promise.promise();
    private volatile boolean finished;

    // Confined to the context:
    private long due;
    private long written;
    private boolean inFlight;
    private long rows;
    private long writes;
    private Usage.Sample start;
    private Usage.Sample end;

    private PlainGroupCommit(Context context, JournalStore store, byte[][] commands, double perSecond, int maxBatch,
                             long warmupNs, long measureNs, Supplier<Usage.Sample> sampler) {
        this.context = context;
        this.store = store;
        this.commands = commands;
        this.perSecond = perSecond;
        this.maxBatch = maxBatch;
        this.sampler = sampler;
        this.t0Ns = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(10);
        this.measureStartNs = t0Ns + warmupNs;
        this.measureEndNs = measureStartNs + measureNs;
        this.total = (long) Math.ceil((warmupNs + measureNs) / 1e9 * perSecond);
        this.sequences = new long[maxBatch];
        this.timestampsNs = new long[maxBatch];
        this.batch = new byte[maxBatch][];
    }

    /**
     * Offers {@code perSecond} rows per second into an empty journal for {@code warmupNs + measureNs}, measuring the
     * rows due in the last {@code measureNs}; the generator wakes every {@code tickNs}.
     */
    static Future<Result> run(Context context, JournalStore store, byte[][] commands, double perSecond, int maxBatch,
                              long warmupNs, long measureNs, long tickNs, Supplier<Usage.Sample> sampler) {
        PlainGroupCommit run = new PlainGroupCommit(context, store, commands, perSecond, maxBatch, warmupNs, measureNs,
            sampler);
        Thread generator = new Thread(() -> run.generate(tickNs), CommandLoad.GENERATOR_THREAD);
        generator.setDaemon(true);
        generator.start();
        return run.done.future();
    }

    private void generate(long tickNs) {
        while (!finished) {
            if (System.nanoTime() >= t0Ns && posted.compareAndSet(false, true)) {
                context.runOnContext(v -> tick());
            }
            LockSupport.parkNanos(tickNs);
        }
    }

    private long dueNs(long i) {
        return t0Ns + (long) (i * 1e9 / perSecond);
    }

    private void tick() {
        posted.set(false);
        long nowNs = System.nanoTime();
        if (start == null && nowNs >= measureStartNs) {
            start = sampler.get();
        }
        if (end == null && nowNs >= measureEndNs) {
            end = sampler.get();
        }
        due = Math.min(total, (long) ((nowNs - t0Ns) * perSecond / 1e9) + 1);
        write();
    }

    private void write() {
        if (inFlight) {
            return;
        }
        if (written == total) {
            if (!finished) {
                finished = true;
                if (end == null) {
                    end = sampler.get();
                }
                done.complete(new Result(perSecond, rows, writes, latencyNs, new Usage.Between(start, end)));
            }
            return;
        }
        int n = (int) Math.min(maxBatch, due - written);
        if (n == 0) {
            return;
        }
        long first = written;
        long wallNs = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < n; i++) {
            long sequence = first + i + 1;
            sequences[i] = sequence;
            timestampsNs[i] = wallNs;
            batch[i] = commands[(int) (sequence % commands.length)];
        }
        written += n;
        inFlight = true;
        store.append(sequences, timestampsNs, batch, n).onComplete(ar -> {
            inFlight = false;
            if (ar.failed()) {
                finished = true;
                done.tryFail(ar.cause());
                return;
            }
            long committedNs = System.nanoTime();
            for (long i = first; i < first + n; i++) {
                long dueNs = dueNs(i);
                if (dueNs >= measureStartNs && dueNs < measureEndNs) {
                    rows++;
                    latencyNs.recordValue(Math.min(committedNs - dueNs, HIGHEST_NS));
                }
            }
            long firstDueNs = dueNs(first);
            if (firstDueNs >= measureStartNs && firstDueNs < measureEndNs) {
                writes++;
            }
            write();
        });
    }
}
