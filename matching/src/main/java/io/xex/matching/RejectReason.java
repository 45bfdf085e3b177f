package io.xex.matching;

/**
 * Why the engine refused a command. The numbers are stable across releases and are the same on every
 * wire (WebSocket and binary); they are grouped by subsystem in blocks of one hundred.
 */
public enum RejectReason {
    // 1xx REQUEST: the request itself
    REQUEST_UNKNOWN_INSTRUMENT(101, "unknown instrument"),
    REQUEST_UNKNOWN_ACCOUNT(102, "unknown account"),
    REQUEST_INVALID_QUANTITY(103, "quantity must be positive"),
    REQUEST_QUANTITY_BELOW_MIN(104, "quantity below the instrument minimum"),
    REQUEST_QUANTITY_ABOVE_MAX(105, "quantity above the instrument maximum"),
    REQUEST_INVALID_PRICE(106, "price outside 1 tick..the instrument maximum"),
    REQUEST_NOTIONAL_BELOW_MIN(107, "order value below the instrument minimum notional"),
    REQUEST_INVALID_TIME_IN_FORCE(108, "time in force not allowed for this order type"),
    REQUEST_INVALID_QUOTE_BUDGET(109, "quote budget only for a MARKET buy without quantity"),
    REQUEST_CLIENT_ORDER_ID_INVALID(110, "clientOrderId longer than 36 characters"),
    REQUEST_DUPLICATE_CLIENT_ORDER_ID(111, "clientOrderId already used by a live order"),
    REQUEST_DUPLICATE_ORDER_ID(112, "order id already in use"),
    REQUEST_UNKNOWN_ORDER(113, "no such live order"),
    REQUEST_AMEND_NOTHING_TO_CHANGE(114, "amend changes neither price nor quantity"),
    REQUEST_ACCOUNT_EXISTS(115, "account already exists"),
    REQUEST_UNKNOWN_ASSET(116, "unknown asset"),
    REQUEST_INVALID_AMOUNT(117, "amount must be positive"),
    REQUEST_INVALID_FEE_RATE(118, "fee rate outside 0..1000 bps"),
    REQUEST_INVALID_RATIO(119, "ratio must be a reduced fraction of positive numbers other than 1"),
    REQUEST_NOT_A_BASE_ASSET(120, "asset is not the base of an instrument, or is also a quote"),
    REQUEST_DUPLICATE_TRANSFER(121, "transfer reference not above the last accepted one"),
    REQUEST_INVALID_TRANSFER(122, "transfer between one account and itself, or of one asset both ways"),

    // 2xx RISK: balances and limits
    RISK_INSUFFICIENT_FUNDS(201, "insufficient available balance"),
    RISK_TOO_MANY_OPEN_ORDERS(202, "too many open orders"),
    RISK_BALANCE_OVERFLOW(203, "balance would overflow"),

    // 3xx TRADING: the symbol's trading state and price protection
    TRADING_HALTED(301, "symbol halted"),
    TRADING_CANCEL_ONLY(302, "symbol is cancel-only"),
    TRADING_MARKET_ORDERS_CLOSED_UNDERLYING(303, "MARKET orders refused while the underlying market is closed"),
    TRADING_PRICE_OUTSIDE_ENTRY_BAND(304, "price outside the entry band"),
    TRADING_NO_REFERENCE_PRICE(305, "no reference price yet"),

    // 4xx MATCHING: the book
    MATCHING_POST_ONLY_WOULD_CROSS(401, "post-only order would trade");

    private final int code;
    private final String text;

    RejectReason(int code, String text) {
        this.code = code;
        this.text = text;
    }

    /** The stable number of this reason. */
    public int code() {
        return code;
    }

    /** The fixed text clients see beside the number. */
    public String text() {
        return text;
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
