package io.xex.gateway.ws;

import io.vertx.core.json.JsonObject;
import io.xex.runtime.Conditions;
import io.xex.gateway.OpsMetrics;
import io.xex.gateway.TestVenue;
import io.xex.gateway.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A connection's life over real sockets: pings and the idle timeout, the dead-man switch
 * (order.cancelAllAfter), and the notice and close on a planned stop.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionLifecycleIT {
    static final long PING_MS = 100;
    static final long IDLE_MS = 500;
    static final String SYMBOL = "TSLAx/USDT";
    static final Map<String, String> SETTINGS = Map.of(
        "XEX_GATEWAY_PINGINTERVALMS", Long.toString(PING_MS),
        "XEX_GATEWAY_IDLETIMEOUTMS", Long.toString(IDLE_MS));

    @TempDir
    static Path dir;
    static TestVenue venue;

    @BeforeAll
    static void start() throws Exception {
        venue = TestVenue.start(dir.resolve("venue"), SETTINGS);
    }

    @AfterAll
    static void stop() {
        venue.close();
    }

    @Test
    void aClientThatStopsReadingIsClosedAsIdle() throws Exception {
        try (WsClient quiet = WsClient.connect(venue.port())) {
            assertEquals(200, quiet.request("time", new JsonObject()).getInteger("status"));
            double before = idleDisconnects();

            quiet.pauseReading(true); // it reads no ping, so it answers none

            Conditions.awaitTrue(Duration.ofSeconds(10), () -> "the server closes the silent connection",
                () -> idleDisconnects() > before);
            quiet.pauseReading(false);
            quiet.closed.get(WsClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals((short) 4805, quiet.closeStatus);
            assertNotNull(quiet.closeReason);
            assertTrue(quiet.closeReason.startsWith("805"), quiet.closeReason);
        }
    }

    @Test
    void aClientThatAnswersPingsStaysConnected() throws Exception {
        try (WsClient client = WsClient.connect(venue.port())) {
            assertEquals(200, client.request("time", new JsonObject()).getInteger("status"));
            long start = System.nanoTime();

            // sends nothing itself: only its automatic pongs keep it alive
            Conditions.awaitTrue(Duration.ofSeconds(10), () -> "three idle timeouts pass or the connection closes",
                () -> client.closed.isDone() || System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(3 * IDLE_MS));

            assertFalse(client.closed.isDone(), "closed with " + client.closeStatus + " " + client.closeReason);
            JsonObject answer = client.request("time", new JsonObject());
            assertEquals(200, answer.getInteger("status"), answer.encode());
        }
    }

    @Test
    void theDeadManSwitchCancelsTheAccountsOrdersWhenNotRefreshed() throws Exception {
        try (WsClient client = WsClient.connect(venue.port())) {
            assertEquals(200, client.logonHmac("demo-1", venue.demoSecret(1), System.currentTimeMillis()).getInteger("status"));
            assertEquals(200, client.request("subscribe", new JsonObject().put("channels", List.of("executions"))).getInteger("status"));
            assertEquals(200, client.request("order.place", buy("dms-1")).getInteger("status"));
            assertEquals(200, client.request("order.place", buy("dms-2")).getInteger("status"));
            assertEquals(2, openOrders(client));
            assertError(client.request("order.cancelAllAfter", new JsonObject().put("timeoutMs", 600_001)), 400, 703);
            assertError(client.request("order.cancelAllAfter", new JsonObject().put("timeoutMs", -1)), 400, 703);
            assertError(client.request("order.cancelAllAfter", new JsonObject()), 400, 708);

            long startNs = System.nanoTime();
            long beforeMs = System.currentTimeMillis();
            JsonObject armed = client.request("order.cancelAllAfter", new JsonObject().put("timeoutMs", 1000));
            long afterMs = System.currentTimeMillis();

            assertEquals(200, armed.getInteger("status"), armed.encode());
            assertEquals(1000L, armed.getJsonObject("result").getLong("timeoutMs"));
            long trigger = armed.getJsonObject("result").getLong("triggerTime");
            assertTrue(trigger >= beforeMs + 1000 && trigger <= afterMs + 1000, armed.encode());
            Conditions.awaitTrue(Duration.ofSeconds(10), () -> "both orders DONE CANCELLED_ALL; got " + client.on("executions"),
                () -> cancelledAll(client) == 2);
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
            assertTrue(elapsedMs >= 1000, "fired after " + elapsedMs + " ms");
            assertEquals(0, openOrders(client));
        }
    }

    @Test
    void aZeroTimeoutDisarmsTheSwitch() throws Exception {
        try (WsClient disarming = WsClient.connect(venue.port()); WsClient witness = WsClient.connect(venue.port())) {
            assertEquals(200, disarming.logonHmac("demo-2", venue.demoSecret(2), System.currentTimeMillis()).getInteger("status"));
            assertEquals(200, witness.logonHmac("demo-3", venue.demoSecret(3), System.currentTimeMillis()).getInteger("status"));
            assertEquals(200, witness.request("subscribe", new JsonObject().put("channels", List.of("executions"))).getInteger("status"));
            assertEquals(200, disarming.request("order.place", buy("keep-1")).getInteger("status"));
            assertEquals(200, witness.request("order.place", buy("witness-1")).getInteger("status"));

            assertEquals(200, disarming.request("order.cancelAllAfter", new JsonObject().put("timeoutMs", 1000)).getInteger("status"));
            JsonObject disarmed = disarming.request("order.cancelAllAfter", new JsonObject().put("timeoutMs", 0));
            assertEquals(200, disarmed.getInteger("status"), disarmed.encode());
            assertEquals(0L, disarmed.getJsonObject("result").getLong("timeoutMs"));
            assertTrue(disarmed.getJsonObject("result").containsKey("triggerTime"), disarmed.encode());
            assertNull(disarmed.getJsonObject("result").getValue("triggerTime"), disarmed.encode());

            // The witness's switch, armed after the disarmed one, ends later: once it has fired, the other would have.
            assertEquals(200, witness.request("order.cancelAllAfter", new JsonObject().put("timeoutMs", 1000)).getInteger("status"));
            Conditions.awaitTrue(Duration.ofSeconds(10), () -> "the witness's switch fires; got " + witness.on("executions"),
                () -> cancelledAll(witness) == 1);
            assertEquals(0, openOrders(witness));

            assertEquals(1, openOrders(disarming), "the disarmed switch did not fire");
            assertEquals(200, disarming.request("order.cancelAll", new JsonObject()).getInteger("status"));
        }
    }

    @Test
    void aPlannedStopTellsClientsAndClosesWith1001() throws Exception {
        TestVenue own = TestVenue.start(dir.resolve("stopping"), SETTINGS);
        boolean stopped = false;
        try (WsClient idle = WsClient.connect(own.port()); WsClient trader = WsClient.connect(own.port())) {
            assertEquals(200, trader.logonHmac("demo-1", own.demoSecret(1), System.currentTimeMillis()).getInteger("status"));
            assertEquals(200, trader.request("subscribe", new JsonObject()
                .put("channels", List.of("executions", "book." + SYMBOL))).getInteger("status"));
            trader.awaitReceived(m -> ("book." + SYMBOL).equals(m.getString("channel")), "the book snapshot");

            stopped = true;
            own.close();

            for (WsClient client : List.of(idle, trader)) {
                client.closed.get(WsClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                List<JsonObject> notices = client.on("serverShutdown");
                assertEquals(1, notices.size(), "one notice in " + client.received);
                JsonObject data = notices.getFirst().getJsonObject("data");
                assertEquals(806, data.getInteger("code"), notices.getFirst().encode());
                assertEquals(5000L, data.getLong("reconnectAfterMs"), notices.getFirst().encode());
                assertEquals((short) 1001, client.closeStatus, "close reason " + client.closeReason);
                assertNotNull(client.closeReason);
                assertTrue(client.closeReason.startsWith("806"), client.closeReason);
            }
        } finally {
            if (!stopped) {
                own.close();
            }
        }
    }

    static JsonObject buy(String clientOrderId) {
        return new JsonObject().put("symbol", SYMBOL).put("side", "BUY").put("type", "LIMIT")
            .put("price", "400.00").put("quantity", "0.100").put("clientOrderId", clientOrderId);
    }

    static int cancelledAll(WsClient client) {
        int n = 0;
        for (JsonObject message : client.on("executions")) {
            JsonObject data = message.getJsonObject("data");
            if ("DONE".equals(data.getString("type")) && "CANCELLED_ALL".equals(data.getJsonObject("order").getString("reason"))) {
                n++;
            }
        }
        return n;
    }

    static int openOrders(WsClient client) throws Exception {
        JsonObject orders = client.request("account.orders", new JsonObject());
        assertEquals(200, orders.getInteger("status"), orders.encode());
        return orders.getJsonObject("result").getJsonArray("orders").size();
    }

    static double idleDisconnects() {
        return OpsMetrics.value(venue, "xex_gateway_ws_idle_disconnects_total");
    }

    static void assertError(JsonObject response, int status, int code) {
        assertEquals(status, response.getInteger("status"), response.encode());
        assertEquals(code, response.getJsonObject("error").getInteger("code"), response.encode());
    }
}
