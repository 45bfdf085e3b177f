package io.xex.matching;

/**
 * Why the engine refused a command. The numbers are stable across releases and are the same on every
 * wire (WebSocket and binary); they are grouped by subsystem in blocks of one hundred.
 */
public enum RejectReason {
    // 1xx: the request itself
    UNKNOWN_INSTRUMENT(101),
    UNKNOWN_ACCOUNT(102),
    INVALID_QUANTITY(103),
    QUANTITY_BELOW_MIN(104),
    QUANTITY_ABOVE_MAX(105),
    INVALID_PRICE(106),
    NOTIONAL_BELOW_MIN(107),
    INVALID_TIME_IN_FORCE(108),
    INVALID_QUOTE_BUDGET(109),
    CLIENT_ORDER_ID_INVALID(110),
    DUPLICATE_CLIENT_ORDER_ID(111),
    DUPLICATE_ORDER_ID(112),
    UNKNOWN_ORDER(113),
    AMEND_NOTHING_TO_CHANGE(114),
    ACCOUNT_EXISTS(115),
    UNKNOWN_ASSET(116),
    INVALID_AMOUNT(117),
    INVALID_FEE_RATE(118),

    // 2xx: risk and balances
    RISK_INSUFFICIENT_FUNDS(201),
    RISK_TOO_MANY_OPEN_ORDERS(202),
    RISK_BALANCE_OVERFLOW(203),

    // 3xx: trading state and price protection
    MARKET_HALTED(301),
    MARKET_CANCEL_ONLY(302),
    MARKET_ORDERS_CLOSED_UNDERLYING(303),
    MARKET_PRICE_OUTSIDE_ENTRY_BAND(304),
    MARKET_NO_REFERENCE_PRICE(305),

    // 4xx: matching
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
