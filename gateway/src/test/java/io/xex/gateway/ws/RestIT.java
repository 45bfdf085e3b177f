package io.xex.gateway.ws;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xex.gateway.RestClient;
import io.xex.gateway.TestVenue;
import io.xex.gateway.WsClient;
import io.xex.matching.Command;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;
import io.xex.runtime.calendar.CalendarConfig;
import io.xex.runtime.calendar.MarketCalendar;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REST API under /api/v1 over a real socket: public market data answered from the same mirror as the
 * WebSocket (depth with its update id and checksum), market status, time, 404s, and the signed CSV export
 * of an account's trades.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class RestIT {
    private static final String TSLA = "TSLAx/USDT";
    private static final String NVDA = "NVDAx/USDT";
    private static final int TSLA_ID = 0;
    private static final int NVDA_ID = 1;
    private static final String CSV_HEADER = "time_utc,venue,symbol,side,quantity,price,quote_amount,fee,fee_asset,"
        + "liquidity,trade_id,order_id,chain_id,tx_hash";

    @TempDir
    static Path dir;
    static TestVenue venue;
    static RestClient rest;
    /** Signed timestamps strictly increase, so that no two polls are the same signed request (a replay). */
    static final AtomicLong lastTimestamp = new AtomicLong();
    /** The trade the export tests look for: account 3 sells 1.000 TSLAx at 420.00 to account 2. */
    static EngineEvent.Trade exportTrade;
    static long exportTradeNs;
    static final Map<Long, String> secrets = new ConcurrentHashMap<>();

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
    void instrumentsCarryDecimalStrings() {
        RestClient.Response response = rest.get("/api/v1/instruments");

        assertEquals(200, response.status());
        assertEquals("application/json", response.contentType());
        JsonArray instruments = response.json().getJsonArray("instruments");
        assertEquals(2, instruments.size(), instruments.encode());
        JsonObject tsla = instruments.getJsonObject(0);
        assertEquals(TSLA, tsla.getString("symbol"));
        assertEquals("TSLAx", tsla.getString("base"));
        assertEquals("USDT", tsla.getString("quote"));
        assertEquals("TSLA", tsla.getString("underlying"));
        assertEquals("NASDAQ", tsla.getString("exchange"));
        assertEquals("OPEN", tsla.getString("state"));
        Map<String, String> decimals = Map.of("tickSize", "0.01", "lotSize", "0.001", "minQuantity", "0.001",
            "maxQuantity", "100000.000", "minNotional", "5.000000", "maxPrice", "1000000.00");
        decimals.forEach((name, value) -> assertEquals(value, tsla.getValue(name), name + " as a decimal string"));
        JsonObject nvda = instruments.getJsonObject(1);
        assertEquals(NVDA, nvda.getString("symbol"));
        assertEquals("NVDA", nvda.getString("underlying"));
        for (String name : decimals.keySet()) {
            assertInstanceOf(String.class, nvda.getValue(name), name);
        }
    }

    @Test
    void depthCarriesTheUpdateIdAndTheChecksumOfTheTop10() throws Exception {
        submit(Command.PlaceOrder.limit(1, 1, TSLA_ID, Side.BUY, TimeInForce.GTC, 41_950, 1_000));
        submit(Command.PlaceOrder.limit(1, 1, TSLA_ID, Side.BUY, TimeInForce.GTC, 41_940, 500));
        CommandResult last = submit(Command.PlaceOrder.limit(1, 1, TSLA_ID, Side.SELL, TimeInForce.GTC, 42_050, 2_000));
        String path = "/api/v1/depth?symbol=" + RestClient.encode(TSLA);

        JsonObject depth = rest.awaitJson(path, "the depth at the last order's update id",
            d -> d.getLong("updateId") == last.sequence());

        assertEquals(TSLA, depth.getString("symbol"));
        assertEquals(new JsonArray().add(level("419.50", "1.000")).add(level("419.40", "0.500")), depth.getJsonArray("bids"));
        assertEquals(new JsonArray().add(level("420.50", "2.000")), depth.getJsonArray("asks"));
        assertEquals(crc32("419.50:1.000|419.40:0.500;420.50:2.000"), depth.getLong("checksum"));

        JsonObject top = rest.json(path + "&limit=1");
        assertEquals(new JsonArray().add(level("419.50", "1.000")), top.getJsonArray("bids"));
        assertEquals(depth.getLong("checksum"), top.getLong("checksum"), "the checksum is of the book's top 10");
        assertEquals(last.sequence(), top.getLong("updateId"));

        JsonObject ticker = rest.json("/api/v1/ticker?symbol=" + RestClient.encode(TSLA));
        assertEquals("419.50", ticker.getValue("bid"));
        assertEquals("1.000", ticker.getValue("bidQuantity"));
        assertEquals("420.50", ticker.getValue("ask"));
        assertEquals(last.sequence(), ticker.getLong("updateId"));

        assertError(rest.get("/api/v1/depth"), 400, 708);
        assertError(rest.get("/api/v1/depth?symbol=" + RestClient.encode("NOPE/USDT")), 400, 705);
        assertError(rest.get(path + "&limit=0"), 400, 703);
    }

    @Test
    void recentTradesShowACross() throws Exception {
        submit(Command.PlaceOrder.limit(1, 1, NVDA_ID, Side.SELL, TimeInForce.GTC, 18_005, 500));
        CommandResult buy = submit(Command.PlaceOrder.limit(2, 1, NVDA_ID, Side.BUY, TimeInForce.GTC, 18_005, 500));
        EngineEvent.Trade trade = tradeIn(buy);
        String path = "/api/v1/trades?symbol=" + RestClient.encode(NVDA);

        JsonObject trades = rest.awaitJson(path, "the trade " + trade.tradeId(),
            t -> t.getJsonArray("trades").stream().anyMatch(o -> ((JsonObject) o).getLong("tradeId") == trade.tradeId()));

        assertEquals(NVDA, trades.getString("symbol"));
        JsonObject t = trades.getJsonArray("trades").getJsonObject(trades.getJsonArray("trades").size() - 1);
        assertEquals(trade.tradeId(), t.getLong("tradeId"), "newest last");
        assertEquals("180.05", t.getValue("price"));
        assertEquals("0.500", t.getValue("quantity"));
        assertEquals("BUY", t.getString("side"));
        assertEquals(buy.timestampNs() / 1_000_000L, t.getLong("time"));
        assertEquals(1, rest.json(path + "&limit=1").getJsonArray("trades").size());
    }

    @Test
    void marketStatusListsEverySymbolWithItsState() {
        long before = System.currentTimeMillis();
        JsonObject status = rest.json("/api/v1/market-status");

        assertTrue(status.getLong("serverTime") >= before, status.encode());
        JsonArray symbols = status.getJsonArray("symbols");
        assertEquals(2, symbols.size(), symbols.encode());
        JsonObject tsla = symbols.getJsonObject(0);
        assertEquals(TSLA, tsla.getString("symbol"));
        assertEquals("TSLA", tsla.getString("underlying"));
        assertEquals("NASDAQ", tsla.getString("exchange"));
        assertEquals("OPEN", tsla.getString("state"));
        Instant serverTime = Instant.ofEpochMilli(status.getLong("serverTime"));
        MarketCalendar calendar = new MarketCalendar(CalendarConfig.from(TestVenue.config(dir, Map.of())));
        assertEquals(calendar.isOpen(serverTime), tsla.getBoolean("underlyingOpen"), "from the calendar, not the state");
        assertEquals(calendar.nextOpen(serverTime).toEpochMilli(), tsla.getLong("nextOpen"));
        assertEquals(calendar.nextClose(serverTime).toEpochMilli(), tsla.getLong("nextClose"));
        assertTrue(tsla.containsKey("closure"), tsla.encode());
        assertEquals(NVDA, symbols.getJsonObject(1).getString("symbol"));
        assertEquals("OPEN", symbols.getJsonObject(1).getString("state"));

        JsonObject all = rest.json("/api/v1/status");
        assertEquals(2, all.getJsonArray("symbols").size());
        JsonObject one = rest.json("/api/v1/status?symbol=" + RestClient.encode(NVDA));
        assertEquals("OPEN", one.getString("state"));
        assertEquals("180.00", one.getValue("referencePrice"));
    }

    @Test
    void timeIsTheServersClock() {
        long before = System.currentTimeMillis();
        JsonObject time = rest.json("/api/v1/time");
        long after = System.currentTimeMillis();

        long serverTime = time.getLong("serverTime");
        assertTrue(serverTime >= before && serverTime <= after, before + " <= " + serverTime + " <= " + after);
    }

    @Test
    void anUnknownPathIsA404WithAJsonError() {
        for (String path : List.of("/api/v1/nope", "/api/v2/depth", "/")) {
            RestClient.Response response = rest.get(path);

            assertEquals(404, response.status(), path);
            assertEquals("application/json", response.contentType(), path);
            JsonObject error = response.json();
            assertEquals(702, error.getInteger("code"), error.encode());
            assertNotNull(error.getString("msg"));
            assertEquals(path, error.getString("detail"));
        }
    }

    @Test
    void theExportListsTheAccountsTradesAsCsv() throws Exception {
        EngineEvent.Trade trade = exportTrade();
        String time = Instant.ofEpochSecond(0, exportTradeNs).toString();

        RestClient.Response maker = awaitExport(3, Map.of(), 1);

        assertEquals("text/csv; charset=utf-8", maker.contentType());
        assertEquals("attachment; filename=\"xex-trades-3.csv\"", maker.contentDisposition());
        assertEquals(CSV_HEADER + "\n"
            + time + ",xex,TSLAx/USDT,SELL,1.000,420.00,420.000000,0.084000,USDT,MAKER," + trade.tradeId() + ","
            + trade.maker().orderId() + ",,\n", maker.body());

        RestClient.Response taker = awaitExport(2, Map.of(), 1);
        List<String> lines = taker.body().lines().toList();
        assertEquals(CSV_HEADER, lines.getFirst());
        String takerLine = time + ",xex,TSLAx/USDT,BUY,1.000,420.00,420.000000,0.210000,USDT,TAKER," + trade.tradeId()
            + "," + trade.taker().orderId() + ",,";
        assertTrue(lines.contains(takerLine), "expected " + takerLine + " in\n" + taker.body());
        for (String line : lines) {
            assertEquals(14, line.split(",", -1).length, line);
        }
    }

    @Test
    void theExportsFromAndToAreInclusiveMilliseconds() throws Exception {
        exportTrade();
        awaitExport(3, Map.of(), 1);
        long ms = exportTradeNs / 1_000_000L;

        assertAll(
            () -> assertEquals(1, exportRows(export(3, Map.of("from", Long.toString(ms)))), "from = the trade's millisecond"),
            () -> assertEquals(0, exportRows(export(3, Map.of("from", Long.toString(ms + 1)))), "from after the trade"),
            () -> assertEquals(0, exportRows(export(3, Map.of("to", Long.toString(ms - 1)))), "to before the trade"),
            () -> assertEquals(1, exportRows(export(3, Map.of("from", Long.toString(ms), "to", Long.toString(ms)))),
                "from = to = the trade's millisecond (" + exportTradeNs + " ns) includes it"),
            () -> assertEquals(0, exportRows(export(3, Map.of("from", "10000000000000"))),
                "from in the year 2286 is after every trade"));
    }

    @Test
    void anUnsignedOrBadlySignedExportIsRefused() throws Exception {
        assertError(rest.get("/api/v1/account/trades.csv"), 401, 601);
        assertError(rest.get("/api/v1/account/trades.csv?apiKey=demo-1&timestamp=" + nextTimestamp()), 401, 601);

        JsonObject forged = WsClient.signedHmac("demo-1", "not-the-secret", nextTimestamp(), Map.of());
        assertError(rest.get("/api/v1/account/trades.csv?" + query(forged)), 401, 603);

        // Signed over other parameters than those sent: a changed range breaks the signature.
        JsonObject signed = WsClient.signedHmac("demo-1", venue.demoSecret(1), nextTimestamp(), Map.of("from", "0"));
        signed.put("from", "1");
        assertError(rest.get("/api/v1/account/trades.csv?" + query(signed)), 401, 603);

        assertError(rest.get("/api/v1/account/trades.csv?" + query(
            WsClient.signedHmac("no-such-key", venue.demoSecret(1), nextTimestamp(), Map.of()))), 401, 602);

        String once = query(WsClient.signedHmac("demo-1", venue.demoSecret(1), nextTimestamp(), Map.of()));
        assertEquals(200, rest.get("/api/v1/account/trades.csv?" + once).status());
        assertError(rest.get("/api/v1/account/trades.csv?" + once), 401, 606);
    }

    // ---------------------------------------------------------------------------------------------

    /** Makes the export trade once, for the tests that read it. */
    static synchronized EngineEvent.Trade exportTrade() throws Exception {
        if (exportTrade == null) {
            submit(Command.PlaceOrder.limit(3, 1, TSLA_ID, Side.SELL, TimeInForce.GTC, 42_000, 1_000));
            CommandResult buy = submit(Command.PlaceOrder.limit(2, 1, TSLA_ID, Side.BUY, TimeInForce.GTC, 42_000, 1_000));
            exportTrade = tradeIn(buy);
            assertEquals(3L, exportTrade.maker().accountId());
            assertEquals(1_000L, exportTrade.quantity(), "filled in one trade at 420.00");
            exportTradeNs = buy.timestampNs();
        }
        return exportTrade;
    }

    /** Polls account's export until it has at least {@code rows} lines below the header (history is written behind the journal). */
    static RestClient.Response awaitExport(long account, Map<String, String> extra, int rows) {
        RestClient.Response[] last = new RestClient.Response[1];
        RestClient.awaitPolled("an export of account " + account + " with " + rows + " rows", () -> last[0] == null ? null
            : last[0].status() + " " + last[0].body(), () -> {
            last[0] = export(account, extra);
            assertEquals(200, last[0].status(), last[0].body());
            return exportRows(last[0]) >= rows;
        });
        return last[0];
    }

    static RestClient.Response export(long account, Map<String, String> extra) {
        try {
            return rest.get("/api/v1/account/trades.csv?"
                + query(WsClient.signedHmac("demo-" + account, secret(account), nextTimestamp(), extra)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String secret(long account) throws Exception {
        String secret = secrets.get(account);
        if (secret == null) {
            secret = venue.demoSecret(account);
            secrets.put(account, secret);
        }
        return secret;
    }

    static int exportRows(RestClient.Response response) {
        assertEquals(200, response.status(), response.body());
        List<String> lines = response.body().lines().toList();
        assertEquals(CSV_HEADER, lines.getFirst());
        return lines.size() - 1;
    }

    /** The parameters as a query string, values as signed (they need no encoding here). */
    static String query(JsonObject params) {
        return params.stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("&"));
    }

    static long nextTimestamp() {
        return lastTimestamp.updateAndGet(last -> Math.max(System.currentTimeMillis(), last + 1));
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

    static EngineEvent.Trade tradeIn(CommandResult result) {
        return result.events().stream().filter(EngineEvent.Trade.class::isInstance).map(EngineEvent.Trade.class::cast)
            .findFirst().orElseThrow(() -> new AssertionError("no trade in " + result));
    }

    static void assertError(RestClient.Response response, int status, int code) {
        assertEquals(status, response.status(), response.body());
        assertEquals("application/json", response.contentType(), response.body());
        assertEquals(code, response.json().getInteger("code"), response.body());
        assertNotNull(response.json().getString("msg"), response.body());
    }

    static JsonArray level(String price, String quantity) {
        return new JsonArray().add(price).add(quantity);
    }

    static long crc32(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }
}
