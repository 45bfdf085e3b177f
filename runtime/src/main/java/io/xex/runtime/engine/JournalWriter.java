package io.xex.runtime.engine;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.xex.runtime.config.JournalConfig;
import io.xex.runtime.config.SnapshotConfig;
import io.xex.runtime.store.JournalStore;
import io.xex.runtime.store.SnapshotStore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The durable command journal with group commit. The matching thread hands over every applied command;
 * while writes are in flight (at most {@code journal.writes.max}) the next commands accumulate, and the next
 * write takes all of them (up to {@code journal.batch.max}) in one statement. Commands are acknowledged to
 * their submitters and published to subscribers strictly in sequence order: a batch only once it and every
 * batch before it have committed. A failed write is retried, the same batch, with a growing delay, until the
 * database answers again; meanwhile commands accumulate up to {@code journal.pending.max} (see
 * {@link EngineProxy}). If the process dies while an earlier batch is missing and a later one committed, the
 * journal has a gap; nothing after it was acknowledged, and recovery deletes it.
 *
 * <p>Snapshots travel the same queue, so a snapshot of sequence S is saved only once every command up to S
 * is durable.
 *
 * <p>{@link #append} and {@link #snapshot} are called by the matching thread; everything else runs on the
 * writer's own Vert.x context.
 */
final class JournalWriter {
    /** A command applied by the engine, waiting to be durable. */
    record Applied(CommandResult result, byte[] encoded, Submission.OfCommand submission) {
    }

    private record SnapshotItem(long sequence, long timestampNs, long stateHash, byte[] state) {
    }

    /** One batch on its way to the journal. Confined to the writer's context. */
    private static final class Write {
        final List<Applied> batch;
        final long[] sequences;
        final long[] timestamps;
        final byte[][] commands;
        boolean committed;
        boolean failed;

        Write(List<Applied> batch) {
            this.batch = batch;
            int n = batch.size();
            sequences = new long[n];
            timestamps = new long[n];
            commands = new byte[n][];
            for (int i = 0; i < n; i++) {
                sequences[i] = batch.get(i).result().sequence();
                timestamps[i] = batch.get(i).result().timestampNs();
                commands[i] = batch.get(i).encoded();
            }
        }
    }

    private final Context context;
    private final JournalStore journal;
    private final SnapshotStore snapshots;
    private final JournalConfig config;
    private final SnapshotConfig snapshotConfig;
    private final EngineEventAdapter adapter;
    private final Pending pending;
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Timer commitTimer;
    private final DistributionSummary batchSize;

    // Confined to the writer's context:
    /** Batches sent and not yet acknowledged, in sequence order. */
    private final ArrayDeque<Write> writes = new ArrayDeque<>();
    private boolean retryScheduled;
    private long retryDelayMs;
    private int savesInFlight;
    private final List<Waiter> waiters = new ArrayList<>();

    // Written on the writer's context, read anywhere:
    private volatile long durableSequence;
    private volatile boolean available = true;
    private volatile long failures;

    private record Waiter(long sequence, Promise<Void> promise) {
    }

    private record Barrier(long sequence, Runnable action) {
    }

    /** Added by the matching thread in sequence order, run on the writer's context once durable. */
    private final Queue<Barrier> barriers = new ConcurrentLinkedQueue<>();

    JournalWriter(Context context, JournalStore journal, SnapshotStore snapshots, JournalConfig config,
                  SnapshotConfig snapshotConfig, EngineEventAdapter adapter, Pending pending, long recoveredSequence,
                  MeterRegistry registry) {
        this.context = context;
        this.journal = journal;
        this.snapshots = snapshots;
        this.config = config;
        this.snapshotConfig = snapshotConfig;
        this.adapter = adapter;
        this.pending = pending;
        this.durableSequence = recoveredSequence;
        this.retryDelayMs = config.retryInitialMs();
        this.commitTimer = Timer.builder(RuntimeMetric.JOURNAL_COMMIT.meterName())
            .description(RuntimeMetric.JOURNAL_COMMIT.description())
            .publishPercentiles(0.5, 0.99, 0.999).register(registry);
        this.batchSize = DistributionSummary.builder(RuntimeMetric.JOURNAL_BATCH_SIZE.meterName())
            .description(RuntimeMetric.JOURNAL_BATCH_SIZE.description()).register(registry);
        registry.gauge(RuntimeMetric.JOURNAL_DURABLE_SEQUENCE.meterName(), this, w -> w.durableSequence);
        registry.gauge(RuntimeMetric.JOURNAL_AVAILABLE.meterName(), this, w -> w.available ? 1 : 0);
        registry.more().counter(RuntimeMetric.JOURNAL_FAILURES.meterName(), List.of(), this, w -> w.failures);
    }

    /** Called by the matching thread for every applied command, in sequence order. */
    void append(Applied applied) {
        queue.add(applied);
        schedule();
    }

    /** Called by the matching thread: save this state once everything up to its sequence is durable. */
    void snapshot(long sequence, long timestampNs, long stateHash, byte[] state) {
        queue.add(new SnapshotItem(sequence, timestampNs, stateHash, state));
        schedule();
    }

    long durableSequence() {
        return durableSequence;
    }

    /**
     * Called by the matching thread, with non-decreasing sequences: runs {@code action} on the writer's
     * context once every command up to {@code sequence} is durable (at once if it already is).
     */
    void afterDurable(long sequence, Runnable action) {
        if (sequence <= durableSequence && barriers.isEmpty()) {
            action.run();
            return;
        }
        barriers.add(new Barrier(sequence, action));
        context.runOnContext(v -> releaseBarriers());
    }

    private void releaseBarriers() {
        Barrier barrier;
        while ((barrier = barriers.peek()) != null && barrier.sequence() <= durableSequence) {
            barriers.poll();
            barrier.action().run();
        }
    }

    boolean available() {
        return available;
    }

    /** Completes once every command up to {@code sequence} is durable and every snapshot queued so far is saved. */
    Future<Void> flushed(long sequence) {
        Promise<Void> promise = Promise.promise();
        context.runOnContext(v -> {
            waiters.add(new Waiter(sequence, promise));
            drain();
        });
        return promise.future();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            context.runOnContext(v -> {
                scheduled.set(false);
                drain();
            });
        }
    }

    private void drain() {
        if (retryScheduled) {
            return;
        }
        Object item;
        while (writes.size() < config.maxWritesInFlight() && (item = queue.peek()) != null) {
            if (item instanceof SnapshotItem snapshot) {
                if (!writes.isEmpty()) {
                    break;
                }
                queue.poll();
                save(snapshot);
                continue;
            }
            List<Applied> batch = new ArrayList<>(Math.min(config.maxBatch(), 1024));
            while (batch.size() < config.maxBatch() && (item = queue.peek()) instanceof Applied applied) {
                queue.poll();
                batch.add(applied);
            }
            Write write = new Write(batch);
            writes.add(write);
            issue(write);
        }
        releaseWaiters();
    }

    /** Sends one batch; its commands are acknowledged once it and every batch before it have committed. */
    private void issue(Write write) {
        long start = System.nanoTime();
        journal.append(write.sequences, write.timestamps, write.commands, write.sequences.length).onComplete(ar -> {
            if (ar.succeeded()) {
                commitTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
                batchSize.record(write.sequences.length);
                write.committed = true;
                retryDelayMs = config.retryInitialMs();
                if (!available && writes.stream().noneMatch(w -> w.failed)) {
                    available = true;
                    System.err.println("xex: journal: database answers again; writing resumes");
                }
                while (!writes.isEmpty() && writes.peekFirst().committed) {
                    durable(writes.pollFirst().batch);
                }
                drain();
            } else {
                failures++;
                write.failed = true;
                if (available) {
                    available = false;
                    System.err.println("xex: journal: write failed, holding commands and retrying: " + ar.cause().getMessage());
                }
                scheduleRetry();
            }
        });
    }

    /** One timer at a time re-sends every failed batch, the same batches, after a doubling delay. */
    private void scheduleRetry() {
        if (retryScheduled) {
            return;
        }
        retryScheduled = true;
        long delay = retryDelayMs;
        retryDelayMs = Math.min(config.retryMaxMs(), retryDelayMs * 2);
        context.owner().setTimer(delay, t -> {
            retryScheduled = false;
            for (Write write : writes) {
                if (write.failed) {
                    write.failed = false;
                    issue(write);
                }
            }
            drain();
        });
    }

    private void durable(List<Applied> batch) {
        List<CommandResult> results = new ArrayList<>(batch.size());
        Context runContext = null;
        int runStart = 0;
        for (int i = 0; i < batch.size(); i++) {
            Applied applied = batch.get(i);
            results.add(applied.result());
            Context submitter = applied.submission() == null ? null : applied.submission().context();
            if (submitter != runContext) {
                acknowledge(runContext, batch, runStart, i);
                runContext = submitter;
                runStart = i;
            }
        }
        acknowledge(runContext, batch, runStart, batch.size());
        durableSequence = batch.getLast().result().sequence();
        pending.released(batch.size());
        adapter.publish(results);
        releaseBarriers();
    }

    /** Completes the submissions {@code from..to} of one submitter context with one task on that context. */
    private static void acknowledge(Context context, List<Applied> batch, int from, int to) {
        if (context == null || from == to) {
            return;
        }
        List<Applied> run = batch.subList(from, to);
        context.runOnContext(v -> {
            for (Applied applied : run) {
                applied.submission().promise().complete(applied.result());
            }
        });
    }

    private void save(SnapshotItem snapshot) {
        savesInFlight++;
        snapshots.save(snapshot.sequence(), snapshot.timestampNs(), snapshot.stateHash(), snapshot.state())
            .compose(v -> snapshots.keepNewest(snapshotConfig.keep()))
            .onComplete(ar -> {
                savesInFlight--;
                if (ar.failed()) {
                    System.err.println("xex: snapshot at sequence " + snapshot.sequence() + " not saved: "
                        + ar.cause().getMessage() + " (recovery replays more of the journal instead)");
                }
                releaseWaiters();
            });
    }

    private void releaseWaiters() {
        if (!writes.isEmpty() || retryScheduled || !queue.isEmpty() || savesInFlight > 0) {
            return;
        }
        waiters.removeIf(w -> {
            if (durableSequence >= w.sequence()) {
                w.promise().complete();
                return true;
            }
            return false;
        });
    }
}
