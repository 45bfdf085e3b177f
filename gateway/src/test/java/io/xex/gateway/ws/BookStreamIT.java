package io.xex.gateway.ws;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xex.runtime.Conditions;
import io.xex.gateway.RestClient;
import io.xex.gateway.TestVenue;
import io.xex.gateway.WsClient;
import io.xex.matching.Command;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;
import io.xex.matching.TradingState;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;
import io.xex.runtime.engine.QueryAnswer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Market data over a real socket: a client keeps an order book from {@code book.<symbol>} (snapshot,
 * then every delta, checksum checked on each) through a busy order flow and ends with the book REST
 * reports at the same update id, and that book is the engine's; a client that joins under load converges
 * too; trades, ticker and status channels; subscription errors.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BookStreamIT {
    private static final String TSLA = "TSLAx/USDT";
    private static final String NVDA = "NVDAx/USDT";
    private static final int TSLA_ID = 0;
    private static final int NVDA_ID = 1;
    private static final Duration AWAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;
    static TestVenue venue;
    static RestClient rest;

    @BeforeAll
    static void start() throws Exception {
        venue = TestVenue.start(dir, Map.of());
        rest = new RestClient(venue.port());
    }

    @AfterAll
    static void stop() {
        rest.close();
        venue.close();
    }

    @Test
    void aSubscriberFollowsEveryDeltaToTheDepthSnapshotAndTheEnginesBook() throws Exception {
        try (WsClient client = WsClient.connect(venue.port()); WsClient trader = WsClient.connect(venue.port())) {
            assertSubscribed(client, "book." + TSLA);
            BookFollower book = new BookFollower(client, TSLA);
            Conditions.awaitTrue(AWAIT, () -> "the book snapshot", () -> book.drain().snapshots() == 1);
            assertEquals(200, trader.logonHmac("demo-3", venue.demoSecret(3), System.currentTimeMillis()).getInteger("status"));

            OrderFlow flow = new OrderFlow(venue.engine(), TSLA_ID, 4242, 6, 150);
            int wsOrders = 0;
            for (int step = 0; step < 160; step++) {
                flow.step();
                if (step % 8 == 0) {
                    wsOrders += tradeOverWebSocket(trader, step);
                }
                book.drain();
            }

            // The flow did what the test is about.
            String flowSummary = flow.toString();
            assertTrue(flow.trades >= 30, flowSummary);
            assertTrue(flow.partialFills >= 10, flowSummary);
            assertTrue(flow.amends >= 20 && flow.priorityKeptAmends >= 5, flowSummary);
            assertTrue(flow.reductions >= 10, flowSummary);
            assertTrue(flow.cancels >= 20, flowSummary);
            assertTrue(wsOrders >= 10, "orders over the WebSocket: " + wsOrders);

            // Nothing moves any more: the engine's book is final. The mirror reaches it, then the client.
            EngineBook engine = engineBook(TSLA_ID);
            assertTrue(engine.bids.size() > BookFollower.CHECKSUM_LEVELS && engine.asks.size() > BookFollower.CHECKSUM_LEVELS,
                "more levels than the checksum covers: " + engine);
            JsonObject depth = rest.awaitJson("/api/v1/depth?symbol=" + RestClient.encode(TSLA) + "&limit=5000",
                "REST depth equals the engine's book " + engine,
                d -> d.getJsonArray("bids").equals(engine.bids) && d.getJsonArray("asks").equals(engine.asks));
            long updateId = depth.getLong("updateId");
            assertTrue(updateId <= engine.sequence, "update id " + updateId + " beyond the engine's sequence " + engine.sequence);
            Conditions.awaitTrue(AWAIT, () -> "client at update " + updateId + ": " + book.describe(),
                () -> book.drain().lastUpdateId() >= updateId);

            assertEquals(updateId, book.lastUpdateId());
            assertEquals(depth.getJsonArray("bids"), book.levels(true, 0));
            assertEquals(depth.getJsonArray("asks"), book.levels(false, 0));
            assertEquals(depth.getLong("checksum").longValue(), book.checksum());
            assertEquals(1, book.snapshots(), "one snapshot, then deltas only: " + book.describe());
            assertTrue(book.deltas() >= 100, book.describe().toString());
            assertEquals(book.deltas() + 1, book.checksumsVerified());
            assertTrue(book.levelsRemoved() >= 10, "levels removed: " + book.levelsRemoved());
        }
    }

    /**
     * Order requests over the WebSocket for account 3, away from the flow's prices so that nothing fills
     * them: place a bid or an ask, then lower its quantity, move it, or cancel it. Returns the requests made
     * (each must be answered 200).
     */
    private int tradeOverWebSocket(WsClient trader, int step) throws Exception {
        int round = step / 8;
        boolean buy = round % 2 == 0;
        String price = buy ? "419.%02d".formatted(40 + round % 20) : "420.%02d".formatted(60 + round % 20);
        JsonObject placed = trader.request("order.place", new JsonObject().put("symbol", TSLA)
            .put("side", buy ? "BUY" : "SELL").put("type", "LIMIT").put("price", price).put("quantity", "0.250"));
        assertEquals(200, placed.getInteger("status"), placed.encode());
        long orderId = placed.getJsonObject("result").getLong("orderId");
        JsonObject next = switch (round % 3) {
            case 0 -> trader.request("order.amend", new JsonObject().put("symbol", TSLA).put("orderId", orderId)
                .put("price", price).put("quantity", "0.100"));
            case 1 -> trader.request("order.amend", new JsonObject().put("symbol", TSLA).put("orderId", orderId)
                .put("price", buy ? "419.30" : "420.70").put("quantity", "0.400"));
            default -> trader.request("order.cancel", new JsonObject().put("orderId", orderId));
        };
        assertEquals(200, next.getInteger("status"), next.encode());
        return 2;
    }

    @Test
    void aClientSubscribingMidStreamUnderLoadEndsWithTheTop10OfTheDepthAtItsUpdateId() throws Exception {
        try (WsClient early = WsClient.connect(venue.port()); WsClient late = WsClient.connect(venue.port())) {
            assertSubscribed(early, "book." + TSLA);
            BookFollower earlyBook = new BookFollower(early, TSLA);
            Conditions.awaitTrue(AWAIT, () -> "the early snapshot", () -> earlyBook.drain().snapshots() == 1);

            OrderFlow flow = new OrderFlow(venue.engine(), TSLA_ID, 777, 10, 200);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread load = Thread.ofPlatform().name("order-flow").start(() -> {
                try {
                    while (!stop.get() && flow.steps() < 2_000) {
                        flow.step();
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            });
            try {
                Conditions.awaitTrue(AWAIT, () -> "load under way: " + flow.steps(), () -> {
                    earlyBook.drain();
                    return flow.steps() >= 60 || failure.get() != null;
                });
                assertSubscribed(late, "book." + TSLA);
                BookFollower lateBook = new BookFollower(late, TSLA);
                long joinedAt = flow.steps();
                Conditions.awaitTrue(AWAIT, () -> "load after the late subscription: " + flow.steps(), () -> {
                    earlyBook.drain();
                    lateBook.drain();
                    return flow.steps() >= joinedAt + 200 || failure.get() != null;
                });
                stop.set(true);
                load.join(TimeUnit.SECONDS.toMillis(30));
                if (failure.get() != null) {
                    throw new AssertionError("the order flow failed", failure.get());
                }
                assertTrue(lateBook.drain().snapshots() >= 1, "the late snapshot arrived");
                assertTrue(lateBook.firstSnapshotUpdateId() > earlyBook.firstSnapshotUpdateId(),
                    "the late client joined mid-stream: " + lateBook.firstSnapshotUpdateId() + " vs " + earlyBook.firstSnapshotUpdateId());
                assertTrue(lateBook.deltas() >= 50, lateBook.describe().toString());
                assertTrue(flow.trades >= 50, flow.toString());

                // After the load: the late client's top 10 and a depth snapshot at the same update id.
                JsonObject[] depth = new JsonObject[1];
                RestClient.awaitPolled("a depth snapshot at the late client's update id", () -> lateBook.describe() + " vs "
                    + depth[0], () -> {
                    lateBook.drain();
                    earlyBook.drain();
                    depth[0] = rest.json("/api/v1/depth?symbol=" + RestClient.encode(TSLA) + "&limit=10");
                    return depth[0].getLong("updateId") == lateBook.lastUpdateId();
                });
                assertEquals(depth[0].getJsonArray("bids"), lateBook.levels(true, 10));
                assertEquals(depth[0].getJsonArray("asks"), lateBook.levels(false, 10));
                assertEquals(depth[0].getLong("checksum").longValue(), lateBook.checksum());
                assertEquals(10, depth[0].getJsonArray("bids").size(), "a full top 10: " + depth[0]);
                assertEquals(10, depth[0].getJsonArray("asks").size(), "a full top 10: " + depth[0]);

                // The early client went through the whole load and ends in the same place.
                Conditions.awaitTrue(AWAIT, () -> "the early client at " + lateBook.lastUpdateId() + ": " + earlyBook.describe(),
                    () -> earlyBook.drain().lastUpdateId() >= lateBook.lastUpdateId());
                assertEquals(lateBook.lastUpdateId(), earlyBook.lastUpdateId());
                assertEquals(lateBook.checksumText(), earlyBook.checksumText());
                assertEquals(lateBook.levels(true, 0), earlyBook.levels(true, 0));
                assertEquals(lateBook.levels(false, 0), earlyBook.levels(false, 0));
            } finally {
                stop.set(true);
                load.join(TimeUnit.SECONDS.toMillis(30));
            }
        }
    }

    @Test
    void aCrossIsPublishedOnTradesAndTicker() throws Exception {
        try (WsClient client = WsClient.connect(venue.port())) {
            assertSubscribed(client, "trades." + NVDA, "ticker." + NVDA);
            JsonObject tradesSnapshot = awaitPush(client, "trades." + NVDA, "snapshot");
            assertEquals(NVDA, tradesSnapshot.getJsonObject("data").getString("symbol"));
            assertInstanceOf(JsonArray.class, tradesSnapshot.getJsonObject("data").getValue("trades"));
            JsonObject tickerSnapshot = awaitPush(client, "ticker." + NVDA, "snapshot").getJsonObject("data");
            assertEquals(NVDA, tickerSnapshot.getString("symbol"));
            assertNotNull(tickerSnapshot.getLong("updateId"));
            assertDecimal(tickerSnapshot.getValue("volume24h"));
            assertDecimal(tickerSnapshot.getValue("quoteVolume24h"));

            CommandResult sell = submit(Command.PlaceOrder.limit(1, 1, NVDA_ID, Side.SELL, TimeInForce.GTC, 18_012, 500));
            CommandResult buy = submit(Command.PlaceOrder.limit(2, 1, NVDA_ID, Side.BUY, TimeInForce.GTC, 18_012, 500));
            EngineEvent.Trade trade = buy.events().stream().filter(EngineEvent.Trade.class::isInstance)
                .map(EngineEvent.Trade.class::cast).findFirst().orElseThrow(() -> new AssertionError("no trade: " + buy));
            assertEquals(sell.sequence(), trade.maker().orderId());

            JsonObject pushed = client.awaitReceived(m -> ("trades." + NVDA).equals(m.getString("channel"))
                && "update".equals(m.getString("type")), "a trades update");
            JsonObject data = pushed.getJsonObject("data");
            assertEquals(NVDA, data.getString("symbol"));
            assertEquals(1, data.getJsonArray("trades").size(), data.encode());
            JsonObject t = data.getJsonArray("trades").getJsonObject(0);
            assertEquals(trade.tradeId(), t.getLong("tradeId"));
            assertEquals("180.12", t.getValue("price"));
            assertEquals("0.500", t.getValue("quantity"));
            assertEquals("BUY", t.getString("side"), "the taker's side");
            assertEquals(buy.timestampNs() / 1_000_000L, t.getLong("time"));

            // The ticker is pushed on its timer once the symbol traded.
            JsonObject ticker = client.awaitReceived(m -> ("ticker." + NVDA).equals(m.getString("channel"))
                && "update".equals(m.getString("type")) && "180.12".equals(m.getJsonObject("data").getValue("last")),
                "a ticker update with the last price").getJsonObject("data");
            assertEquals("0.500", ticker.getValue("volume24h"));
            assertEquals("90.060000", ticker.getValue("quoteVolume24h"));
            assertEquals("180.12", ticker.getValue("high24h"));
        }
    }

    @Test
    void statusSendsASnapshotAndAnUpdateWhenAnOperatorHaltsTheSymbol() throws Exception {
        try (WsClient client = WsClient.connect(venue.port())) {
            assertSubscribed(client, "status." + NVDA);
            JsonObject snapshot = awaitPush(client, "status." + NVDA, "snapshot").getJsonObject("data");
            assertEquals(NVDA, snapshot.getString("symbol"));
            assertEquals("OPEN", snapshot.getString("state"));
            assertEquals("180.00", snapshot.getValue("referencePrice"));
            assertEquals(new JsonArray().add("162.00").add("198.00"), snapshot.getJsonArray("entryBand"));
            assertEquals(new JsonArray().add("171.00").add("189.00"), snapshot.getJsonArray("executionBand"));

            CommandResult halted = submit(new Command.SetTradingState(NVDA_ID, TradingState.HALTED));
            try {
                JsonObject update = client.awaitReceived(m -> ("status." + NVDA).equals(m.getString("channel"))
                    && "update".equals(m.getString("type")), "a status update").getJsonObject("data");
                assertEquals("HALTED", update.getString("state"));
                assertEquals(NVDA, update.getString("symbol"));
                assertEquals(halted.sequence(), update.getLong("updateId"));
                assertEquals("HALTED", rest.json("/api/v1/status?symbol=" + RestClient.encode(NVDA)).getString("state"));
            } finally {
                submit(new Command.SetTradingState(NVDA_ID, TradingState.OPEN));
            }
            client.awaitReceived(m -> ("status." + NVDA).equals(m.getString("channel"))
                && "OPEN".equals(m.getJsonObject("data").getString("state")) && "update".equals(m.getString("type")),
                "the status back to OPEN");
        }
    }

    @Test
    void unknownSymbolsAndChannelsAreRefused() throws Exception {
        try (WsClient client = WsClient.connect(venue.port())) {
            JsonObject symbol = client.request("subscribe", new JsonObject().put("channels", new JsonArray().add("book.NOPE/USDT")));
            LogonIT.assertError(symbol, 400, 705);
            JsonObject channel = client.request("subscribe", new JsonObject().put("channels", new JsonArray().add("foo.bar")));
            LogonIT.assertError(channel, 400, 706);

            // A request with one bad channel subscribes to none of them.
            JsonObject mixed = client.request("subscribe", new JsonObject()
                .put("channels", new JsonArray().add("ticker." + TSLA).add("foo.bar")));
            LogonIT.assertError(mixed, 400, 706);
            assertEquals(200, client.request("ping", new JsonObject()).getInteger("status"));
            assertEquals(List.of(), client.pushed, "nothing was subscribed");
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** The engine's price levels of one instrument as the API writes them, and the sequence they are at. */
    record EngineBook(long sequence, JsonArray bids, JsonArray asks) {
    }

    static EngineBook engineBook(int instrumentId) throws Exception {
        QueryAnswer<JsonArray[]> answer = TestVenue.await(venue.engine().query(e -> {
            JsonArray[] sides = {new JsonArray(), new JsonArray()};
            for (Side side : Side.values()) {
                JsonArray out = sides[side == Side.BUY ? 0 : 1];
                // tick 0.01, lot 0.001: written independently of the gateway's formatting
                e.forEachLevel(instrumentId, side, Integer.MAX_VALUE, (price, quantity, orders) -> out.add(new JsonArray()
                    .add(BigDecimal.valueOf(price, 2).toPlainString()).add(BigDecimal.valueOf(quantity, 3).toPlainString())));
            }
            return sides;
        }));
        return new EngineBook(answer.sequence(), answer.value()[0], answer.value()[1]);
    }

    static CommandResult submit(Command command) throws Exception {
        CommandResult result = TestVenue.await(venue.engine().submit(command));
        for (EngineEvent event : result.events()) {
            if (event instanceof EngineEvent.Rejected rejected) {
                throw new AssertionError("rejected: " + rejected);
            }
        }
        return result;
    }

    static void assertSubscribed(WsClient client, String... channels) throws Exception {
        JsonObject response = client.request("subscribe", new JsonObject().put("channels", new JsonArray(List.of((Object[]) channels))));
        assertEquals(200, response.getInteger("status"), response.encode());
        assertEquals(new JsonArray(List.of((Object[]) channels)), response.getJsonObject("result").getJsonArray("subscribed"));
    }

    static JsonObject awaitPush(WsClient client, String channel, String type) {
        return client.awaitReceived(m -> channel.equals(m.getString("channel")) && type.equals(m.getString("type")),
            type + " on " + channel);
    }

    static void assertDecimal(Object value) {
        assertInstanceOf(String.class, value, "a decimal string");
        assertTrue(((String) value).matches("[0-9]+(\\.[0-9]+)?"), "a decimal: " + value);
    }
}
