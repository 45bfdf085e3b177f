package io.xex.matching;

/**
 * Why the engine refused a command. The numbers are stable across releases and are the same on every
 * wire (WebSocket and binary); they are grouped by subsystem in blocks of one hundred.
 */
public enum RejectReason {
    // 1xx REQUEST: the request itself
    REQUEST_UNKNOWN_INSTRUMENT(101),
    REQUEST_UNKNOWN_ACCOUNT(102),
    REQUEST_INVALID_QUANTITY(103),
    REQUEST_QUANTITY_BELOW_MIN(104),
    REQUEST_QUANTITY_ABOVE_MAX(105),
    REQUEST_INVALID_PRICE(106),
    REQUEST_NOTIONAL_BELOW_MIN(107),
    REQUEST_INVALID_TIME_IN_FORCE(108),
    REQUEST_INVALID_QUOTE_BUDGET(109),
    REQUEST_CLIENT_ORDER_ID_INVALID(110),
    REQUEST_DUPLICATE_CLIENT_ORDER_ID(111),
    REQUEST_DUPLICATE_ORDER_ID(112),
    REQUEST_UNKNOWN_ORDER(113),
    REQUEST_AMEND_NOTHING_TO_CHANGE(114),
    REQUEST_ACCOUNT_EXISTS(115),
    REQUEST_UNKNOWN_ASSET(116),
    REQUEST_INVALID_AMOUNT(117),
    REQUEST_INVALID_FEE_RATE(118),

    // 2xx RISK: balances and limits
    RISK_INSUFFICIENT_FUNDS(201),
    RISK_TOO_MANY_OPEN_ORDERS(202),
    RISK_BALANCE_OVERFLOW(203),

    // 3xx TRADING: the symbol's trading state and price protection
    TRADING_HALTED(301),
    TRADING_CANCEL_ONLY(302),
    TRADING_MARKET_ORDERS_CLOSED_UNDERLYING(303),
    TRADING_PRICE_OUTSIDE_ENTRY_BAND(304),
    TRADING_NO_REFERENCE_PRICE(305),

    // 4xx MATCHING: the book
    MATCHING_POST_ONLY_WOULD_CROSS(401);

    private final int code;

    RejectReason(int code) {
        this.code = code;
    }

    /** The stable number of this reason. */
    public int code() {
        return code;
    }

    /** The reason with this number, or {@code null}. */
    public static RejectReason ofCode(int code) {
        for (RejectReason reason : values()) {
            if (reason.code == code) {
                return reason;
            }
        }
        return null;
    }
}
