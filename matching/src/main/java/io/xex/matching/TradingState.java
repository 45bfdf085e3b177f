package io.xex.matching;

/** What a symbol accepts right now (SPEC §4). */
public enum TradingState {
    /** The underlying's session is open: normal bands, every order type. */
    OPEN,
    /** Weekends, holidays, nights: tighter bands, no MARKET orders. */
    CLOSED_UNDERLYING,
    /**
     * No new orders and no amends but those that lower the quantity at the same price or end the order;
     * cancels and reductions go on. Set by an operator or by the volatility guard.
     */
    HALTED,
    /** Only cancels, reductions and quantity-lowering amends, by an operator's decision. */
    CANCEL_ONLY;

    /** Whether new orders and risk-adding amends are accepted. */
    public boolean acceptsOrders() {
        return this == OPEN || this == CLOSED_UNDERLYING;
    }
}
