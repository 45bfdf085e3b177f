package io.xex.gateway.ws;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xex.runtime.Conditions;
import io.xex.gateway.OpsMetrics;
import io.xex.gateway.TestVenue;
import io.xex.gateway.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rate limits over real sockets, with a clock that moves only when the test says so: orders per account,
 * requests per client address (over all its connections), open connections per address.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LimitsIT {
    static final int ORDERS_PER_SECOND = 5;
    static final int REQUESTS_PER_SECOND = 20;
    static final int CONNECTIONS = 2;
    static final String SYMBOL = "TSLAx/USDT";

    @TempDir
    static Path dir;
    static final TestVenue.ManualClock clock = new TestVenue.ManualClock();
    static TestVenue venue;

    @BeforeAll
    static void start() throws Exception {
        venue = TestVenue.start(dir, Map.of(
            "XEX_GATEWAY_LIMITS_ORDERSPERSECOND", Integer.toString(ORDERS_PER_SECOND),
            "XEX_GATEWAY_LIMITS_REQUESTSPERSECONDPERIP", Integer.toString(REQUESTS_PER_SECOND),
            "XEX_GATEWAY_LIMITS_CONNECTIONSPERIP", Integer.toString(CONNECTIONS)), clock);
    }

    @AfterAll
    static void stop() {
        venue.close();
    }

    /** Every test starts in a fresh one-second window, with no connection of an earlier test still counted. */
    @BeforeEach
    void freshWindow() {
        Conditions.awaitTrue(Duration.ofSeconds(10), () -> "connections of earlier tests closed on the server",
            () -> OpsMetrics.sessions(venue) == 0);
        clock.advance(Limits.WINDOW_MS);
    }

    @Test
    void theOrderAboveTheAccountsRateIsRefusedAndNotPlaced() throws Exception {
        try (WsClient client = WsClient.connect(venue.port())) {
            assertEquals(200, client.logonHmac("demo-1", venue.demoSecret(1), clock.getAsLong()).getInteger("status"));
            int requests = 1;
            for (int i = 1; i <= ORDERS_PER_SECOND; i++) {
                JsonObject placed = client.request("order.place", buy("rate-" + i));
                requests++;
                assertEquals(200, placed.getInteger("status"), placed.encode());
                assertLimit(placed, "ORDERS", "ACCOUNT", i, ORDERS_PER_SECOND);
                assertLimit(placed, "REQUESTS", "IP", requests, REQUESTS_PER_SECOND);
            }

            JsonObject refused = client.request("order.place", buy("rate-refused"));
            requests++;
            assertError(refused, 429, 801);
            assertLimit(refused, "ORDERS", "ACCOUNT", -1, ORDERS_PER_SECOND);
            assertLimit(refused, "REQUESTS", "IP", requests, REQUESTS_PER_SECOND);
            // order.amend counts against the same limit
            assertError(client.request("order.amend", new JsonObject().put("symbol", SYMBOL)
                .put("clientOrderId", "rate-1").put("price", "399.00").put("quantity", "0.100")), 429, 801);

            List<String> resting = clientOrderIds(client);
            assertEquals(List.of("rate-1", "rate-2", "rate-3", "rate-4", "rate-5"), resting.stream().sorted().toList(),
                "only the orders within the limit are on the book");
            assertFalse(resting.contains("rate-refused"));

            clock.advance(Limits.WINDOW_MS);

            JsonObject accepted = client.request("order.place", buy("rate-next-second"));
            assertEquals(200, accepted.getInteger("status"), accepted.encode());
            assertLimit(accepted, "ORDERS", "ACCOUNT", 1, ORDERS_PER_SECOND);
            assertLimit(accepted, "REQUESTS", "IP", 1, REQUESTS_PER_SECOND);
            assertTrue(clientOrderIds(client).contains("rate-next-second"));
            assertEquals(200, client.request("order.cancelAll", new JsonObject()).getInteger("status"));
        }
    }

    @Test
    void requestsAreLimitedPerAddressOverAllItsConnections() throws Exception {
        try (WsClient first = WsClient.connect(venue.port()); WsClient second = WsClient.connect(venue.port())) {
            for (int i = 1; i <= REQUESTS_PER_SECOND; i++) {
                JsonObject answer = (i % 2 == 0 ? second : first).request("time", new JsonObject());
                assertEquals(200, answer.getInteger("status"), answer.encode());
                assertLimit(answer, "REQUESTS", "IP", i, REQUESTS_PER_SECOND);
                assertEquals(1, answer.getJsonArray("rateLimits").size(),
                    "no ORDERS entry before logon: " + answer.encode());
            }

            JsonObject refused = first.request("time", new JsonObject());
            assertError(refused, 429, 802);
            assertLimit(refused, "REQUESTS", "IP", -1, REQUESTS_PER_SECOND);
            assertError(second.request("ping", new JsonObject()), 429, 802);

            clock.advance(Limits.WINDOW_MS);

            JsonObject again = second.request("time", new JsonObject());
            assertEquals(200, again.getInteger("status"), again.encode());
            assertLimit(again, "REQUESTS", "IP", 1, REQUESTS_PER_SECOND);
            assertEquals(clock.getAsLong(), again.getJsonObject("result").getLong("serverTime"));
        }
    }

    @Test
    void aConnectionAboveTheAddressLimitIsToldAndClosed() throws Exception {
        // connections of earlier tests count until the server has seen them close
        Conditions.awaitTrue(WsClient.TIMEOUT, () -> "earlier connections closed on the server",
            () -> OpsMetrics.value(venue, "xex_gateway_ws_sessions") == 0);
        WsClient second = WsClient.connect(venue.port());
        try (WsClient first = WsClient.connect(venue.port())) {
            assertEquals(200, first.request("time", new JsonObject()).getInteger("status"));
            assertEquals(200, second.request("time", new JsonObject()).getInteger("status"));

            Refused third = connectRefused(venue.port());
            assertEquals(1, third.messages.size(), "one message before the close: " + third.messages);
            JsonObject error = third.messages.getFirst();
            assertEquals(803, error.getJsonObject("error").getInteger("code"), error.encode());
            assertEquals(429, error.getInteger("status"), error.encode());
            assertEquals((short) 4803, third.status, "close reason " + third.reason);
            assertNotNull(third.reason);
            assertTrue(third.reason.startsWith("803"), third.reason);
            assertTrue(OpsMetrics.value(venue, "xex_gateway_ws_connections_refused_total") >= 1);
            // the refused connection was never counted: the two others still work, and only they are open
            assertEquals(200, first.request("time", new JsonObject()).getInteger("status"));
            assertEquals(200, second.request("time", new JsonObject()).getInteger("status"));
            assertEquals(2, OpsMetrics.sessions(venue));

            second.close();
            Conditions.awaitTrue(Duration.ofSeconds(10), () -> "the closed connection released on the server",
                () -> OpsMetrics.sessions(venue) == 1);
            try (WsClient replacement = WsClient.connect(venue.port())) {
                JsonObject answer = replacement.request("time", new JsonObject());
                assertEquals(200, answer.getInteger("status"), answer.encode());
                assertFalse(replacement.closed.isDone());
            }
        } finally {
            second.close();
        }
    }

    record Refused(List<JsonObject> messages, Short status, String reason) {
    }

    /**
     * Connects, expecting to be refused at once: the handlers are set before the handshake (WsClient sets
     * them after it, so a message sent right after the handshake can be gone by then) and the messages and
     * close received are returned once the connection is closed.
     */
    static Refused connectRefused(int port) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            // the client is held in a local until the end: Vert.x closes an unreferenced client when it is collected
            WebSocketClient client = vertx.createWebSocketClient();
            ClientWebSocket socket = client.webSocket();
            List<JsonObject> messages = new CopyOnWriteArrayList<>();
            CompletableFuture<Refused> closed = new CompletableFuture<>();
            socket.textMessageHandler(text -> messages.add(new JsonObject(text)));
            socket.closeHandler(v -> closed.complete(new Refused(List.copyOf(messages), socket.closeStatusCode(),
                socket.closeReason())));
            socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
                .toCompletionStage().toCompletableFuture().get(WsClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Refused refused = closed.get(WsClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            client.close();
            return refused;
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    static JsonObject buy(String clientOrderId) {
        return new JsonObject().put("symbol", SYMBOL).put("side", "BUY").put("type", "LIMIT")
            .put("price", "400.00").put("quantity", "0.100").put("clientOrderId", clientOrderId);
    }

    static List<String> clientOrderIds(WsClient client) throws Exception {
        JsonObject orders = client.request("account.orders", new JsonObject());
        assertEquals(200, orders.getInteger("status"), orders.encode());
        List<String> out = new ArrayList<>();
        for (Object order : orders.getJsonObject("result").getJsonArray("orders")) {
            out.add(((JsonObject) order).getString("clientOrderId"));
        }
        return out;
    }

    /** The response's rateLimits entry of that type and scope: {@code count} used of {@code limit} (-1: at the limit or over). */
    static void assertLimit(JsonObject response, String type, String scope, int count, int limit) {
        JsonArray limits = response.getJsonArray("rateLimits");
        assertNotNull(limits, "rateLimits in " + response.encode());
        for (Object entry : limits) {
            JsonObject limitEntry = (JsonObject) entry;
            if (type.equals(limitEntry.getString("type")) && scope.equals(limitEntry.getString("scope"))) {
                if (count < 0) {
                    assertTrue(limitEntry.getInteger("count") >= limit, response.encode());
                } else {
                    assertEquals(count, limitEntry.getInteger("count"), response.encode());
                }
                assertEquals(limit, limitEntry.getInteger("limit"), response.encode());
                assertEquals(Limits.WINDOW_MS, limitEntry.getLong("intervalMs"), response.encode());
                return;
            }
        }
        throw new AssertionError("no " + type + "/" + scope + " entry in " + response.encode());
    }

    static void assertError(JsonObject response, int status, int code) {
        assertEquals(status, response.getInteger("status"), response.encode());
        assertEquals(code, response.getJsonObject("error").getInteger("code"), response.encode());
    }
}
