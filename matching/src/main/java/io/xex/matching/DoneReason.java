package io.xex.matching;

/**
 * Why an accepted order stopped being live. Every accepted order that does not rest ends with exactly
 * one of these; a resting order ends with one when it leaves the book. Numbers are stable.
 */
public enum DoneReason {
    /** Fully traded. */
    FILLED(1),
    /** Cancelled by its owner. */
    CANCELLED(2),
    /** Cancelled by a cancel-all of its owner. */
    CANCELLED_ALL(3),
    /** A reduction or an amend took its remaining quantity to zero. */
    REDUCED_TO_ZERO(4),
    /** An IOC or MARKET order's remainder after matching. */
    EXPIRED_IOC(5),
    /** A FOK order that could not trade in full. */
    EXPIRED_FOK(6),
    /** Self-trade prevention expired this order. */
    EXPIRED_SELF_TRADE(7),
    /** The taker's remainder would have traded beyond the execution band. */
    EXPIRED_EXECUTION_BAND(8),
    /** The volatility guard halted the symbol while this order was matching. */
    EXPIRED_VOLATILITY_HALT(9),
    /** A MARKET buy spent its quote budget as far as whole lots allow. */
    EXPIRED_BUDGET_SPENT(10),
    /**
     * A corporate action changed the base asset's multiplier: every resting order of the symbol is
     * cancelled, since its price and quantity no longer mean what its owner priced.
     */
    CORPORATE_ACTION(11);

    private final int code;

    DoneReason(int code) {
        this.code = code;
    }

    /** The stable number of this reason. */
    public int code() {
        return code;
    }
}
