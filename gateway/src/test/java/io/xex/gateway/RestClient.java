package io.xex.gateway;

import io.xex.runtime.Conditions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * For tests: the REST API over a real socket with the JDK's HTTP client. Polling helpers ask at most every
 * {@value #POLL_MS} ms, well inside the per-address request limit that REST shares with WebSocket requests.
 */
public final class RestClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(20);
    static final long POLL_MS = 25;

    /** A response: status, content type, body. */
    public record Response(int status, String contentType, String contentDisposition, String body) {
        public JsonObject json() {
            return new JsonObject(body);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(TIMEOUT).build();
    private final String base;

    public RestClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    /** {@code value} encoded for a query string ({@code TSLAx/USDT} → {@code TSLAx%2FUSDT}). */
    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** GET {@code pathAndQuery} (already encoded). */
    public Response get(String pathAndQuery) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(TIMEOUT).GET().build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(response.statusCode(), response.headers().firstValue("content-type").orElse(null),
                response.headers().firstValue("content-disposition").orElse(null), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** GET a JSON answer that must be 200. */
    public JsonObject json(String pathAndQuery) {
        Response response = get(pathAndQuery);
        if (response.status() != 200) {
            throw new AssertionError("GET " + pathAndQuery + ": " + response.status() + " " + response.body());
        }
        return response.json();
    }

    /** Polls a JSON answer (200) until {@code done} accepts it; returns that answer. */
    public JsonObject awaitJson(String pathAndQuery, String what, Predicate<JsonObject> done) {
        JsonObject[] last = new JsonObject[1];
        awaitPolled(what + "; last answer " + pathAndQuery, () -> last[0], () -> {
            last[0] = json(pathAndQuery);
            return done.test(last[0]);
        });
        return last[0];
    }

    /**
     * Polls {@code poll} at most every {@value #POLL_MS} ms until it returns true; the condition is asked
     * every few ms in between without polling (no sleeping).
     */
    public static void awaitPolled(String what, java.util.function.Supplier<Object> lastSeen,
                                   java.util.function.BooleanSupplier poll) {
        long[] due = {System.nanoTime()};
        Conditions.awaitTrue(TIMEOUT, () -> what + " " + lastSeen.get(), () -> {
            long now = System.nanoTime();
            if (now - due[0] < 0) {
                return false;
            }
            due[0] = now + TimeUnit.MILLISECONDS.toNanos(POLL_MS);
            return poll.getAsBoolean();
        });
    }

    @Override
    public void close() {
        http.close();
    }
}
