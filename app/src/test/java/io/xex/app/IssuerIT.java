package io.xex.app;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xex.gateway.GatewayComponent;
import io.xex.gateway.GatewayConfig;
import io.xex.gateway.Listings;
import io.xex.gateway.demo.DemoAccounts;
import io.xex.matching.Command;
import io.xex.matching.TradingState;
import io.xex.runtime.Venue;
import io.xex.runtime.VenueComponent;
import io.xex.runtime.calendar.CalendarConfig;
import io.xex.runtime.calendar.MarketCalendar;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.config.InstrumentCatalog;
import io.xex.runtime.issuer.PrimaryMarket;
import io.xex.runtime.issuer.PrimaryMarket.Answer;
import io.xex.runtime.issuer.PrimaryMarket.Refusal;
import io.xex.runtime.issuer.PrimaryMarket.Side;
import io.xex.runtime.session.SessionTimers;
import io.xex.runtime.Conditions;
import io.xex.settlement.SettlementComponent;
import io.xex.settlement.chain.Anvil;
import io.xex.settlement.chain.ChainClient;
import io.xex.settlement.chain.ChainException;
import io.xex.settlement.chain.SettlementVault;
import io.xex.settlement.issuer.IssuerComponent;
import io.xex.settlement.issuer.IssuerConfig;
import org.junit.jupiter.api.AfterEach;
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
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The issuer's primary market in a whole venue as {@code xex run} builds it, on its own anvil chain and embedded
 * PostgreSQL: eligibility refused with each code, the minimum, mint and redeem in session with the reserves equal
 * after each (the desk's mint into the vault, the sweep's withdrawal to the desk and burn), a request refused with the
 * next open or queued for it and run at the open, a queued request cancelled by the issuer operator, and a 2:1 split
 * scheduled through the admin API and applied on chain and in the engine at activation, after which a trade
 * settles in shares at the new multiplier.
 *
 * <p>The issuer's clock is the test's: it reads an open or a closed market as the test says; its one-off timers (the
 * open, an activation) fire when the test fires them, its periodic ones (the sweep, the reserves) run on Vert.x.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class IssuerIT {
    static final Duration BOUND = Duration.ofSeconds(90);
    static final long CLIENT = 1;
    static final long US_PERSON = 2;
    static final long RESTRICTED = 3;
    static final long ISSUER = 9000;
    static final int USDT = 0;
    static final int TSLAX = 1;
    /** Monday 2026-11-23, 10:00 in New York: the session is open. */
    static final Instant OPEN = Instant.parse("2026-11-23T15:00:00Z");
    /** Saturday 2026-11-28: closed until Monday's open. */
    static final Instant SATURDAY = Instant.parse("2026-11-28T15:00:00Z");
    static final Instant MONDAY_OPEN = Instant.parse("2026-11-30T14:30:00Z");
    /** 20 TSLAx in engine units (8 decimals). */
    static final long TWENTY = 2_000_000_000L;
    static final BigInteger TOKEN = BigInteger.TEN.pow(18);

    @TempDir
    Path dir;

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();
    final AtomicReference<Instant> now = new AtomicReference<>(OPEN);
    final TestTimers timers = new TestTimers();

    @AfterEach
    void closeClient() {
        http.close();
    }

    @Test
    void mintsRedeemsQueuesAndSplitsWithTheReservesEqual() throws Exception {
        ConfigSource config = config();
        List<Command.Deposit> demo = DemoAccounts.deposits(GatewayConfig.from(config),
            new Listings(InstrumentCatalog.from(config)));
        SettlementComponent settlement = SettlementComponent.from(config, demo);
        IssuerComponent issuer = new IssuerComponent(IssuerConfig.from(config), settlement, InstrumentCatalog.from(config),
            new MarketCalendar(CalendarConfig.from(config)), (InstantSource) now::get, vertx -> timers.on(vertx));
        GatewayComponent gateway = GatewayComponent.from(config, settlement.withdrawalGate()).primaryMarket(issuer);
        List<VenueComponent> components = List.of(gateway, settlement, issuer);
        Venue venue = await(Venue.start(config, components));
        try {
            for (Command.Deposit deposit : demo) {
                Conditions.awaitTrue(BOUND, () -> "demo deposit credited: " + deposit,
                    () -> balance(venue, deposit.accountId(), deposit.asset()) == deposit.amount());
            }
            JsonObject reserves = reserves(gateway);
            assertTrue(reserves.getBoolean("balanced"), "the demo's xStocks were issued by the desk: " + reserves);
            BigInteger supplyBefore = supply(reserves, "TSLAx");
            assertEquals(BigInteger.valueOf(3 * 1_000).multiply(TOKEN), supplyBefore, "1,000 TSLAx per demo account");

            // Eligibility, each with its own refusal.
            assertRefused(Refusal.NOT_ONBOARDED, mint(issuer, CLIENT, TWENTY, false));
            admin(venue, "issuer/accounts", new JsonObject().put("accountId", CLIENT).put("jurisdiction", "DE")
                .put("usPerson", false));
            assertRefused(Refusal.WALLET_NOT_WHITELISTED, mint(issuer, CLIENT, TWENTY, false));
            admin(venue, "issuer/whitelist", new JsonObject().put("accountId", CLIENT)
                .put("wallet", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8"));
            admin(venue, "issuer/accounts", new JsonObject().put("accountId", US_PERSON).put("jurisdiction", "GB")
                .put("usPerson", true));
            admin(venue, "issuer/whitelist", new JsonObject().put("accountId", US_PERSON)
                .put("wallet", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"));
            assertRefused(Refusal.US_PERSON, mint(issuer, US_PERSON, TWENTY, false));
            admin(venue, "issuer/accounts", new JsonObject().put("accountId", RESTRICTED).put("jurisdiction", "CU")
                .put("usPerson", false));
            admin(venue, "issuer/whitelist", new JsonObject().put("accountId", RESTRICTED)
                .put("wallet", "0x90F79bf6EB2c4f870365E785982E1f101E93b906"));
            assertRefused(Refusal.RESTRICTED_JURISDICTION, mint(issuer, RESTRICTED, TWENTY, false));
            // 11 TSLAx at 420.00 is 4,620 USDT: below the 5,000 minimum; 12 (5,040) is not.
            assertRefused(Refusal.BELOW_MINIMUM, mint(issuer, CLIENT, 1_100_000_000L, false));
            assertRefused(Refusal.NOT_AN_XSTOCK, await(issuer.request(
                new PrimaryMarket.Request(CLIENT, Side.MINT, USDT, TWENTY, false))));

            // A mint in session: 20 TSLAx at 420.00 plus 25 bps = 8,421 USDT, the tokens minted into the vault.
            long usdtBefore = balance(venue, CLIENT, USDT);
            Answer.Executed minted = assertInstanceOf(Answer.Executed.class, mint(issuer, CLIENT, TWENTY, false));
            assertEquals(8_421_000_000L, minted.usdt());
            assertEquals(21_000_000L, minted.fee());
            assertEquals(usdtBefore - minted.usdt(), balance(venue, CLIENT, USDT));
            assertEquals(minted.usdt(), balance(venue, ISSUER, USDT));
            Conditions.awaitTrue(BOUND, () -> "the minted TSLAx credited",
                () -> balance(venue, CLIENT, TSLAX) == 100_000_000_000L + TWENTY);
            reserves = reserves(gateway);
            assertTrue(reserves.getBoolean("balanced"), "after the mint: " + reserves);
            assertEquals(supplyBefore.add(BigInteger.valueOf(20).multiply(TOKEN)), supply(reserves, "TSLAx"));

            // A redeem: 15 TSLAx for 420.00 less 25 bps = 6,284.25 USDT; the issuer's tokens go to the desk and burn.
            Answer.Executed redeemed = assertInstanceOf(Answer.Executed.class, await(issuer.request(
                new PrimaryMarket.Request(CLIENT, Side.REDEEM, TSLAX, 1_500_000_000L, false))));
            assertEquals(6_284_250_000L, redeemed.usdt());
            assertEquals(100_000_000_000L + 500_000_000L, balance(venue, CLIENT, TSLAX));
            BigInteger afterRedeem = supplyBefore.add(BigInteger.valueOf(5).multiply(TOKEN));
            Conditions.awaitTrue(BOUND, () -> "the redeemed TSLAx withdrawn to the desk and burned",
                () -> supply(reserves(gateway), "TSLAx").equals(afterRedeem) && balance(venue, ISSUER, TSLAX) == 0);
            assertTrue(reserves(gateway).getBoolean("balanced"), "after the burn");

            // Closed: refused with the next open, or queued for it.
            now.set(SATURDAY);
            Answer.Refused closed = assertRefused(Refusal.MARKET_CLOSED, mint(issuer, CLIENT, TWENTY, false));
            assertEquals(MONDAY_OPEN.toEpochMilli(), closed.nextOpenMs());
            Answer.Queued queued = assertInstanceOf(Answer.Queued.class, mint(issuer, CLIENT, TWENTY, true));
            assertEquals(MONDAY_OPEN.toEpochMilli(), queued.executeAtMs());
            Answer.Queued cancelled = assertInstanceOf(Answer.Queued.class, mint(issuer, CLIENT, TWENTY, true));
            JsonObject cancel = admin(venue, "issuer/requests/cancel", new JsonObject().put("id", cancelled.requestId()));
            assertEquals("CANCELLED", cancel.getString("status"));
            long tslaBeforeOpen = balance(venue, CLIENT, TSLAX);
            now.set(MONDAY_OPEN.plusSeconds(1));
            timers.fireDue(now.get());
            Conditions.awaitTrue(BOUND, () -> "the queued mint executed at the open and credited",
                () -> balance(venue, CLIENT, TSLAX) == tslaBeforeOpen + TWENTY);
            JsonArray requests = adminGet(venue, "issuer/requests").getJsonArray("requests");
            assertEquals("MINTED", status(requests, queued.requestId()));
            assertEquals("CANCELLED", status(requests, cancelled.requestId()));
            assertTrue(reserves(gateway).getBoolean("balanced"), "after the queued mint");

            // A 2:1 split of TSLAx, a few seconds ahead of the chain's clock.
            long activation = (System.currentTimeMillis() / 1_000 + 4) * 1_000;
            now.set(Instant.ofEpochMilli(activation - 3_000));
            JsonObject action = admin(venue, "issuer/corporate-actions", new JsonObject().put("symbol", "TSLAx")
                .put("numerator", 2).put("denominator", 1).put("activation", activation));
            assertEquals("SCHEDULED", action.getString("status"));
            assertEquals("2000000000000000000", action.getString("multiplier"));
            long holding = balance(venue, CLIENT, TSLAX);
            long reference = await(venue.runtime().proxy().query(e -> e.referencePrice(0))).value();
            Conditions.awaitTrue(BOUND, () -> "the chain's clock past the activation",
                () -> System.currentTimeMillis() > activation + 1_500);
            now.set(Instant.ofEpochMilli(activation));
            timers.fireDue(now.get());
            Conditions.awaitTrue(BOUND, () -> "the split applied in the engine",
                () -> balance(venue, CLIENT, TSLAX) == 2 * holding);
            assertEquals(reference / 2, await(venue.runtime().proxy().query(e -> e.referencePrice(0))).value());
            assertEquals(TradingState.OPEN, await(venue.runtime().proxy().query(e -> e.tradingState(0))).value(),
                "trading resumes");
            JsonObject split = reserves(gateway);
            assertTrue(split.getBoolean("balanced"), "after the split: " + split);
            assertEquals(supplyBefore.add(BigInteger.valueOf(25).multiply(TOKEN)).multiply(BigInteger.TWO),
                supply(split, "TSLAx"), "the supply doubled: 3,000 + 20 - 15 + 20 TSLAx, times 2");
            assertEquals("APPLIED", adminGet(venue, "issuer/corporate-actions").getJsonArray("corporateActions")
                .getJsonObject(0).getString("status"));

            // Trading and settlement go on at the new multiplier: a trade after the split settles, and every demo
            // account's TSLAx in the vault (shares x 2) covers its engine balance.
            long price = reference / 2;
            await(venue.runtime().proxy().submit(Command.PlaceOrder.limit(US_PERSON, 1, 0,
                io.xex.matching.Side.SELL, io.xex.matching.TimeInForce.GTC, price, 1_000)));
            await(venue.runtime().proxy().submit(Command.PlaceOrder.limit(RESTRICTED, 1, 0,
                io.xex.matching.Side.BUY, io.xex.matching.TimeInForce.GTC, price, 1_000)));
            BigInteger shares = BigInteger.valueOf(1_000).multiply(TOKEN).add(TOKEN.divide(BigInteger.TWO));
            try (ChainClient reader = ChainClient.connect(settlement.config().rpcUrl(), Anvil.DEV_KEYS.get(3))) {
                SettlementVault vault = SettlementVault.at(reader, settlement.config().vault());
                Conditions.awaitTrue(BOUND, () -> "the trade after the split settled in shares",
                    () -> shares.equals(sharesOf(vault, RESTRICTED)));
                assertEquals(2 * 100_000_000_000L + 100_000_000L, balance(venue, RESTRICTED, TSLAX),
                    "2,001 TSLAx in the engine: 1,000.5 shares at 2 each");
            }
        } finally {
            await(venue.stop());
        }
    }

    private static BigInteger sharesOf(SettlementVault vault, long account) {
        try {
            return vault.balanceOf(account, TSLAX);
        } catch (ChainException e) {
            throw new IllegalStateException(e);
        }
    }

    private Answer mint(IssuerComponent issuer, long account, long quantity, boolean queue) throws Exception {
        return await(issuer.request(new PrimaryMarket.Request(account, Side.MINT, TSLAX, quantity, queue)));
    }

    private static Answer.Refused assertRefused(Refusal expected, Answer answer) {
        Answer.Refused refused = assertInstanceOf(Answer.Refused.class, answer, "expected " + expected);
        assertEquals(expected, refused.refusal(), refused.detail());
        return refused;
    }

    private static String status(JsonArray requests, long id) {
        for (int i = 0; i < requests.size(); i++) {
            if (requests.getJsonObject(i).getLong("id") == id) {
                return requests.getJsonObject(i).getString("status");
            }
        }
        return null;
    }

    private static BigInteger supply(JsonObject reserves, String symbol) {
        JsonArray tokens = reserves.getJsonArray("tokens");
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.getJsonObject(i).getString("symbol").equals(symbol)) {
                return new BigInteger(tokens.getJsonObject(i).getString("supply"));
            }
        }
        throw new AssertionError(symbol + " not in " + reserves);
    }

    /** GET /api/v1/reserves from the gateway, over HTTP. */
    private JsonObject reserves(GatewayComponent gateway) {
        return new JsonObject(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
            + "/api/v1/reserves")), 200));
    }

    private JsonObject admin(Venue venue, String path, JsonObject body) {
        return new JsonObject(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + venue.opsPort() + "/admin/" + path))
            .header("Authorization", "Bearer " + venue.adminToken()).header("content-type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.encode())), 200));
    }

    private JsonObject adminGet(Venue venue, String path) {
        return new JsonObject(send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + venue.opsPort() + "/admin/" + path))
            .header("Authorization", "Bearer " + venue.adminToken()), 200));
    }

    private String send(HttpRequest.Builder request, int status) {
        try {
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
            assertEquals(status, response.statusCode(), response.body());
            return response.body();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long balance(Venue venue, long account, int asset) {
        return LocalVenue.balance(venue, account, asset);
    }

    private ConfigSource config() {
        return LocalVenue.config(dir, Map.of("XEX_ISSUER_SWEEPMS", "500", "XEX_ISSUER_RESERVESPOLLMS", "500", "XEX_ISSUER_QUEUE_DELAYMS", "0"));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return LocalVenue.await(future);
    }

    /**
     * The issuer's timers: one-off ones wait for {@link #fireDue} (the test moves the issuer's clock), periodic ones
     * are Vert.x's. A fake for time only, named as such; everything they run is real.
     */
    static final class TestTimers {
        private record Due(long id, Instant at, Runnable task, io.vertx.core.Context context) {
        }

        private final List<Due> due = new ArrayList<>();
        private long nextId = -2;
        private Vertx vertx;

        SessionTimers on(Vertx venueVertx) {
            this.vertx = venueVertx;
            return new SessionTimers() {
                @Override
                public long at(Instant at, Runnable task) {
                    synchronized (TestTimers.this) {
                        long id = nextId--;
                        due.add(new Due(id, at, task, Vertx.currentContext()));
                        return id;
                    }
                }

                @Override
                public long every(long periodMs, Runnable task) {
                    return vertx.setPeriodic(periodMs, id -> task.run());
                }

                @Override
                public void cancel(long id) {
                    if (id < 0) {
                        synchronized (TestTimers.this) {
                            due.removeIf(d -> d.id() == id);
                        }
                    } else {
                        vertx.cancelTimer(id);
                    }
                }
            };
        }

        /** Runs, each on its own context, every one-off timer due at {@code at}. */
        synchronized void fireDue(Instant at) {
            List<Due> fire = due.stream().filter(d -> !d.at().isAfter(at)).toList();
            due.removeAll(fire);
            fire.forEach(d -> d.context().runOnContext(v -> d.task().run()));
        }
    }
}
