package io.xex.matching;

/** How an order is priced. */
public enum OrderType {
    /** Trades at its limit price or better; what is left rests or expires by its time in force. */
    LIMIT,
    /** Trades against the book at once, bounded by the execution band; never rests. */
    MARKET
}
