package io.xex.matching;

/**
 * Self-trade prevention, chosen per account: what happens when an incoming order would trade with a
 * resting order of the same account.
 */
public enum StpMode {
    /** The incoming order's remainder expires; the resting order stays. The default. */
    EXPIRE_TAKER,
    /** The resting order expires; the incoming order goes on matching. */
    EXPIRE_MAKER,
    /** Both expire. */
    EXPIRE_BOTH,
    /** The two orders trade with each other like any others. */
    NONE;

    /** What an account gets unless it asks for another mode. */
    public static final StpMode DEFAULT = EXPIRE_TAKER;
}
