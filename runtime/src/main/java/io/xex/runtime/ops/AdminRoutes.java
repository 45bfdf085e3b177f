package io.xex.runtime.ops;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Where a venue component adds its own operator endpoints under {@code /admin/} of the operations server, behind the
 * same bearer token (settlement's batches, for instance). A handler answers with a JSON object; a failed future with
 * an {@link AdminException} becomes its status and message, any other failure a 500.
 */
public interface AdminRoutes {

    /** Serves {@code GET /admin/<path>}. */
    void get(String path, Supplier<Future<JsonObject>> handler);

    /** Serves {@code POST /admin/<path>} with a JSON object as its body (400 when it is not one). */
    void post(String path, Function<JsonObject, Future<JsonObject>> handler);

    /** A request an endpoint refuses, with the HTTP status to answer (400, 404, 409...). */
    final class AdminException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final int status;

        public AdminException(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }
}
