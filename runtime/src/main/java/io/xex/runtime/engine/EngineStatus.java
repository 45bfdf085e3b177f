package io.xex.runtime.engine;

/**
 * The engine's position, read on the matching thread between two commands.
 *
 * @param sequence        the last command the engine applied
 * @param durableSequence the last command the journal has made durable (at most {@code sequence})
 * @param stateHash       {@link io.xex.matching.MatchingEngine#stateHash()} after {@code sequence}
 */
public record EngineStatus(long sequence, long durableSequence, long stateHash) {
    /** The hash as 16 lower-case hex digits, as {@code /admin/engine} shows it. */
    public String stateHashHex() {
        return String.format("%016x", stateHash);
    }
}
