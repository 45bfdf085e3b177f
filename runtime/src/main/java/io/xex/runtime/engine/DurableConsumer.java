package io.xex.runtime.engine;

import java.util.List;

/**
 * A reader of the durable results that must see every one of them exactly as the journal has them, crashes
 * included: history, settlement. It keeps, durably and atomically with what it derives, the sequence through
 * which it has processed results (its cursor). At start, recovery rebuilds the engine from a snapshot at or
 * below the lowest cursor of all consumers and hands each the results after its own cursor; from then on it
 * receives every new durable result. So a crash between a result becoming durable and a consumer writing what
 * it derives loses nothing.
 */
public interface DurableConsumer {

    /** The sequence through which this consumer has durably processed results, as read before recovery. */
    long cursor();

    /**
     * Receives results in sequence order, from {@link #cursor()} + 1 on (recovered ones first, then live ones),
     * each once in the life of the process. Called from any thread; must not block.
     */
    void accept(List<CommandResult> results);
}
