package io.xex.protocol;

/**
 * The binary protocol's own reject and terminate codes (1xxx). Numbers are stable and never reused. The
 * same {@code Code} fields also carry the engine's reject numbers (1xx–4xx, e.g. 101) and the runtime's
 * refusals (5xx, e.g. 501 engine busy), which docs/binary-protocol.md lists beside these.
 */
public enum ProtocolCode {
    // Negotiate and Establish
    UNKNOWN_KEY(1001, "unknown access key"),
    BAD_SIGNATURE(1002, "signature does not match"),
    TIMESTAMP_OUT_OF_WINDOW(1003, "requestTimestamp too far from the server's clock"),
    TIMESTAMP_NOT_INCREASING(1004, "requestTimestamp not after the session's previous one"),
    INVALID_UUID(1005, "uuid must not be 0"),
    UUID_TAKEN(1006, "uuid already negotiated"),
    UNKNOWN_UUID(1007, "session not negotiated"),
    ALREADY_ESTABLISHED(1008, "session already established on another connection"),
    KEEPALIVE_OUT_OF_RANGE(1009, "keepAliveIntervalMs out of range"),
    GRACE_OUT_OF_RANGE(1010, "codGraceMs out of range"),
    KEY_NOT_HMAC(1011, "binary sessions need an HMAC key"),
    WRONG_KEY(1012, "session negotiated with another key"),
    SESSION_STORE_UNAVAILABLE(1013, "session could not be recorded, try again"),
    // Retransmission
    RETRANSMIT_OUT_OF_RANGE(1020, "fromSeqNo must be at least 1 and below the next sequence number"),
    RETRANSMIT_TOO_LARGE(1021, "count over the per-request limit"),
    RETRANSMIT_BUSY(1022, "a retransmission is already in progress"),
    RETRANSMIT_UNAVAILABLE(1023, "history unavailable, try again"),
    // Terminate
    FINISHED(1030, "session finished"),
    KEEPALIVE_LAPSED(1031, "nothing received within the keep-alive interval"),
    FRAMING_ERROR(1032, "bad frame length or encoding type"),
    UNSUPPORTED_SCHEMA(1033, "schema id or version not supported"),
    NOT_ESTABLISHED(1034, "message not allowed before Establish"),
    SERVER_SHUTDOWN(1035, "server shutting down"),
    PROTOCOL_ERROR(1036, "session message not allowed in this state"),
    SLOW_CONSUMER(1037, "client too slow reading its messages"),
    // Business rejects
    UNKNOWN_TEMPLATE(1101, "unknown template id"),
    MALFORMED_MESSAGE(1102, "message shorter than its layout"),
    INVALID_FIELD(1103, "field value not allowed"),
    DUPLICATE_CLIENT_ORDER_ID(1104, "clOrdId already used by a recent order"),
    RESERVED_CLIENT_ORDER_ID(1105, "clOrdId starting with '~' is reserved for quotes"),
    TOO_MANY_QUOTES(1106, "more quotes than a MassQuote may hold");

    private final int code;
    private final String text;

    ProtocolCode(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String text() {
        return text;
    }

    /** The code with this number, or {@code null}. */
    public static ProtocolCode ofCode(int code) {
        for (ProtocolCode value : values()) {
            if (value.code == code) {
                return value;
            }
        }
        return null;
    }
}
