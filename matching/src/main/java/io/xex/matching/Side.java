package io.xex.matching;

/** Which side of the book an order is on. */
public enum Side {
    BUY(1),
    SELL(2);

    private final byte code;

    Side(int code) {
        this.code = (byte) code;
    }

    /** The stable number of this value in the journal and in snapshots; never reordered, never reused. */
    public byte code() {
        return code;
    }

    /** The value with this code, or {@code null}. */
    public static Side ofCode(int code) {
        for (Side value : values()) {
            if (value.code == code) {
                return value;
            }
        }
        return null;
    }

    /** The other side. */
    public Side opposite() {
        return this == BUY ? SELL : BUY;
    }
}
