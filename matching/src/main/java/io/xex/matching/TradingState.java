package io.xex.matching;

/** What a symbol accepts right now (SPEC §4). */
public enum TradingState {
    /** The underlying's session is open: normal bands, every order type. */
    OPEN(1),
    /** Weekends, holidays, nights: tighter bands, no MARKET orders. */
    CLOSED_UNDERLYING(2),
    /**
     * No new orders and no amends but those that lower the quantity at the same price or end the order;
     * cancels and reductions go on. Set by an operator or by the volatility guard.
     */
    HALTED(3),
    /** Only cancels, reductions and quantity-lowering amends, by an operator's decision. */
    CANCEL_ONLY(4);

    private final byte code;

    TradingState(int code) {
        this.code = (byte) code;
    }

    /** The stable number of this value in the journal and in snapshots; never reordered, never reused. */
    public byte code() {
        return code;
    }

    /** The value with this code, or {@code null}. */
    public static TradingState ofCode(int code) {
        for (TradingState value : values()) {
            if (value.code == code) {
                return value;
            }
        }
        return null;
    }

    /** Whether new orders and risk-adding amends are accepted. */
    public boolean acceptsOrders() {
        return this == OPEN || this == CLOSED_UNDERLYING;
    }
}
