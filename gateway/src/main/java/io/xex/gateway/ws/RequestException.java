package io.xex.gateway.ws;

import io.vertx.core.json.JsonObject;
import io.xex.gateway.GatewayError;
import io.xex.matching.RejectReason;
import io.xex.runtime.engine.Refusal;

/**
 * A request answered with an error: a stable code, its fixed text, an optional detail naming what was
 * wrong, and the HTTP-like status of the response. An expected outcome, so no stack trace.
 */
final class RequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final int code;
    final String text;
    final String detail;
    /** Fields added to the error object (the next open of a closed market), or null. */
    private transient JsonObject extra;

    RequestException(int status, int code, String text, String detail) {
        super(code + " " + text, null, false, false);
        this.status = status;
        this.code = code;
        this.text = text;
        this.detail = detail;
    }

    RequestException(GatewayError error, String detail) {
        this(statusOf(error), error.code(), error.text(), detail);
    }

    static RequestException of(GatewayError error) {
        return new RequestException(error, null);
    }

    static RequestException rejected(RejectReason reason) {
        return new RequestException(400, reason.code(), reason.text(), null);
    }

    static RequestException rejected(RejectReason reason, String detail) {
        return new RequestException(400, reason.code(), reason.text(), detail);
    }

    static RequestException refused(Refusal refusal) {
        return new RequestException(503, refusal.code(), refusal.text(), null);
    }

    static int statusOf(GatewayError error) {
        int code = error.code();
        if (code < 700) {
            return 401;
        }
        if (code < 800) {
            return switch (error) {
                case REQUEST_TOO_LARGE -> 413;
                case WITHDRAWALS_UNAVAILABLE, ISSUER_UNAVAILABLE -> 503;
                default -> 400;
            };
        }
        if (code < 900) {
            return 429;
        }
        return 500;
    }

    /** Adds {@code name: value} to the error object. */
    RequestException with(String name, Object value) {
        if (extra == null) {
            extra = new JsonObject();
        }
        extra.put(name, value);
        return this;
    }

    JsonObject error() {
        JsonObject error = new JsonObject().put("code", code).put("msg", text);
        if (detail != null) {
            error.put("detail", detail);
        }
        if (extra != null) {
            error.mergeIn(extra);
        }
        return error;
    }
}
