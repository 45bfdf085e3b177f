package io.xex.gateway;

/**
 * Errors the gateway answers itself, before a request reaches the engine. Numbers are stable and sit beside
 * the engine's reject reasons (1xx–4xx) and the runtime's refusals (5xx) on every wire; the texts are fixed.
 * This block, 6xx, is authentication.
 */
public enum GatewayError {
    AUTH_MISSING_PARAMETER(601, "a required parameter is missing"),
    AUTH_UNKNOWN_API_KEY(602, "unknown API key"),
    AUTH_INVALID_SIGNATURE(603, "signature does not match the request"),
    AUTH_TIMESTAMP_OUTSIDE_RECV_WINDOW(604, "timestamp outside the receive window"),
    AUTH_INVALID_RECV_WINDOW(605, "recvWindow must be a whole number of milliseconds in 1..60000"),
    AUTH_REPLAYED_REQUEST(606, "request already seen");

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
