package io.xex.matching;

/**
 * Price protection of one symbol, in basis points of the reference price (SPEC §4).
 *
 * @param entryBps                  orders priced further than this from the reference are rejected (underlying open)
 * @param executionBps              a taker trades no further than this from the reference (underlying open)
 * @param closedEntryBps            the entry band while the underlying is closed
 * @param closedExecutionBps        the execution band while the underlying is closed
 * @param closedReferenceWeightBps  while closed, trades move the reference this share of the way to their price ...
 * @param closedReferencePeriodNs   ... per this much time since it last moved (so many trades cannot walk it)
 * @param guardMoveBps              the volatility guard halts the symbol when a trade would move this far ...
 * @param guardWindowNs             ... from the first trade price of a window of this length
 * @param guardHaltNs               and the halt lasts this long
 */
public record BandSpec(int entryBps, int executionBps, int closedEntryBps, int closedExecutionBps,
                       int closedReferenceWeightBps, long closedReferencePeriodNs, int guardMoveBps, long guardWindowNs,
                       long guardHaltNs) {
    public static final int DEFAULT_ENTRY_BPS = 1_000;
    public static final int DEFAULT_EXECUTION_BPS = 500;
    public static final int DEFAULT_CLOSED_ENTRY_BPS = 500;
    public static final int DEFAULT_CLOSED_EXECUTION_BPS = 250;
    public static final int DEFAULT_CLOSED_REFERENCE_WEIGHT_BPS = 500;
    public static final long DEFAULT_CLOSED_REFERENCE_PERIOD_NS = 60_000_000_000L;
    public static final int DEFAULT_GUARD_MOVE_BPS = 300;
    public static final long DEFAULT_GUARD_WINDOW_NS = 60_000_000_000L;
    public static final long DEFAULT_GUARD_HALT_NS = 120_000_000_000L;

    /**
     * The defaults: ±10% entry and ±5% execution while open, half that while closed, where trades move the
     * reference at most 5% of the way per minute; a 3% move within a minute halts for two.
     */
    public static BandSpec defaults() {
        return new BandSpec(DEFAULT_ENTRY_BPS, DEFAULT_EXECUTION_BPS, DEFAULT_CLOSED_ENTRY_BPS,
            DEFAULT_CLOSED_EXECUTION_BPS, DEFAULT_CLOSED_REFERENCE_WEIGHT_BPS, DEFAULT_CLOSED_REFERENCE_PERIOD_NS,
            DEFAULT_GUARD_MOVE_BPS, DEFAULT_GUARD_WINDOW_NS, DEFAULT_GUARD_HALT_NS);
    }

    public BandSpec {
        requireBps("entryBps", entryBps);
        requireBps("executionBps", executionBps);
        requireBps("closedEntryBps", closedEntryBps);
        requireBps("closedExecutionBps", closedExecutionBps);
        requireBps("closedReferenceWeightBps", closedReferenceWeightBps);
        requireBps("guardMoveBps", guardMoveBps);
        if (closedEntryBps > entryBps || closedExecutionBps > executionBps) {
            throw new IllegalArgumentException("bands while the underlying is closed must not be wider than while open");
        }
        if (closedReferencePeriodNs <= 0 || closedReferencePeriodNs > Long.MAX_VALUE / 10_000) {
            throw new IllegalArgumentException("closedReferencePeriodNs must be positive and below 2^63 / 10,000");
        }
        if (guardWindowNs <= 0 || guardHaltNs <= 0) {
            throw new IllegalArgumentException("guard window and halt must be positive");
        }
    }

    private static void requireBps(String name, int bps) {
        if (bps <= 0 || bps >= 10_000) {
            throw new IllegalArgumentException(name + " " + bps + " not in 1..9999");
        }
    }
}
