package io.xex.runtime.ops;

import io.vertx.core.json.JsonObject;
import io.xex.runtime.Venue;
import io.xex.runtime.config.ConfigSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ops HTTP server of a running venue, over a real socket: metrics, the admin token, bad requests. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class OpsServerIT {
    static final String ADMIN_TOKEN = "ops-token";
    static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static Venue venue;
    private static HttpClient http;

    @BeforeAll
    static void start() throws Exception {
        venue = Venue.start(ConfigSource.load(null, Map.of("XEX_DB_EMBEDDED_DIR", dir.resolve("pg").toString(),
                "XEX_OPS_PORT", "0", "XEX_OPS_ADMINTOKEN", ADMIN_TOKEN, "XEX_INSTRUMENTS", "TSLAx,NVDAx")))
            .toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    @AfterAll
    static void stop() throws Exception {
        if (http != null) {
            http.shutdownNow();
        }
        if (venue != null) {
            venue.stop().toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void metricsShowTheRuntimesAndVertxMeters() throws Exception {
        assertEquals(200, send(get("/healthz")).statusCode());
        HttpResponse<String> metrics = send(get("/metrics"));
        assertEquals(200, metrics.statusCode());
        assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain"));
        for (String meter : new String[] {"xex_engine_commands_total", "xex_engine_sequence", "xex_journal_available",
            "xex_journal_pending", "xex_history_cursor", "vertx_http_server_"}) {
            assertTrue(metrics.body().lines().anyMatch(line -> line.startsWith(meter)), meter + " in /metrics");
        }
    }

    @Test
    void adminNeedsTheToken() throws Exception {
        assertError(401, 401, send(get("/admin/engine")));
        assertError(401, 401, send(get("/admin/engine").header("Authorization", "Bearer " + ADMIN_TOKEN + "x")));
        assertError(401, 401, send(get("/admin/engine").header("Authorization", ADMIN_TOKEN)));
        assertError(401, 401, send(HttpRequest.newBuilder(ops("/admin/commands")).timeout(BOUND)
            .POST(HttpRequest.BodyPublishers.ofString(deposit().encode()))));

        HttpResponse<String> engine = send(get("/admin/engine").header("Authorization", "Bearer " + ADMIN_TOKEN));
        assertEquals(200, engine.statusCode());
        JsonObject status = new JsonObject(engine.body());
        assertTrue(status.getLong("sequence") >= 0);
        assertTrue(status.getString("stateHash").matches("[0-9a-f]{16}"), status.encode());
    }

    @Test
    void aCommandIsAnsweredOnceDurableWithItsSequenceAndEvents() throws Exception {
        JsonObject created = new JsonObject(post(new JsonObject().put("@type", "CreateAccount").put("accountId", 77)
            .put("makerFeeBps", 1).put("takerFeeBps", 2).put("stpMode", "NONE").encode()).body());
        long sequence = created.getLong("sequence");
        assertEquals("CommandResult", created.getString("@type"));
        assertEquals("AccountCreated", created.getJsonArray("events").getJsonObject(0).getString("@type"));

        // "type" is PlaceOrder's order type; the record's own type is "@type"
        HttpResponse<String> placed = post(new JsonObject().put("@type", "PlaceOrder").put("accountId", 77)
            .put("orderId", 1).put("clientOrderId", "ops-1").put("instrumentId", 0).put("side", "BUY")
            .put("type", "LIMIT").put("timeInForce", "GTC").put("price", 42_000).put("quantity", 100)
            .put("quoteBudget", 0).encode());
        assertEquals(200, placed.statusCode(), placed.body());
        JsonObject result = new JsonObject(placed.body());
        assertTrue(result.getLong("sequence") > sequence);
        JsonObject command = result.getJsonObject("command");
        assertEquals("LIMIT", command.getString("type"));
        assertEquals(result.getLong("sequence"), command.getLong("orderId"), "the order id is the sequence number");
        assertEquals("Rejected", result.getJsonArray("events").getJsonObject(0).getString("@type"), "no funds");
    }

    @Test
    void malformedCommandsAreAnswered400WithAnError() throws Exception {
        assertError(400, 400, post("{not json"));
        assertError(400, 400, post("[1, 2]"));
        assertError(400, 400, post(new JsonObject().put("@type", "Explode").encode()));
        assertError(400, 400, post(new JsonObject().put("type", "Deposit").put("accountId", 1).encode()));
        assertError(400, 400, post(new JsonObject().put("@type", "PlaceOrder").put("accountId", 1).put("orderId", 1)
            .encode())); // no side
        assertError(400, 400, post(deposit().put("accountId", "one").encode()));
        assertError(400, 400, post(new JsonObject().put("@type", "CreateAccount").put("accountId", 5)
            .put("stpMode", "SOMETIMES").encode()));
        HttpResponse<String> unknown = post(new JsonObject().put("@type", "Explode").encode());
        assertTrue(new JsonObject(unknown.body()).getJsonObject("error").getString("msg").contains("Explode"));
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413() throws Exception {
        String padding = "x".repeat(OpsServer.MAX_BODY_BYTES);
        assertError(413, 413, post(deposit().put("padding", padding).encode()));
    }

    @Test
    void emptyBodiesAndNumbersThatDoNotFitAreRefusedNotTruncated() throws Exception {
        assertError(400, 400, post(""));
        assertError(400, 400, post("null"));
        assertError(400, 400, post(deposit().put("accountId", 1.5).encode()));
        assertError(400, 400, post(deposit().put("asset", 4_294_967_296L).encode()));
        assertError(400, 400, post("{\"@type\":\"Deposit\",\"accountId\":18446744073709551617,\"asset\":0,\"amount\":1}"));
    }

    @Test
    void textThatCannotBeJournaledIsRefusedAndTheVenueGoesOn() throws Exception {
        // an unpaired UTF-16 surrogate has no UTF-8 form: such a command must never reach the journal
        String lone = "{\"@type\":\"CancelOrder\",\"accountId\":1,\"orderId\":0,\"clientOrderId\":\"\\ud800\"}";
        assertError(400, 506, post(lone));
        HttpResponse<String> next = post(deposit().encode());
        assertEquals(200, next.statusCode(), next.body());
    }

    private static JsonObject deposit() {
        return new JsonObject().put("@type", "Deposit").put("accountId", 1).put("asset", 0).put("amount", 1);
    }

    private static void assertError(int status, int code, HttpResponse<String> response) {
        assertEquals(status, response.statusCode(), response.body());
        JsonObject error = new JsonObject(response.body()).getJsonObject("error");
        assertEquals(code, error.getInteger("code"), response.body());
        assertTrue(!error.getString("msg").isBlank(), response.body());
    }

    private static HttpResponse<String> post(String body) throws Exception {
        return send(HttpRequest.newBuilder(ops("/admin/commands")).timeout(BOUND)
            .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static HttpRequest.Builder get(String path) {
        return HttpRequest.newBuilder(ops(path)).timeout(BOUND).GET();
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI ops(String path) {
        return URI.create("http://127.0.0.1:" + venue.opsPort() + path);
    }
}
