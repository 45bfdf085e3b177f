package io.xex.gateway;

import io.vertx.core.Future;
import io.xex.gateway.auth.ApiKeyStore;
import io.xex.gateway.binary.BinaryConfig;
import io.xex.gateway.binary.BinaryGatewayVerticle;
import io.xex.gateway.demo.DemoAccounts;
import io.xex.gateway.history.TradeHistory;
import io.xex.gateway.ws.GatewayVerticle;
import io.xex.runtime.VenueComponent;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.issuer.PrimaryMarket;
import io.xex.runtime.wallet.WithdrawalGate;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The trader gateway as a part of the venue: loads the API keys, creates the demo accounts if configured,
 * and deploys the {@link GatewayVerticle}. On stop it sends every client a {@code serverShutdown} notice
 * and closes its connection before the engine stops. Withdrawals go through the {@link WithdrawalGate} it is given
 * (settlement's); without one every {@code wallet.withdraw} is refused.
 */
public final class GatewayComponent implements VenueComponent {
    private final GatewayConfig config;
    private final BinaryConfig binaryConfig;
    private final WithdrawalGate withdrawals;
    private PrimaryMarket primaryMarket = PrimaryMarket.NONE;
    private final LongSupplier clockMs;
    private GatewayVerticle verticle;
    private BinaryGatewayVerticle binary;
    private VenueComponent.Services services;
    private ApiKeyStore keys;
    private List<ApiKeyStore.Created> demoKeys = List.of();

    /** A gateway of a venue that does not settle: withdrawals are refused. */
    public GatewayComponent(GatewayConfig config, BinaryConfig binaryConfig, LongSupplier clockMs) {
        this(config, binaryConfig, WithdrawalGate.NO_SETTLEMENT, clockMs);
    }

    public GatewayComponent(GatewayConfig config, BinaryConfig binaryConfig, WithdrawalGate withdrawals,
                            LongSupplier clockMs) {
        this.config = config;
        this.binaryConfig = binaryConfig;
        this.withdrawals = withdrawals;
        this.clockMs = clockMs;
    }

    /**
     * Reads the gateway's settings from the venue's configuration (failing fast on a bad one), for a venue that
     * does not settle: {@code wallet.withdraw} is refused.
     */
    public static GatewayComponent from(ConfigSource config) {
        return from(config, WithdrawalGate.NO_SETTLEMENT);
    }

    /** As {@link #from(ConfigSource)}, with withdrawals checked by {@code withdrawals} (settlement's gate). */
    public static GatewayComponent from(ConfigSource config, WithdrawalGate withdrawals) {
        return new GatewayComponent(GatewayConfig.from(config), BinaryConfig.from(config), withdrawals,
            System::currentTimeMillis);
    }

    /**
     * Hands {@code issuer.mint}, {@code issuer.redeem} and {@code reserves} to {@code market} (the issuer's); before the
     * gateway starts. Without it every request is refused as unavailable.
     */
    public GatewayComponent primaryMarket(PrimaryMarket market) {
        this.primaryMarket = java.util.Objects.requireNonNull(market, "market");
        return this;
    }

    @Override
    public Future<Void> start(Services services) {
        this.services = services;
        Listings listings = new Listings(services.catalog());
        keys = new ApiKeyStore(services.database());
        verticle = new GatewayVerticle(config, listings, services.engine(), new TradeHistory(services.database()), keys,
            services.registry(), withdrawals, primaryMarket, clockMs);
        binary = new BinaryGatewayVerticle(binaryConfig, services.engine(), services.history(), services.database(),
            keys, services.registry(), clockMs);
        return keys.load()
            .compose(n -> DemoAccounts.ensure(config, listings, services.engine().proxy(), keys))
            .compose(created -> {
                demoKeys = created;
                return services.vertx().deployVerticle(verticle);
            })
            .compose(id -> services.vertx().deployVerticle(binary))
            .mapEmpty();
    }

    /** The port of the WebSocket and REST server. */
    public int port() {
        return verticle.port();
    }

    /** The port of the binary order-entry server. */
    public int binaryPort() {
        return binary.port();
    }

    public ApiKeyStore keys() {
        return keys;
    }

    @Override
    public Future<Void> stop() {
        Future<Void> binaryStopped = binary == null || binary.deploymentID() == null ? Future.succeededFuture()
            : binary.shutdown().eventually(() -> services.vertx().undeploy(binary.deploymentID()));
        if (verticle == null || verticle.deploymentID() == null) {
            return binaryStopped;
        }
        return binaryStopped.eventually(() -> verticle.shutdown())
            .eventually(() -> services.vertx().undeploy(verticle.deploymentID()));
    }

    @Override
    public List<String> describe() {
        String host = config.host().equals("0.0.0.0") || config.host().equals("::") ? "127.0.0.1" : config.host();
        String base = host + ":" + port();
        List<String> lines = new ArrayList<>();
        lines.add("websocket   : ws://" + base + GatewayVerticle.WS_PATH + "   (docs/ws-api.md)");
        lines.add("rest        : http://" + base + "/api/v1/instruments, /depth?symbol=TSLAx/USDT, /market-status");
        String binaryHost = binaryConfig.host().equals("0.0.0.0") || binaryConfig.host().equals("::") ? "127.0.0.1"
            : binaryConfig.host();
        lines.add("binary      : tcp://" + binaryHost + ":" + binaryPort() + "   SBE order entry (docs/binary-protocol.md)");
        for (ApiKeyStore.Created key : demoKeys) {
            lines.add("demo account " + key.accountId() + ": apiKey " + key.keyId() + "  HMAC secret " + key.secret());
        }
        return lines;
    }
}
