package io.xex.gateway;

/**
 * Errors the gateway answers itself, before a request reaches the engine. Numbers are stable and sit beside
 * the engine's reject reasons (1xx–4xx) and the runtime's refusals (5xx) on every wire; the texts are fixed.
 * 6xx is authentication, 7xx the request itself (710–711 a withdrawal the venue cannot pay, 720–729 the issuer's
 * primary market), 8xx limits and the
 * session.
 */
public enum GatewayError {
    AUTH_MISSING_PARAMETER(601, "a required parameter is missing"),
    AUTH_UNKNOWN_API_KEY(602, "unknown API key"),
    AUTH_INVALID_SIGNATURE(603, "signature does not match the request"),
    AUTH_TIMESTAMP_OUTSIDE_RECV_WINDOW(604, "timestamp outside the receive window"),
    AUTH_INVALID_RECV_WINDOW(605, "recvWindow must be a whole number of milliseconds in 1..60000"),
    AUTH_REPLAYED_REQUEST(606, "request already seen"),
    AUTH_REQUIRED(607, "log on first: this method acts for an account"),
    AUTH_ALREADY_LOGGED_ON(608, "this connection is already logged on"),

    REQUEST_MALFORMED(701, "request is not a JSON object"),
    REQUEST_UNKNOWN_METHOD(702, "unknown method"),
    REQUEST_INVALID_PARAMETER(703, "invalid parameter"),
    REQUEST_TOO_LARGE(704, "request too large"),
    REQUEST_UNKNOWN_SYMBOL(705, "unknown symbol"),
    REQUEST_UNKNOWN_CHANNEL(706, "unknown channel"),
    REQUEST_BINARY_FRAME(707, "binary frames are not supported: send JSON text frames"),
    REQUEST_MISSING_PARAMETER(708, "missing parameter"),
    REQUEST_TOO_MANY_SUBSCRIPTIONS(709, "too many subscriptions on this connection"),
    /** The venue cannot pay withdrawals now: it does not settle, or its chain cannot be read (see the detail). */
    WITHDRAWALS_UNAVAILABLE(710, "withdrawals unavailable"),
    /** The vault has no whitelisted address for the account: a withdrawal would make its whole batch revert. */
    WITHDRAWAL_NO_ADDRESS(711, "no withdrawal address for this account"),
    /** The primary market (mint and redeem) cannot take requests now: no issuer, or its chain cannot be reached. */
    ISSUER_UNAVAILABLE(720, "primary market unavailable"),
    /** The asset is not an xStock the issuer mints and redeems. */
    ISSUER_NOT_AN_XSTOCK(721, "not an xStock of the issuer"),
    /** The issuer has not onboarded (KYC) the account. */
    ISSUER_NOT_ONBOARDED(722, "account not onboarded by the issuer"),
    /** The issuer does not serve US persons. */
    ISSUER_US_PERSON(723, "US persons cannot mint or redeem"),
    /** The issuer does not serve residents of the account's jurisdiction. */
    ISSUER_RESTRICTED_JURISDICTION(724, "restricted jurisdiction"),
    /** The issuer has not whitelisted a wallet of the account. */
    ISSUER_WALLET_NOT_WHITELISTED(725, "wallet not whitelisted by the issuer"),
    /** The request is worth less than the issuer's minimum (5,000 USDT by default) at the reference price. */
    ISSUER_BELOW_MINIMUM(726, "below the primary market minimum"),
    /** The underlying market is closed: the error's nextOpen says when it opens (or send queue: true). */
    ISSUER_MARKET_CLOSED(727, "underlying market closed"),
    /** The instrument has no reference price to price the request at. */
    ISSUER_NO_REFERENCE_PRICE(728, "no reference price"),
    /** The available balance does not cover the request (for a redeem, possibly the issuer's USDT). */
    ISSUER_INSUFFICIENT_FUNDS(729, "insufficient funds for the request"),

    LIMIT_ORDER_RATE(801, "order rate limit exceeded"),
    LIMIT_REQUEST_RATE(802, "request rate limit exceeded"),
    LIMIT_CONNECTIONS(803, "too many connections from this address"),
    SESSION_SLOW_READER(804, "disconnected: reading too slowly"),
    SESSION_IDLE(805, "disconnected: nothing received for too long"),
    SESSION_SERVER_SHUTDOWN(806, "server shutting down"),

    INTERNAL(900, "internal error");

    private final int code;
    private final String text;

    GatewayError(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    /** The fixed text clients see with the code. */
    public String text() {
        return text;
    }
}
