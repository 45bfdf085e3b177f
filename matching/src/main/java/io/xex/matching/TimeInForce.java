package io.xex.matching;

/** How long what is left of an order lives. */
public enum TimeInForce {
    /** Good till cancelled: the remainder rests on the book. */
    GTC(1),
    /** Immediate or cancel: the remainder expires. */
    IOC(2),
    /** Fill or kill: the whole quantity trades at once, or nothing does. */
    FOK(3),
    /** Rests without trading; rejected if it would cross the book on entry. */
    POST_ONLY(4);

    private final byte code;

    TimeInForce(int code) {
        this.code = (byte) code;
    }

    /** The stable number of this value in the journal and in snapshots; never reordered, never reused. */
    public byte code() {
        return code;
    }

    /** The value with this code, or {@code null}. */
    public static TimeInForce ofCode(int code) {
        for (TimeInForce value : values()) {
            if (value.code == code) {
                return value;
            }
        }
        return null;
    }
}
