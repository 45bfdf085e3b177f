package io.xex.gateway;

import io.vertx.core.Future;
import io.xex.gateway.auth.ApiKeyStore;
import io.xex.gateway.binary.BinaryConfig;
import io.xex.runtime.Venue;
import io.xex.runtime.VenueComponent;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.engine.EngineProxy;
import io.xex.runtime.issuer.PrimaryMarket;
import io.xex.runtime.wallet.WithdrawalGate;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * For tests: the whole venue (embedded PostgreSQL in a test folder, the durable engine, the trader gateway
 * on a free port) with two instruments, demo accounts 1..3 funded, and settings a test may override. Withdrawals are
 * refused as in a venue without settlement, unless the test gives its own {@link WithdrawalGate}.
 */
public final class TestVenue implements AutoCloseable {
    /** A clock the test moves by hand; starts at the real time so that signed timestamps look normal. */
    public static final class ManualClock implements LongSupplier {
        private final AtomicLong nowMs = new AtomicLong(System.currentTimeMillis());

        @Override
        public long getAsLong() {
            return nowMs.get();
        }

        public void advance(long ms) {
            nowMs.addAndGet(ms);
        }
    }

    public final Venue venue;
    public final GatewayComponent gateway;

    private TestVenue(Venue venue, GatewayComponent gateway) {
        this.venue = venue;
        this.gateway = gateway;
    }

    public static ConfigSource config(Path dir, Map<String, String> overrides) {
        Map<String, String> env = new HashMap<>();
        env.put("XEX_DB_EMBEDDED_DIR", dir.resolve("pg").toString());
        env.put("XEX_OPS_PORT", "0");
        env.put("XEX_OPS_ADMINTOKEN", "test-token");
        env.put("XEX_INSTRUMENTS", "TSLAx,NVDAx");
        env.put("XEX_GATEWAY_PORT", "0");
        env.put("XEX_BINARY_PORT", "0");
        env.put("XEX_GATEWAY_DEMO_ACCOUNTS", "3");
        // No settlement here: the demo accounts' funds go straight into the engine.
        env.put("XEX_GATEWAY_DEMO_FUNDING", "engine");
        env.putAll(overrides);
        return ConfigSource.load(null, env);
    }

    public static TestVenue start(Path dir, Map<String, String> overrides, LongSupplier clockMs) throws Exception {
        return start(dir, overrides, WithdrawalGate.NO_SETTLEMENT, clockMs);
    }

    /** A venue whose gateway asks {@code withdrawals} before each {@code wallet.withdraw}. */
    public static TestVenue start(Path dir, Map<String, String> overrides, WithdrawalGate withdrawals) throws Exception {
        return start(dir, overrides, withdrawals, System::currentTimeMillis);
    }

    /** A venue whose gateway hands {@code issuer.mint}, {@code issuer.redeem} and {@code reserves} to {@code market}. */
    public static TestVenue start(Path dir, Map<String, String> overrides, PrimaryMarket market) throws Exception {
        ConfigSource config = config(dir, overrides);
        GatewayComponent gateway = new GatewayComponent(GatewayConfig.from(config), BinaryConfig.from(config),
            WithdrawalGate.NO_SETTLEMENT, System::currentTimeMillis).primaryMarket(market);
        return new TestVenue(await(Venue.start(config, List.of(gateway))), gateway);
    }

    private static TestVenue start(Path dir, Map<String, String> overrides, WithdrawalGate withdrawals,
                                   LongSupplier clockMs) throws Exception {
        return start(config(dir, overrides), withdrawals, clockMs, List.of());
    }

    /** A venue with the gateway on {@code clockMs} and then {@code more} components, started in that order. */
    public static TestVenue start(ConfigSource config, LongSupplier clockMs, List<VenueComponent> more)
        throws Exception {
        return start(config, WithdrawalGate.NO_SETTLEMENT, clockMs, more);
    }

    private static TestVenue start(ConfigSource config, WithdrawalGate withdrawals, LongSupplier clockMs,
                                   List<VenueComponent> more) throws Exception {
        GatewayComponent gateway = new GatewayComponent(GatewayConfig.from(config), BinaryConfig.from(config), withdrawals,
            clockMs);
        List<VenueComponent> components = new java.util.ArrayList<>();
        components.add(gateway);
        components.addAll(more);
        Venue venue = await(Venue.start(config, components));
        return new TestVenue(venue, gateway);
    }

    public static TestVenue start(Path dir, Map<String, String> overrides) throws Exception {
        return start(dir, overrides, System::currentTimeMillis);
    }

    public int port() {
        return gateway.port();
    }

    /** The port of the binary order-entry server. */
    public int binaryPort() {
        return gateway.binaryPort();
    }

    /** The engine's id of an instrument (its securityId on the binary protocol). */
    public int instrumentId(String symbol) {
        return venue.catalog().find(symbol).id();
    }

    /** The ids of an account's live orders, as the engine has them now. */
    public List<Long> liveOrders(long accountId) {
        try {
            return await(engine().query(e -> {
                List<Long> ids = new java.util.ArrayList<>();
                e.forEachOrderOf(accountId, o -> ids.add(o.orderId()));
                return ids;
            })).value();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the live orders of account " + accountId, e);
        }
    }

    public EngineProxy engine() {
        return venue.runtime().proxy();
    }

    /** The HMAC secret of demo account {@code accountId}'s key {@code demo-<accountId>}. */
    public String demoSecret(long accountId) throws Exception {
        List<ApiKeyStore.Created> keys = await(gateway.keys().hmacKeysOf(accountId));
        return keys.getFirst().secret();
    }

    public static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            await(venue.stop());
        } catch (Exception e) {
            throw new IllegalStateException("venue did not stop cleanly", e);
        }
    }
}
