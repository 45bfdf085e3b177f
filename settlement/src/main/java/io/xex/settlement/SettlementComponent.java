package io.xex.settlement;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.xex.runtime.VenueComponent;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.config.InstrumentCatalog;
import io.xex.runtime.engine.DurableConsumer;
import io.xex.settlement.netting.Netting;

import java.time.InstantSource;
import java.util.List;

/**
 * Settlement as a part of the venue: one {@link SettlementVerticle} for the configured chain, whose cursor is read
 * before the engine recovers so that recovery hands it every result after it. Nothing at all when
 * {@code settlement.enabled} is false.
 *
 * <p>Its methods are called by the venue, in order, from any thread.
 */
public final class SettlementComponent implements VenueComponent {
    private final SettlementConfig config;
    private final Netting netting;
    private final InstantSource clock;
    private SettlementStore store;
    private SettlementVerticle verticle;
    private Vertx vertx;
    private String deploymentId;

    private SettlementComponent(SettlementConfig config, Netting netting, InstantSource clock) {
        this.config = config;
        this.netting = netting;
        this.clock = clock;
    }

    /** Reads and checks {@code settlement.*} for the venue configured by {@code config}; fails before anything starts. */
    public static SettlementComponent from(ConfigSource config) {
        InstrumentCatalog catalog = InstrumentCatalog.from(config);
        return new SettlementComponent(SettlementConfig.from(config, catalog.engine()), new Netting(catalog.engine()),
            InstantSource.system());
    }

    public SettlementConfig config() {
        return config;
    }

    /** The chain's verticle once its cursor is read (null before, or when settlement is off). */
    SettlementVerticle verticle() {
        return verticle;
    }

    @Override
    public Future<List<DurableConsumer>> durableConsumers(Pool database) {
        if (!config.enabled()) {
            return Future.succeededFuture(List.of());
        }
        store = new SettlementStore(database);
        return store.cursor(config.chainId()).map(cursor -> {
            verticle = new SettlementVerticle(config, netting, store, clock, cursor);
            return List.of(verticle);
        });
    }

    @Override
    public Future<Void> start(Services services) {
        if (verticle == null) {
            return Future.succeededFuture();
        }
        verticle.registry(services.registry());
        vertx = services.vertx();
        return vertx.deployVerticle(verticle).map(id -> {
            deploymentId = id;
            return null;
        });
    }

    @Override
    public Future<Void> stop() {
        return deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId);
    }

    @Override
    public List<String> describe() {
        return config.enabled()
            ? List.of("settlement  : chain " + config.chainId() + " at " + config.rpcUrl() + ", vault " + config.vault()
                + ", a batch every " + config.batchMs() + " ms or " + config.batchTrades() + " trades")
            : List.of("settlement  : off (settlement.enabled = false)");
    }
}
