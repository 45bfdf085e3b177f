package io.xex.gateway.ws;

import io.vertx.core.Future;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xex.runtime.Conditions;
import io.xex.gateway.OpsMetrics;
import io.xex.gateway.TestVenue;
import io.xex.gateway.WsClient;
import io.xex.matching.Command;
import io.xex.matching.OrderType;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;
import io.xex.runtime.config.InstrumentCatalog;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that stops reading, among clients that read: its unsent market data piles up to the configured
 * bound, it is disconnected, and nobody else waits for it — the engine keeps matching and the reading
 * client gets every book delta and every trade.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowReaderIT {
    static final String SYMBOL = "TSLAx/USDT";
    static final String BOOK = "book." + SYMBOL;
    static final String TRADES = "trades." + SYMBOL;
    /** Sell orders rested a round, each at its own price from 420.01 up, then all bought by one order. */
    static final int LEVELS = 800;
    static final long FIRST_ASK_TICKS = 42_001;
    static final long LOT_PER_ORDER = 12; // 0.012 TSLAx: above the 5 USDT minimum notional
    static final int MAX_ROUNDS = 80;

    @TempDir
    static Path dir;
    static TestVenue venue;
    static int instrument;

    @BeforeAll
    static void start() throws Exception {
        Map<String, String> settings = Map.of(
            "XEX_GATEWAY_SLOWREADER_WRITEQUEUEBYTES", "8192",
            "XEX_GATEWAY_SLOWREADER_TIMEOUTMS", "500");
        instrument = InstrumentCatalog.from(TestVenue.config(dir, settings)).find("TSLAx").id();
        venue = TestVenue.start(dir, settings);
    }

    @AfterAll
    static void stop() {
        venue.close();
    }

    @Test
    void aClientThatStopsReadingIsDroppedWhileTheOthersGetEverything() throws Exception {
        try (WsClient reader = WsClient.connect(venue.port());
             WsClient slow = WsClient.connect(venue.port(), new WebSocketClientOptions().setReceiveBufferSize(1024))) {
            for (WsClient client : List.of(reader, slow)) {
                JsonObject subscribed = client.request("subscribe", new JsonObject().put("channels", List.of(BOOK, TRADES)));
                assertEquals(200, subscribed.getInteger("status"), subscribed.encode());
                client.awaitReceived(m -> BOOK.equals(m.getString("channel")) && "snapshot".equals(m.getString("type")),
                    "the book snapshot");
                client.awaitReceived(m -> TRADES.equals(m.getString("channel")) && "snapshot".equals(m.getString("type")),
                    "the trades snapshot");
            }
            slow.pauseReading(true);

            int rounds = 0;
            long trades = 0;
            long slowestRoundMs = 0;
            while (conflated() == 0) {
                assertTrue(rounds < MAX_ROUNDS, "the stalled client was never found slow after " + rounds + " rounds");
                long startNs = System.nanoTime();
                trades += round();
                slowestRoundMs = Math.max(slowestRoundMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
                rounds++;
            }
            Conditions.awaitTrue(Duration.ofSeconds(10), () -> "the slow reader is disconnected",
                () -> slowDisconnects() >= 1);
            // the engine and the gateway go on as before
            long startNs = System.nanoTime();
            trades += round();
            slowestRoundMs = Math.max(slowestRoundMs, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs));
            assertTrue(slowestRoundMs < 10_000, "a round took " + slowestRoundMs + " ms");

            long expectedTrades = trades;
            Conditions.awaitTrue(Duration.ofSeconds(20), () -> "all " + expectedTrades + " trades reach the reading client",
                () -> tradesReceived(reader) == expectedTrades);
            JsonObject depth = reader.request("depth", new JsonObject().put("symbol", SYMBOL).put("limit", 5000));
            assertEquals(200, depth.getInteger("status"), depth.encode());
            long finalUpdateId = depth.getJsonObject("result").getLong("updateId");
            Conditions.awaitTrue(Duration.ofSeconds(20), () -> "the reading client gets the delta to " + finalUpdateId,
                () -> lastDeltaUpdateId(reader) >= finalUpdateId);
            assertEquals(0, reader.on(TRADES).stream().filter(m -> "gap".equals(m.getString("type"))).count(),
                "no trades dropped for the reading client");
            LocalBook book = replay(reader.on(BOOK));
            assertEquals(finalUpdateId, book.updateId);
            assertEquals(depth.getJsonObject("result").getLong("checksum"), book.checksum(), "the final book");

            slow.pauseReading(false);
            slow.closed.get(WsClient.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals((short) 4804, slow.closeStatus, "close reason " + slow.closeReason);
            assertNotNull(slow.closeReason);
            assertTrue(slow.closeReason.startsWith("804"), slow.closeReason);
            assertEquals(200, reader.request("time", new JsonObject()).getInteger("status"));
            assertFalse(reader.closed.isDone(), "the reading client stays connected");
        }
    }

    /**
     * One round through the engine: account 1 rests {@value #LEVELS} sells a tick apart, account 2 buys
     * them all with one IOC order. Returns the trades made.
     */
    static long round() throws Exception {
        List<Future<CommandResult>> results = new ArrayList<>();
        for (int i = 0; i < LEVELS; i++) {
            results.add(venue.engine().submit(new Command.PlaceOrder(1, 1, null, instrument, Side.SELL, OrderType.LIMIT,
                TimeInForce.GTC, FIRST_ASK_TICKS + i, LOT_PER_ORDER, 0)));
        }
        results.add(venue.engine().submit(new Command.PlaceOrder(2, 1, null, instrument, Side.BUY, OrderType.LIMIT,
            TimeInForce.IOC, FIRST_ASK_TICKS + LEVELS - 1, LOT_PER_ORDER * LEVELS, 0)));
        long trades = 0;
        for (Future<CommandResult> result : results) {
            for (EngineEvent event : TestVenue.await(result).events()) {
                if (event instanceof EngineEvent.Rejected rejected) {
                    throw new AssertionError("rejected: " + rejected);
                }
                if (event instanceof EngineEvent.Trade) {
                    trades++;
                }
            }
        }
        assertEquals(LEVELS, trades, "the buy takes every level");
        return trades;
    }

    static long tradesReceived(WsClient client) {
        long n = 0;
        for (JsonObject message : client.on(TRADES)) {
            if ("update".equals(message.getString("type"))) {
                n += message.getJsonObject("data").getJsonArray("trades").size();
            }
        }
        return n;
    }

    static long lastDeltaUpdateId(WsClient client) {
        List<JsonObject> book = client.on(BOOK);
        return book.isEmpty() ? -1 : book.getLast().getJsonObject("data").getLong("updateId");
    }

    /** Applies the snapshot and every delta after it, checking that they chain and that every checksum matches. */
    static LocalBook replay(List<JsonObject> messages) {
        assertEquals("snapshot", messages.getFirst().getString("type"));
        LocalBook book = new LocalBook(messages.getFirst().getJsonObject("data"));
        for (JsonObject message : messages.subList(1, messages.size())) {
            assertEquals("delta", message.getString("type"), "only deltas after the snapshot: " + message.encode());
            book.apply(message.getJsonObject("data"));
        }
        return book;
    }

    /** The book as a client keeps it: price levels by side, with the decimal strings as received. */
    static final class LocalBook {
        final TreeMap<BigDecimal, String[]> bids = new TreeMap<>(Collections.reverseOrder());
        final TreeMap<BigDecimal, String[]> asks = new TreeMap<>();
        long updateId;
        int deltas;

        LocalBook(JsonObject snapshot) {
            updateId = snapshot.getLong("updateId");
            set(bids, snapshot.getJsonArray("bids"));
            set(asks, snapshot.getJsonArray("asks"));
            assertEquals(snapshot.getLong("checksum"), checksum(), "snapshot checksum");
        }

        void apply(JsonObject delta) {
            assertEquals(updateId, delta.getLong("prevUpdateId"), "delta " + deltas + " follows the one before");
            assertTrue(delta.getLong("updateId") > updateId, delta.encode());
            set(bids, delta.getJsonArray("bids"));
            set(asks, delta.getJsonArray("asks"));
            updateId = delta.getLong("updateId");
            deltas++;
            assertEquals(delta.getLong("checksum"), checksum(), "checksum after delta to " + updateId);
        }

        private static void set(TreeMap<BigDecimal, String[]> side, JsonArray levels) {
            for (Object item : levels) {
                JsonArray level = (JsonArray) item;
                String price = level.getString(0);
                String quantity = level.getString(1);
                if (new BigDecimal(quantity).signum() == 0) {
                    side.remove(new BigDecimal(price));
                } else {
                    side.put(new BigDecimal(price), new String[] {price, quantity});
                }
            }
        }

        /** CRC32 of the top 10 levels a side: bids best first, ';', asks best first; "price:quantity" joined by '|'. */
        long checksum() {
            StringBuilder text = new StringBuilder();
            top(text, bids);
            text.append(';');
            top(text, asks);
            CRC32 crc = new CRC32();
            crc.update(text.toString().getBytes(StandardCharsets.UTF_8));
            return crc.getValue();
        }

        private static void top(StringBuilder text, TreeMap<BigDecimal, String[]> side) {
            Iterator<String[]> levels = side.values().iterator();
            for (int n = 0; n < 10 && levels.hasNext(); n++) {
                String[] level = levels.next();
                if (n > 0) {
                    text.append('|');
                }
                text.append(level[0]).append(':').append(level[1]);
            }
        }
    }

    static double conflated() {
        return OpsMetrics.value(venue, "xex_gateway_ws_conflated_total");
    }

    static double slowDisconnects() {
        return OpsMetrics.value(venue, "xex_gateway_ws_slow_disconnects_total");
    }
}
