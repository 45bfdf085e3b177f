package io.xex.runtime.engine;

import io.xex.matching.Command;

import java.util.List;

/**
 * A command after the engine applied it and the journal made it durable: what the submitter is told and
 * what subscribers receive. {@code command} is the journaled form (a PlaceOrder carries the order id the
 * runtime gave it: its sequence number).
 */
public record CommandResult(long sequence, long timestampNs, Command command, List<EngineEvent> events) {
    public CommandResult {
        events = List.copyOf(events);
    }
}
