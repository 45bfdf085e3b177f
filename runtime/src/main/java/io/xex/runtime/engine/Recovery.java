package io.xex.runtime.engine;

import io.vertx.core.Future;
import io.xex.matching.Command;
import io.xex.matching.EngineConfig;
import io.xex.matching.MatchingEngine;
import io.xex.matching.codec.CommandCodec;
import io.xex.runtime.store.JournalEntry;
import io.xex.runtime.store.JournalStore;
import io.xex.runtime.store.SnapshotStore;
import io.xex.runtime.store.StoredSnapshot;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Rebuilds the engine at start: the newest snapshot that every durable consumer (history, settlement) has
 * caught up with, then every journaled command after it, in order, up to the first gap (entries after a gap
 * were never acknowledged and are deleted). The results of commands a consumer has not processed yet go to
 * that consumer, so that a crash never leaves a hole in what it derives. The journal is never truncated, so without
 * a usable snapshot recovery replays it from the start.
 *
 * <p>Blocking: runs on a worker thread before the matching thread starts.
 */
final class Recovery {
    static final int PAGE = 10_000;
    private static final long TIMEOUT_SECONDS = 60;

    record Recovered(MatchingEngine engine, long sequence, long lastTimestampNs, long snapshotSequence, long replayed) {
    }

    private Recovery() {
    }

    static Recovered run(EngineConfig config, EventRecorder recorder, JournalStore journal, SnapshotStore snapshots,
                         List<DurableConsumer> consumers) throws Exception {
        long lowestCursor = Long.MAX_VALUE;
        for (DurableConsumer consumer : consumers) {
            lowestCursor = Math.min(lowestCursor, consumer.cursor());
        }
        Optional<StoredSnapshot> snapshot = await(snapshots.latestAtOrBelow(lowestCursor));
        MatchingEngine engine;
        long sequence = 0;
        long lastTimestampNs = 0;
        long snapshotSequence = 0;
        if (snapshot.isPresent()) {
            StoredSnapshot stored = snapshot.get();
            engine = MatchingEngine.readSnapshot(config, recorder,
                new DataInputStream(new ByteArrayInputStream(stored.state())));
            if (engine.stateHash() != stored.stateHash()) {
                throw new IllegalStateException("snapshot at sequence " + stored.sequence() + " restores to state hash "
                    + Long.toHexString(engine.stateHash()) + ", saved as " + Long.toHexString(stored.stateHash()));
            }
            sequence = stored.sequence();
            lastTimestampNs = stored.timestampNs();
            snapshotSequence = sequence;
        } else {
            engine = new MatchingEngine(config, recorder);
        }
        long replayed = 0;
        List<List<CommandResult>> pages = new ArrayList<>();
        for (int i = 0; i < consumers.size(); i++) {
            pages.add(new ArrayList<>());
        }
        replay:
        while (true) {
            List<JournalEntry> page = await(journal.read(sequence + 1, PAGE));
            for (JournalEntry entry : page) {
                if (entry.sequence() != sequence + 1) {
                    // A later batch committed while an earlier one never did; acknowledgements go in order, so
                    // nothing from the gap on was ever acknowledged: it is removed, and its numbers reused.
                    long removed = await(journal.deleteAfter(sequence));
                    System.err.println("xex: recovery: journal gap after sequence " + sequence + "; removed " + removed
                        + " unacknowledged entries after it");
                    break replay;
                }
                Command command = CommandCodec.decode(entry.command());
                engine.apply(entry.sequence(), entry.timestampNs(), command);
                List<EngineEvent> events = recorder.take();
                sequence = entry.sequence();
                lastTimestampNs = Math.max(lastTimestampNs, entry.timestampNs());
                replayed++;
                CommandResult result = null;
                for (int i = 0; i < consumers.size(); i++) {
                    if (sequence > consumers.get(i).cursor()) {
                        result = result != null ? result : new CommandResult(sequence, entry.timestampNs(), command, events);
                        pages.get(i).add(result);
                        if (pages.get(i).size() >= PAGE) {
                            consumers.get(i).accept(pages.get(i));
                            pages.set(i, new ArrayList<>());
                        }
                    }
                }
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        for (int i = 0; i < consumers.size(); i++) {
            if (!pages.get(i).isEmpty()) {
                consumers.get(i).accept(pages.get(i));
            }
        }
        return new Recovered(engine, sequence, lastTimestampNs, snapshotSequence, replayed);
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }
}
