package io.xex.protocol.client;

import io.xex.protocol.ProtocolCode;

/**
 * Why a session could not be negotiated or established: the code and reason of the server's
 * NegotiationReject, EstablishmentReject or Terminate, or code 0 for the client's own reasons (no answer in
 * time, connection closed, sequence numbers that do not match). An expected outcome carried by a failed
 * {@code Future}, so without a stack trace.
 */
public final class SessionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String reason;

    public SessionException(int code, String reason) {
        super(code == 0 ? reason : code + " " + name(code) + ": " + reason, null, false, false);
        this.code = code;
        this.reason = reason;
    }

    /** The server's code (a {@link ProtocolCode} number), or 0 when the client gave up by itself. */
    public int code() {
        return code;
    }

    /** The code as a {@link ProtocolCode}, or null if it is none of them. */
    public ProtocolCode protocolCode() {
        return ProtocolCode.ofCode(code);
    }

    public String reason() {
        return reason;
    }

    private static String name(int code) {
        ProtocolCode known = ProtocolCode.ofCode(code);
        return known == null ? "UNKNOWN" : known.name();
    }
}
