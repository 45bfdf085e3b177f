package io.xex.runtime.engine;

import io.xex.matching.RejectReason;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters the matching thread bumps and metrics read from outside (STYLE §12): single writer, ordered
 * lazy writes, so bumping costs a plain store.
 *
 * <p>Written by the matching thread only; read by any thread.
 */
public final class EngineCounters {
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong trades = new AtomicLong();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLongArray rejects = new AtomicLongArray(RejectReason.values().length);

    void applied(long newSequence) {
        commands.lazySet(commands.get() + 1);
        sequence.lazySet(newSequence);
    }

    void traded() {
        trades.lazySet(trades.get() + 1);
    }

    void rejected(RejectReason reason) {
        int i = reason.ordinal();
        rejects.lazySet(i, rejects.get(i) + 1);
    }

    public long commands() {
        return commands.get();
    }

    public long trades() {
        return trades.get();
    }

    /** The sequence number of the last command the engine applied (durable or not yet). */
    public long sequence() {
        return sequence.get();
    }

    public long rejects(RejectReason reason) {
        return rejects.get(reason.ordinal());
    }
}
