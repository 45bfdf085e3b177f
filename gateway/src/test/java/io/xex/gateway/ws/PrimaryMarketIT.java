package io.xex.gateway.ws;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.xex.gateway.TestVenue;
import io.xex.gateway.WsClient;
import io.xex.runtime.issuer.PrimaryMarket;
import io.xex.runtime.issuer.PrimaryMarket.Answer;
import io.xex.runtime.issuer.PrimaryMarket.Refusal;
import io.xex.runtime.issuer.PrimaryMarket.Reserve;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code issuer.mint}, {@code issuer.redeem} and {@code reserves} on the wire: what the gateway parses and hands the
 * issuer, and how each of the issuer's answers reaches the client, every refusal with its own code and a closed
 * market with its next open. The issuer is a scripted fake (FakePrimaryMarket below) that answers by the quantity
 * asked; the real one, on a real chain, is covered by the app module's IssuerIT.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PrimaryMarketIT {
    static final long NEXT_OPEN = 1_764_513_000_000L;
    static final BigInteger TOKEN = BigInteger.TEN.pow(18);

    /** A fake issuer, named as such: refusal number {@code n} for a quantity of {@code n} units, else an answer. */
    static final class FakePrimaryMarket implements PrimaryMarket {
        final List<Request> requests = new CopyOnWriteArrayList<>();

        @Override
        public Future<Answer> request(Request request) {
            requests.add(request);
            long q = request.quantity();
            if (q <= Refusal.values().length) {
                Refusal refusal = Refusal.values()[(int) q - 1];
                return Future.succeededFuture(new Answer.Refused(refusal, "because " + refusal,
                    refusal == Refusal.MARKET_CLOSED ? NEXT_OPEN : 0));
            }
            if (request.queueForOpen()) {
                return Future.succeededFuture(new Answer.Queued(7, NEXT_OPEN));
            }
            // 20 TSLAx at 420.00: 8,400 USDT, plus or minus 21.
            return Future.succeededFuture(new Answer.Executed(6, request.side(), request.asset(), q, 42_000,
                request.side() == Side.MINT ? 8_421_000_000L : 8_379_000_000L, 21_000_000L));
        }

        @Override
        public Future<List<Reserve>> reserves() {
            return Future.succeededFuture(List.of(new Reserve("TSLAx", "0x00000000000000000000000000000000000000aa",
                TOKEN.multiply(BigInteger.TEN), TOKEN.multiply(BigInteger.TWO), TOKEN.multiply(BigInteger.valueOf(20)),
                TOKEN.multiply(BigInteger.valueOf(20)))));
        }
    }

    @TempDir
    static Path dir;
    static TestVenue venue;
    static final FakePrimaryMarket ISSUER = new FakePrimaryMarket();

    @BeforeAll
    static void start() throws Exception {
        venue = TestVenue.start(dir, Map.of(), ISSUER);
    }

    @AfterAll
    static void stop() {
        venue.close();
    }

    @Test
    void everyRefusalHasItsOwnCodeAndAClosedMarketItsNextOpen() throws Exception {
        try (WsClient client = loggedOn(1)) {
            int[] codes = {720, 721, 722, 723, 724, 725, 726, 727, 728, 729};
            assertEquals(codes.length, Refusal.values().length);
            for (int i = 0; i < codes.length; i++) {
                JsonObject refused = client.request("issuer.mint", mint("TSLAx", java.math.BigDecimal.valueOf(i + 1, 8).toPlainString()));
                JsonObject error = refused.getJsonObject("error");
                assertEquals(codes[i], error.getInteger("code"), refused.encode());
                assertEquals(codes[i] == 720 ? 503 : 400, refused.getInteger("status"));
                assertEquals("because " + Refusal.values()[i], error.getString("detail"));
                assertEquals(Refusal.values()[i] == Refusal.MARKET_CLOSED ? (Object) NEXT_OPEN : null,
                    error.getValue("nextOpen"), refused.encode());
            }
        }
    }

    @Test
    void anExecutedQueuedAndRedeemedRequestAnswerInTheAssetsUnits() throws Exception {
        try (WsClient client = loggedOn(1)) {
            JsonObject minted = ok(client.request("issuer.mint", mint("TSLAx", "20")));
            assertEquals(new JsonObject().put("requestId", 6).put("side", "mint").put("symbol", "TSLAx")
                .put("quantity", "20.00000000").put("price", "420.000000").put("usdt", "8421.000000")
                .put("fee", "21.000000").put("status", "paid"), minted);
            PrimaryMarket.Request asked = ISSUER.requests.getLast();
            assertEquals(new PrimaryMarket.Request(1, PrimaryMarket.Side.MINT, 1, 2_000_000_000L,
                false), asked);

            JsonObject redeemed = ok(client.request("issuer.redeem", mint("TSLAx", "20")));
            assertEquals("filled", redeemed.getString("status"));
            assertEquals("8379.000000", redeemed.getString("usdt"));

            JsonObject queued = ok(client.request("issuer.mint", mint("TSLAx", "20").put("queue", true)));
            assertEquals("queued", queued.getString("status"));
            assertEquals(NEXT_OPEN, queued.getLong("executeAt"));
            assertTrue(ISSUER.requests.getLast().queueForOpen());
        }
    }

    @Test
    void badParametersNeverReachTheIssuer() throws Exception {
        try (WsClient client = loggedOn(1)) {
            int before = ISSUER.requests.size();
            assertEquals(705, code(client.request("issuer.mint", mint("DOGEx", "20"))));
            assertEquals(708, code(client.request("issuer.mint", new JsonObject().put("symbol", "TSLAx"))));
            assertEquals(703, code(client.request("issuer.mint", mint("TSLAx", "0"))));
            assertEquals(703, code(client.request("issuer.mint", mint("TSLAx", "0.000000001"))));
            assertEquals(703, code(client.request("issuer.mint", new JsonObject().put("symbol", "TSLAx")
                .put("quantity", 20))));
            assertEquals(703, code(client.request("issuer.redeem", mint("TSLAx", "20").put("queue", "yes"))));
            assertEquals(before, ISSUER.requests.size());
        }
        try (WsClient anonymous = WsClient.connect(venue.port())) {
            assertEquals(607, code(anonymous.request("issuer.mint", mint("TSLAx", "20"))), "log on first");
        }
    }

    @Test
    void theReservesArePublicOverRest() throws Exception {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + venue.port() + "/api/v1/reserves")).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(200, response.statusCode(), response.body());
            JsonObject reserves = new JsonObject(response.body());
            assertEquals(18, reserves.getInteger("decimals"));
            assertTrue(reserves.getBoolean("balanced"));
            JsonObject tsla = reserves.getJsonArray("tokens").getJsonObject(0);
            assertEquals("20000000000000000000", tsla.getString("supply"));
            assertEquals("20000000000000000000", tsla.getString("sharesHeld"));
            assertEquals("0", tsla.getString("difference"));
            assertEquals("2000000000000000000", tsla.getString("multiplier"));
        }
    }

    private static JsonObject mint(String symbol, String quantity) {
        return new JsonObject().put("symbol", symbol).put("quantity", quantity);
    }

    private static WsClient loggedOn(long account) throws Exception {
        WsClient client = WsClient.connect(venue.port());
        JsonObject logon = client.logonHmac("demo-" + account, venue.demoSecret(account), System.currentTimeMillis());
        assertEquals(200, logon.getInteger("status"), logon.encode());
        return client;
    }

    private static JsonObject ok(JsonObject response) {
        assertEquals(200, response.getInteger("status"), response.encode());
        return response.getJsonObject("result");
    }

    private static int code(JsonObject response) {
        return response.getJsonObject("error").getInteger("code");
    }
}
