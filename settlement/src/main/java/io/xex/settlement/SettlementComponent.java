package io.xex.settlement;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.xex.runtime.VenueComponent;
import io.xex.runtime.ops.AdminRoutes;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.config.InstrumentCatalog;
import io.xex.runtime.engine.DurableConsumer;
import io.xex.runtime.wallet.WithdrawalGate;
import io.xex.settlement.netting.Netting;

import java.time.InstantSource;
import java.util.List;

/**
 * Settlement as a part of the venue: one {@link SettlementVerticle} and one {@link DepositWatcher} for the configured
 * chain, whose cursors are read before the engine recovers so that recovery hands each the results after its own, and
 * the {@link #withdrawalGate()} a gateway asks before a withdrawal. Nothing at all when {@code settlement.enabled} is
 * false (and a gate that refuses every withdrawal).
 *
 * <p>Its methods are called by the venue, in order, from any thread.
 */
public final class SettlementComponent implements VenueComponent {
    private final SettlementConfig config;
    private final Netting netting;
    private final InstantSource clock;
    private SettlementStore store;
    private SettlementVerticle verticle;
    private DepositWatcher depositWatcher;
    private final DepositConfig deposits;
    private SettlementFaults faults = SettlementFaults.NONE;
    private final VaultWithdrawalGate gate;
    private Vertx vertx;
    private String deploymentId;
    private String watcherDeploymentId;

    private SettlementComponent(SettlementConfig config, DepositConfig deposits, Netting netting, InstantSource clock) {
        this.config = config;
        this.deposits = deposits;
        this.netting = netting;
        this.clock = clock;
        this.gate = config.enabled() ? new VaultWithdrawalGate(config) : null;
    }

    /** Reads and checks {@code settlement.*} for the venue configured by {@code config}; fails before anything starts. */
    public static SettlementComponent from(ConfigSource config) {
        InstrumentCatalog catalog = InstrumentCatalog.from(config);
        return new SettlementComponent(SettlementConfig.from(config, catalog.engine()), DepositConfig.from(config),
            new Netting(catalog.engine()), InstantSource.system());
    }

    public SettlementConfig config() {
        return config;
    }

    /**
     * For fault tests only: the hook the verticle calls at each {@link SettlementFaults.Point}; set before the venue
     * starts. The venue never calls this, so it runs with {@link SettlementFaults#NONE}.
     */
    SettlementComponent faults(SettlementFaults hook) {
        this.faults = hook;
        return this;
    }

    /**
     * What a gateway asks before a withdrawal: the account's whitelisted address on the vault, read on a worker, or a
     * refusal (none set; the chain cannot be read; settlement not running yet). {@link WithdrawalGate#NO_SETTLEMENT}
     * when settlement is off. Available at once, so the venue can hand it to its gateway before anything starts.
     */
    public WithdrawalGate withdrawalGate() {
        return gate == null ? WithdrawalGate.NO_SETTLEMENT : gate;
    }

    /** The chain's verticle once its cursor is read (null before, or when settlement is off). */
    SettlementVerticle verticle() {
        return verticle;
    }

    /** The chain's deposit watcher once its cursor is read (null before, or when settlement is off). */
    DepositWatcher depositWatcher() {
        return depositWatcher;
    }

    @Override
    public Future<List<DurableConsumer>> durableConsumers(Pool database) {
        if (!config.enabled()) {
            return Future.succeededFuture(List.of());
        }
        store = new SettlementStore(database);
        DepositStore depositStore = new DepositStore(database);
        return store.cursor(config.chainId()).compose(cursor -> {
            verticle = new SettlementVerticle(config, netting, store, clock, cursor);
            return depositStore.cursor(config.chainId()).compose(block -> depositStore.pending(config.chainId())
                .map(pending -> new DepositWatcher(config, deposits, depositStore, block, pending.orElse(null))));
        }).map(watcher -> {
            depositWatcher = deposits.enabled() ? watcher : null;
            return depositWatcher == null ? List.<DurableConsumer>of(verticle) : List.of(verticle, watcher);
        });
    }

    @Override
    public Future<Void> start(Services services) {
        if (verticle == null) {
            return Future.succeededFuture();
        }
        verticle.registry(services.registry());
        verticle.faults(faults);
        vertx = services.vertx();
        gate.start(vertx);
        return vertx.deployVerticle(verticle).compose(id -> {
            deploymentId = id;
            if (depositWatcher == null) {
                return Future.succeededFuture((String) null);
            }
            depositWatcher.use(services.engine().proxy(), services.engine().recoveredSequence(), services.registry());
            return vertx.deployVerticle(depositWatcher);
        }).map(id -> {
            watcherDeploymentId = id;
            return null;
        });
    }

    /**
     * {@code GET /admin/settlement}: the chain's batches by status, its unfinished batches and whether it stopped;
     * {@code POST /admin/settlement/retry} with {@code {"batchId": n}}: the oldest batch, FAILED, sent again once the
     * operator has dealt with its reason (409 for any other batch).
     */
    @Override
    public void adminRoutes(AdminRoutes admin) {
        if (verticle == null) {
            return;
        }
        admin.get("settlement", () -> verticle.describe().map(chain -> new JsonObject()
            .put("chains", new JsonArray().add(chain))));
        admin.post("settlement/retry", body -> {
            Object batchId = body.getValue("batchId");
            if (!(batchId instanceof Number number) || number.longValue() <= 0) {
                return Future.failedFuture(new AdminRoutes.AdminException(400, "batchId must be a positive number"));
            }
            return verticle.retry(number.longValue()).map(batch -> new JsonObject().put("chainId", batch.chainId())
                .put("batchId", batch.batchId()).put("status", batch.status().name()));
        });
    }

    @Override
    public Future<Void> stop() {
        Future<Void> closedGate = gate == null ? Future.succeededFuture() : gate.stop();
        Future<Void> watcher = closedGate.transform(ar -> watcherDeploymentId == null ? Future.succeededFuture()
            : vertx.undeploy(watcherDeploymentId));
        return watcher.transform(ar -> deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId));
    }

    @Override
    public List<String> describe() {
        return config.enabled()
            ? List.of("settlement  : chain " + config.chainId() + " at " + config.rpcUrl() + ", vault " + config.vault()
                + ", a batch every " + config.batchMs() + " ms or " + config.batchTrades() + " trades")
            : List.of("settlement  : off (settlement.enabled = false)");
    }
}
