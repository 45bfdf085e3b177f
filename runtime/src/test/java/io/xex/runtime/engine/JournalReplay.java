package io.xex.runtime.engine;

import io.xex.matching.EngineConfig;
import io.xex.matching.MatchingEngine;
import io.xex.matching.codec.CommandCodec;
import io.xex.runtime.store.JournalEntry;

import java.util.List;

/**
 * For tests: a fresh engine fed journal rows one by one, as recovery would without a snapshot, recording each
 * command's events the way the runtime does. Refuses a gap in the sequence. Confined to the test thread.
 */
public final class JournalReplay {
    private final EventRecorder recorder = new EventRecorder(new EngineCounters());
    private final MatchingEngine engine;
    private long sequence;

    public JournalReplay(EngineConfig config) {
        engine = new MatchingEngine(config, recorder);
    }

    /** Applies one journal row with its own sequence and timestamp; returns the events it caused. */
    public List<EngineEvent> apply(JournalEntry entry) {
        if (entry.sequence() != sequence + 1) {
            throw new AssertionError("journal gap: after sequence " + sequence + " comes " + entry.sequence());
        }
        engine.apply(entry.sequence(), entry.timestampNs(), CommandCodec.decode(entry.command()));
        sequence = entry.sequence();
        return recorder.take();
    }

    public long sequence() {
        return sequence;
    }

    public MatchingEngine engine() {
        return engine;
    }
}
