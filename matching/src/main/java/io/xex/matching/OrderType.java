package io.xex.matching;

/** How an order is priced. */
public enum OrderType {
    /** Trades at its limit price or better; what is left rests or expires by its time in force. */
    LIMIT(1),
    /** Trades against the book at once, bounded by the execution band; never rests. */
    MARKET(2);

    private final byte code;

    OrderType(int code) {
        this.code = (byte) code;
    }

    /** The stable number of this value in the journal and in snapshots; never reordered, never reused. */
    public byte code() {
        return code;
    }

    /** The value with this code, or {@code null}. */
    public static OrderType ofCode(int code) {
        for (OrderType value : values()) {
            if (value.code == code) {
                return value;
            }
        }
        return null;
    }
}
