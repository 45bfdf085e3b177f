package io.xex.matching;

/**
 * Self-trade prevention, chosen per account: what happens when an incoming order would trade with a
 * resting order of the same account.
 */
public enum StpMode {
    /** The incoming order's remainder expires; the resting order stays. The default. */
    EXPIRE_TAKER(1),
    /** The resting order expires; the incoming order goes on matching. */
    EXPIRE_MAKER(2),
    /** Both expire. */
    EXPIRE_BOTH(3),
    /** The two orders trade with each other like any others. */
    NONE(4);

    private final byte code;

    StpMode(int code) {
        this.code = (byte) code;
    }

    /** The stable number of this value in the journal and in snapshots; never reordered, never reused. */
    public byte code() {
        return code;
    }

    /** The value with this code, or {@code null}. */
    public static StpMode ofCode(int code) {
        for (StpMode value : values()) {
            if (value.code == code) {
                return value;
            }
        }
        return null;
    }

    /** What an account gets unless it asks for another mode. */
    public static final StpMode DEFAULT = EXPIRE_TAKER;
}
