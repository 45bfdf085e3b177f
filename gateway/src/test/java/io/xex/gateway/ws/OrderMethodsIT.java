package io.xex.gateway.ws;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xex.runtime.Conditions;
import io.xex.gateway.TestVenue;
import io.xex.gateway.WsClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every order method end to end over a real socket, on the real engine and journal: results, engine
 * rejects with their numbers, and the private executions and balances channels. Each test uses its own
 * symbol side/price area so that tests do not meet in the book.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class OrderMethodsIT {
    static final String TSLA = "TSLAx/USDT";
    static final String NVDA = "NVDAx/USDT";

    @TempDir
    static Path dir;
    static TestVenue venue;

    @BeforeAll
    static void start() throws Exception {
        venue = TestVenue.start(dir, Map.of());
    }

    @AfterAll
    static void stop() {
        venue.close();
    }

    static WsClient loggedOn(long account) throws Exception {
        WsClient client = WsClient.connect(venue.port());
        JsonObject logon = client.logonHmac("demo-" + account, venue.demoSecret(account), System.currentTimeMillis());
        assertEquals(200, logon.getInteger("status"), logon.encode());
        return client;
    }

    static JsonObject ok(JsonObject response) {
        assertEquals(200, response.getInteger("status"), response.encode());
        return response.getJsonObject("result");
    }

    static JsonObject limit(String symbol, String side, String price, String quantity) {
        return new JsonObject().put("symbol", symbol).put("side", side).put("type", "LIMIT").put("price", price)
            .put("quantity", quantity);
    }

    @Test
    void aRestingOrderIsFilledAndBothSidesHearOfIt() throws Exception {
        try (WsClient maker = loggedOn(1); WsClient taker = loggedOn(2)) {
            ok(maker.request("subscribe", new JsonObject().put("channels", new JsonArray().add("executions").add("balances"))));
            JsonObject rested = ok(maker.request("order.place", limit(TSLA, "SELL", "421.00", "2.000")
                .put("clientOrderId", "ask-1")));
            assertEquals("NEW", rested.getString("status"));
            assertEquals("ask-1", rested.getString("clientOrderId"));
            assertEquals("421.00", rested.getString("price"));
            assertEquals("2.000", rested.getString("remaining"));
            long askId = rested.getLong("orderId");

            JsonObject filled = ok(taker.request("order.place", limit(TSLA, "BUY", "421.50", "0.500")
                .put("timeInForce", "IOC")));

            assertEquals("FILLED", filled.getString("status"));
            JsonArray fills = filled.getJsonArray("fills");
            assertEquals(1, fills.size());
            JsonObject fill = fills.getJsonObject(0);
            assertEquals("421.00", fill.getString("price"), "at the maker's price");
            assertEquals("0.500", fill.getString("quantity"));
            assertEquals("TAKER", fill.getString("liquidity"));
            // 421.00 × 0.5 = 210.5 USDT, taker fee 5 bps = 0.105250 USDT
            assertEquals("0.105250", fill.getString("fee"));
            assertEquals("USDT", fill.getString("feeAsset"));

            JsonObject makerFill = maker.awaitReceived(m -> "executions".equals(m.getString("channel"))
                && "TRADE".equals(m.getJsonObject("data").getString("type")), "maker's trade execution")
                .getJsonObject("data");
            assertEquals(askId, makerFill.getJsonObject("fill").getLong("orderId"));
            assertEquals("MAKER", makerFill.getJsonObject("fill").getString("liquidity"));
            assertEquals("0.042100", makerFill.getJsonObject("fill").getString("fee"), "maker 2 bps of 210.5");
            assertEquals("PARTIALLY_FILLED", makerFill.getJsonObject("order").getString("status"));
            assertEquals("1.500", makerFill.getJsonObject("order").getString("remaining"));

            // the balances channel: a snapshot first, then updates after it
            JsonObject snapshot = maker.awaitReceived(m -> "balances".equals(m.getString("channel"))
                && "snapshot".equals(m.getString("type")), "balances snapshot").getJsonObject("data");
            long snapshotId = snapshot.getLong("updateId");
            maker.awaitReceived(m -> "balances".equals(m.getString("channel")) && "update".equals(m.getString("type"))
                && "USDT".equals(m.getJsonObject("data").getString("asset")), "USDT balance update after the trade");
            for (JsonObject update : maker.on("balances")) {
                if ("update".equals(update.getString("type"))) {
                    assertTrue(update.getJsonObject("data").getLong("updateId") > snapshotId, update.encode());
                }
            }

            JsonObject open = ok(maker.request("account.orders", new JsonObject().put("symbol", TSLA)));
            assertEquals(List.of(askId), open.getJsonArray("orders").stream()
                .map(o -> ((JsonObject) o).getLong("orderId")).toList());

            Conditions.awaitTrue(WsClient.TIMEOUT, () -> "taker's trade in history", () -> {
                try {
                    return !ok(taker.request("account.trades", new JsonObject().put("symbol", TSLA)))
                        .getJsonArray("trades").isEmpty();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            JsonObject trade = ok(taker.request("account.trades", new JsonObject().put("symbol", TSLA)))
                .getJsonArray("trades").getJsonObject(0);
            assertEquals("BUY", trade.getString("side"));
            assertEquals("0.105250", trade.getString("fee"));

            ok(maker.request("order.cancel", new JsonObject().put("orderId", askId)));
        }
    }

    @Test
    void amendKeepsOrLosesPriorityAndCancelWorksByEitherId() throws Exception {
        try (WsClient client = loggedOn(3)) {
            JsonObject placed = ok(client.request("order.place", limit(NVDA, "BUY", "170.00", "1.000")
                .put("clientOrderId", "bid-a")));
            long id = placed.getLong("orderId");

            JsonObject smaller = ok(client.request("order.amend", new JsonObject().put("symbol", NVDA)
                .put("orderId", id).put("price", "170.00").put("quantity", "0.600")));
            assertEquals("0.600", smaller.getString("quantity"));
            assertEquals(id, smaller.getLong("orderId"));

            JsonObject moved = ok(client.request("order.amend", new JsonObject().put("symbol", NVDA)
                .put("clientOrderId", "bid-a").put("price", "171.00").put("quantity", "0.600")));
            assertEquals("171.00", moved.getString("price"));
            assertEquals("NEW", moved.getString("status"));

            JsonObject nothing = client.request("order.amend", new JsonObject().put("symbol", NVDA)
                .put("orderId", id).put("price", "171.00").put("quantity", "0.600"));
            assertEquals(400, nothing.getInteger("status"));
            assertEquals(114, nothing.getJsonObject("error").getInteger("code"));

            JsonObject cancelled = ok(client.request("order.cancel", new JsonObject().put("clientOrderId", "bid-a")));
            assertEquals("CANCELED", cancelled.getString("status"));
            assertEquals("CANCELLED", cancelled.getString("reason"));

            JsonObject again = client.request("order.cancel", new JsonObject().put("orderId", id));
            assertEquals(113, again.getJsonObject("error").getInteger("code"));
            assertEquals("no such live order", again.getJsonObject("error").getString("msg"));
        }
    }

    @Test
    void cancelAllCancelsOneSymbolOrAll() throws Exception {
        try (WsClient client = loggedOn(3)) {
            ok(client.request("order.place", limit(NVDA, "BUY", "165.00", "0.100")));
            ok(client.request("order.place", limit(NVDA, "BUY", "165.01", "0.100")));
            ok(client.request("order.place", limit(TSLA, "BUY", "400.00", "0.100")));

            JsonObject nvda = ok(client.request("order.cancelAll", new JsonObject().put("symbol", NVDA)));
            assertEquals(2, nvda.getJsonArray("cancelled").size());
            assertEquals(1, ok(client.request("account.orders", new JsonObject())).getJsonArray("orders").size());

            JsonObject all = ok(client.request("order.cancelAll", new JsonObject()));
            assertEquals(1, all.getJsonArray("cancelled").size());
            assertEquals("CANCELED", all.getJsonArray("cancelled").getJsonObject(0).getString("status"));
            assertTrue(ok(client.request("account.orders", new JsonObject())).getJsonArray("orders").isEmpty());
        }
    }

    @Test
    void engineRejectsCarryTheirNumbersAndChangeNothing() throws Exception {
        try (WsClient client = loggedOn(2)) {
            JsonObject before = ok(client.request("account.balances", new JsonObject()));

            JsonObject tooBig = client.request("order.place", limit(TSLA, "BUY", "420.00", "90000.000"));
            assertEquals(400, tooBig.getInteger("status"));
            assertEquals(201, tooBig.getJsonObject("error").getInteger("code"));
            assertEquals("insufficient available balance", tooBig.getJsonObject("error").getString("msg"));

            JsonObject outsideBand = client.request("order.place", limit(TSLA, "BUY", "300.00", "0.100"));
            assertEquals(304, outsideBand.getJsonObject("error").getInteger("code"));

            JsonObject belowNotional = client.request("order.place", limit(TSLA, "BUY", "420.00", "0.001"));
            assertEquals(107, belowNotional.getJsonObject("error").getInteger("code"));

            JsonObject offTick = client.request("order.place", limit(TSLA, "BUY", "420.001", "0.100"));
            assertEquals(703, offTick.getJsonObject("error").getInteger("code"));
            assertTrue(offTick.getJsonObject("error").getString("detail").startsWith("price"));

            JsonObject after = ok(client.request("account.balances", new JsonObject()));
            assertEquals(before.getJsonArray("balances"), after.getJsonArray("balances"));
            assertFalse(after.getLong("updateId") < before.getLong("updateId"));
        }
    }

    @Test
    void aMarketBuyCanSpendAQuoteBudget() throws Exception {
        try (WsClient maker = loggedOn(1); WsClient taker = loggedOn(3)) {
            ok(maker.request("order.place", limit(NVDA, "SELL", "181.00", "1.000")));

            JsonObject bought = ok(taker.request("order.place", new JsonObject().put("symbol", NVDA).put("side", "BUY")
                .put("type", "MARKET").put("quoteBudget", "100.000000")));

            assertEquals("MARKET", bought.getString("type"));
            assertEquals("100.000000", bought.getString("quoteBudget"));
            // 100 USDT buys 0.552 at 181.00 (99.912) plus the 5 bps fee (0.049956): whole lots only
            assertEquals("0.552", bought.getString("filled"));
            assertEquals("EXPIRED", bought.getString("status"));
            assertEquals("EXPIRED_BUDGET_SPENT", bought.getString("reason"));
            ok(maker.request("order.cancelAll", new JsonObject()));
        }
    }
}
