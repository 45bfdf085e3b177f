package io.xex.runtime.history;

/** What an execution report tells; numbers are stable (they are stored and on the binary wire). */
public enum ExecKind {
    /** The order was accepted. */
    NEW(1),
    /** The order traded; the report carries the fill. */
    TRADE(2),
    /** The order's price or quantity changed (an amend or a reduction). */
    AMENDED(3),
    /** The order ended by its owner's request: a cancel, a cancel-all, an amend or reduction to zero. */
    CANCELLED(4),
    /** The venue ended the order: an IOC, FOK or MARKET remainder, self-trade prevention, a band or halt. */
    EXPIRED(5),
    /** The engine refused a request about an order; nothing changed. */
    REJECTED(6);

    private final int code;

    ExecKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The kind with this code, or {@code null}. */
    public static ExecKind ofCode(int code) {
        for (ExecKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
