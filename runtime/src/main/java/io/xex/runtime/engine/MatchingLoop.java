package io.xex.runtime.engine;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.xex.matching.Command;
import io.xex.matching.MatchingEngine;
import io.xex.matching.codec.CommandCodec;
import io.xex.runtime.config.SnapshotConfig;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The matching thread: takes submissions from its inbox, gives each command the next sequence number and
 * a timestamp, applies it to the engine, and hands the command with its events to the journal. Every so
 * often it writes a snapshot of the whole engine.
 *
 * <p>The engine runs on this one platform thread, {@value #THREAD_NAME}, which it owns: the engine is
 * single-writer state on the hot path, and a thread of its own keeps it off the event loops (where it
 * would delay I/O, and I/O would delay it) and off Vert.x's worker pool (shared, and with no guarantee of
 * one thread). When the inbox is empty the thread parks; a submitter wakes it.
 *
 * <p>Owned by the matching thread; {@link #offer} and {@link #stop} are thread-safe.
 */
final class MatchingLoop implements Runnable {
    static final String THREAD_NAME = "xex-matching";
    private static final int MAX_DRAIN = 1024;
    private static final long PARK_NS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Unbounded itself; {@link Pending} bounds what may be in it. */
    private final Queue<Submission> inbox = new ConcurrentLinkedQueue<>();
    private final MatchingEngine engine;
    private final EventRecorder recorder;
    private final JournalWriter journal;
    private final EngineCounters counters;
    private final Pending pending;
    private final InstantSource clock;
    private final SnapshotConfig snapshotConfig;
    private final Timer snapshotTimer;
    private final Promise<Void> stopped = Promise.promise();
    private final List<Submission> drained = new ArrayList<>(MAX_DRAIN);

    // Confined to the matching thread:
    private long sequence;
    private long lastTimestampNs;
    private long lastSnapshotSequence;
    private long lastSnapshotNs;

    private volatile boolean running = true;
    private volatile boolean failed;
    private volatile boolean parked;
    private volatile Thread thread;

    MatchingLoop(MatchingEngine engine, EventRecorder recorder, JournalWriter journal, EngineCounters counters,
                 Pending pending, InstantSource clock, SnapshotConfig snapshotConfig, long sequence,
                 long lastTimestampNs, long lastSnapshotSequence, MeterRegistry registry) {
        this.engine = engine;
        this.recorder = recorder;
        this.journal = journal;
        this.counters = counters;
        this.pending = pending;
        this.clock = clock;
        this.lastTimestampNs = lastTimestampNs;
        this.snapshotConfig = snapshotConfig;
        this.sequence = sequence;
        this.lastSnapshotSequence = lastSnapshotSequence;
        this.lastSnapshotNs = nanos(clock.instant());
        this.snapshotTimer = Timer.builder(RuntimeMetric.SNAPSHOT_DURATION.meterName())
            .description(RuntimeMetric.SNAPSHOT_DURATION.description()).register(registry);
    }

    /** Starts the matching thread. */
    void start() {
        Thread t = new Thread(this, THREAD_NAME);
        thread = t;
        t.start();
    }

    /** Whether the thread ended on an error: nothing it takes will be applied any more. */
    boolean failed() {
        return failed;
    }

    /** Completes when the thread ends: normally after {@link #stop}, exceptionally on an internal error. */
    Future<Void> ended() {
        return stopped.future();
    }

    /** Queues a submission and wakes the thread. Thread-safe. */
    void offer(Submission submission) {
        inbox.add(submission);
        if (parked) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Lets the thread apply what is already in the inbox, take a last snapshot and end. The caller must
     * have stopped new submissions first. Completes when the thread has ended.
     */
    Future<Void> stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            LockSupport.unpark(t);
        } else {
            stopped.tryComplete();
        }
        return stopped.future();
    }

    @Override
    public void run() {
        try {
            while (true) {
                Submission next;
                while (drained.size() < MAX_DRAIN && (next = inbox.poll()) != null) {
                    drained.add(next);
                }
                int n = drained.size();
                if (n == 0) {
                    if (!running) {
                        break;
                    }
                    parked = true;
                    if (inbox.isEmpty() && running) {
                        LockSupport.parkNanos(PARK_NS);
                    }
                    parked = false;
                    maybeSnapshot(false);
                    continue;
                }
                for (int i = 0; i < n; i++) {
                    handle(drained.get(i));
                }
                drained.clear();
                maybeSnapshot(false);
            }
            maybeSnapshot(true);
            stopped.tryComplete();
        } catch (RuntimeException | Error e) {
            failed = true;
            System.err.println("xex: matching thread failed; the venue must restart and recover: " + e);
            e.printStackTrace();
            stopped.tryFail(e);
        }
    }

    private void handle(Submission submission) {
        switch (submission) {
            case Submission.OfCommand s -> {
                long seq = sequence + 1;
                Command command = s.command();
                if (command instanceof Command.PlaceOrder place) {
                    command = place.withOrderId(seq);
                }
                byte[] encoded;
                try {
                    encoded = CommandCodec.encode(command);
                } catch (IllegalArgumentException e) {
                    refuse(s, Refusal.RUNTIME_MALFORMED_COMMAND);
                    return;
                }
                sequence = seq;
                long timestampNs = now();
                engine.apply(seq, timestampNs, command);
                counters.applied(seq);
                journal.append(new JournalWriter.Applied(new CommandResult(seq, timestampNs, command, recorder.take()),
                    encoded, s));
            }
            case Submission.OfStatus s -> {
                EngineStatus status = new EngineStatus(sequence, journal.durableSequence(), engine.stateHash());
                s.context().runOnContext(v -> s.promise().complete(status));
            }
            case Submission.OfQuery<?> s -> answer(s);
        }
    }

    /**
     * Runs a read-only question and hands the answer over once every command it saw is durable, so that a
     * query never shows what a crash could still take back. A question that throws fails its own future
     * only: it changed nothing.
     */
    private <T> void answer(Submission.OfQuery<T> query) {
        T value;
        try {
            value = query.question().apply(engine);
        } catch (RuntimeException e) {
            query.context().runOnContext(v -> query.promise().fail(e));
            return;
        }
        QueryAnswer<T> answer = new QueryAnswer<>(sequence, value);
        journal.afterDurable(sequence, () -> query.context().runOnContext(v -> query.promise().complete(answer)));
    }

    private void refuse(Submission.OfCommand submission, Refusal refusal) {
        pending.released(1);
        submission.context().runOnContext(v -> submission.promise().fail(refusal.exception()));
    }

    private long now() {
        long ns = nanos(clock.instant());
        lastTimestampNs = Math.max(lastTimestampNs, ns);
        return lastTimestampNs;
    }

    private void maybeSnapshot(boolean force) {
        if (sequence == lastSnapshotSequence) {
            return;
        }
        long nowNs = nanos(clock.instant());
        boolean due = sequence - lastSnapshotSequence >= snapshotConfig.everyCommands()
            || nowNs - lastSnapshotNs >= TimeUnit.SECONDS.toNanos(snapshotConfig.everySeconds());
        if (!force && !due) {
            return;
        }
        long start = System.nanoTime();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try {
            engine.writeSnapshot(new DataOutputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        journal.snapshot(sequence, now(), engine.stateHash(), bytes.toByteArray());
        snapshotTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        lastSnapshotSequence = sequence;
        lastSnapshotNs = nowNs;
    }

    static long nanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
