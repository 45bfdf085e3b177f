package io.xex.loadtests.journal;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.xex.runtime.store.JournalStore;
import org.HdrHistogram.Histogram;

import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The store's own limit: journal rows written with {@link JournalStore#append} in full batches, as fast as the
 * database takes them, with a fixed number of writes in flight and nothing else going on: no engine, no
 * acknowledgements, rows encoded beforehand. Each write that commits starts the next one at once.
 *
 * <p>Confined to the context given to {@link #run}.
 */
final class PlainInsert {
    /** What one run measured: {@code rows} committed from the first write to the last commit, the two samples. */
    record Result(int batchSize, int inFlight, long rows, Usage.Sample start, Usage.Sample end, Histogram commitNs) {
        double rowsPerSecond() {
            return rows * 1e9 / (end.nanoTime() - start.nanoTime());
        }
    }

    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);

    private final JournalStore store;
    private final byte[][] commands;
    private final int batchSize;
    private final int inFlight;
    private final Supplier<Usage.Sample> sampler;
    private final Histogram commitNs = new Histogram(HIGHEST_NS, 3);
    private final Promise<Result> done = Promise.promise();

    // Confined to the context:
    private long nextSequence = 1;
    private long rows;
    private long endNs;
    private int chainsEnded;
    private Usage.Sample start;

    private PlainInsert(JournalStore store, byte[][] commands, int batchSize, int inFlight, Supplier<Usage.Sample> sampler) {
        this.store = store;
        this.commands = commands;
        this.batchSize = batchSize;
        this.inFlight = inFlight;
        this.sampler = sampler;
    }

    /**
     * Writes batches of {@code batchSize} rows, {@code inFlight} at a time, into an empty journal, starting new
     * ones for {@code durationNs}; the rows' commands cycle through {@code commands}. Completes after the last
     * commit.
     */
    static Future<Result> run(Context context, JournalStore store, byte[][] commands, int batchSize, int inFlight,
                              long durationNs, Supplier<Usage.Sample> sampler) {
        PlainInsert insert = new PlainInsert(store, commands, batchSize, inFlight, sampler);
        context.runOnContext(v -> insert.begin(durationNs));
        return insert.done.future();
    }

    private void begin(long durationNs) {
        start = sampler.get();
        endNs = start.nanoTime() + durationNs;
        for (int i = 0; i < inFlight; i++) {
            write(new long[batchSize], new long[batchSize], new byte[batchSize][]);
        }
    }

    /** One chain of writes; its arrays are reused, {@link JournalStore#append} having copied them. */
    private void write(long[] sequences, long[] timestampsNs, byte[][] batch) {
        long nowNs = System.nanoTime();
        if (nowNs >= endNs) {
            if (++chainsEnded == inFlight) {
                done.complete(new Result(batchSize, inFlight, rows, start, sampler.get(), commitNs));
            }
            return;
        }
        long wallNs = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < batchSize; i++) {
            long sequence = nextSequence++;
            sequences[i] = sequence;
            timestampsNs[i] = wallNs;
            batch[i] = commands[(int) (sequence % commands.length)];
        }
        store.append(sequences, timestampsNs, batch, batchSize).onComplete(ar -> {
            if (ar.failed()) {
                done.tryFail(ar.cause());
                return;
            }
            rows += batchSize;
            commitNs.recordValue(Math.min(System.nanoTime() - nowNs, HIGHEST_NS));
            write(sequences, timestampsNs, batch);
        });
    }
}
