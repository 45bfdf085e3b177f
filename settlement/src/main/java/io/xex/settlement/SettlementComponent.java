package io.xex.settlement;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.xex.matching.Command;
import io.xex.runtime.VenueComponent;
import io.xex.runtime.ops.AdminRoutes;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.config.InstrumentCatalog;
import io.xex.runtime.db.DbConfig;
import io.xex.runtime.engine.DurableConsumer;
import io.xex.runtime.wallet.WithdrawalGate;
import io.xex.runtime.store.JournalStore;
import io.xex.settlement.SettlementConfig.ChainAsset;
import io.xex.settlement.chain.SettlementVault.AssetKind;
import io.xex.settlement.chain.VenueContracts.Token;
import io.xex.settlement.localchain.LocalChain;
import io.xex.settlement.localchain.LocalChainConfig;
import io.xex.settlement.netting.Netting;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Settlement as a part of the venue: one {@link SettlementVerticle} and one {@link DepositWatcher} for the configured
 * chain, whose cursors are read before the engine recovers so that recovery hands each the results after its own, and
 * the {@link #withdrawalGate()} a gateway asks before a withdrawal. Nothing at all when {@code settlement.enabled} is
 * false (and a gate that refuses every withdrawal).
 *
 * <p>With {@code settlement.localChain} the chain is the demo's own ({@link LocalChain}), started first of all, when the
 * venue asks for the durable consumers: anvil runs, the chain is checked against the database (whose journal is then
 * readable) and, when both are new, gets the contracts and the deposits given to {@link #from(ConfigSource, List)}; only
 * then is the chain's location known to the configuration. Its deposits are credited by the deposit watcher, which
 * starts with this component: a component that creates their accounts must start before it. The chain stops last,
 * after the verticles.
 *
 * <p>Its methods are called by the venue, in order, from any thread.
 */
public final class SettlementComponent implements VenueComponent {
    /** Its chain's location is filled in by the local chain before any reader of it starts. */
    private volatile SettlementConfig config;
    private final Netting netting;
    private final InstantSource clock;
    private final LocalChainConfig localChainConfig;
    private final List<LocalChain.Deposit> localChainDeposits;
    /** The database as the user knows it, for the local chain's messages. */
    private final String databaseName;
    private LocalChain localChain;
    private SettlementStore store;
    private SettlementVerticle verticle;
    private DepositWatcher depositWatcher;
    private final DepositConfig deposits;
    private SettlementFaults faults = SettlementFaults.NONE;
    private final VaultWithdrawalGate gate;
    private Vertx vertx;
    private String deploymentId;
    private String watcherDeploymentId;

    private SettlementComponent(SettlementConfig config, DepositConfig deposits, Netting netting, InstantSource clock,
                                LocalChainConfig localChainConfig, List<LocalChain.Deposit> localChainDeposits,
                                String databaseName) {
        this.config = config;
        this.deposits = deposits;
        this.netting = netting;
        this.clock = clock;
        this.gate = config.enabled() ? new VaultWithdrawalGate(() -> this.config) : null;
        this.localChainConfig = localChainConfig;
        this.localChainDeposits = List.copyOf(localChainDeposits);
        this.databaseName = databaseName;
    }

    /** Reads and checks {@code settlement.*} for the venue configured by {@code config}; fails before anything starts. */
    public static SettlementComponent from(ConfigSource config) {
        return from(config, List.of());
    }

    /**
     * Like {@link #from(ConfigSource)}, with the deposits a new local chain makes into its vault (the demo accounts'
     * funds, in engine units), credited to the engine by the deposit watcher like any deposit; ignored without
     * {@code settlement.localChain}.
     */
    public static SettlementComponent from(ConfigSource config, List<Command.Deposit> localChainDeposits) {
        InstrumentCatalog catalog = InstrumentCatalog.from(config);
        SettlementConfig settlement = SettlementConfig.from(config, catalog.engine());
        DepositConfig deposits = DepositConfig.from(config);
        if (!settlement.enabled() || !settlement.localChain()) {
            return new SettlementComponent(settlement, deposits, new Netting(catalog.engine()), InstantSource.system(),
                null, List.of(), null);
        }
        ChainUnits units = new ChainUnits(settlement.assets());
        List<LocalChain.Deposit> onChain = new ArrayList<>();
        for (Command.Deposit deposit : localChainDeposits) {
            if (deposit.amount() <= 0) {
                throw new IllegalArgumentException("not a deposit: " + deposit);
            }
            onChain.add(new LocalChain.Deposit(deposit.accountId(), deposit.asset(),
                units.toChain(deposit.asset(), deposit.amount())));
        }
        DbConfig db = DbConfig.from(config);
        String databaseName = db.isEmbedded() ? "the database in " + db.embeddedDataDir().toAbsolutePath()
            : "the database of db.url";
        return new SettlementComponent(settlement, deposits, new Netting(catalog.engine()), InstantSource.system(),
            LocalChainConfig.from(config), onChain, databaseName);
    }

    /** The settings; with a local chain, its location is there once the venue has started. */
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

    /** The demo's local chain, once the venue has asked for the durable consumers (null without one). */
    public LocalChain localChain() {
        return localChain;
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
        Future<Void> chain = localChainConfig == null ? Future.succeededFuture() : startLocalChain(database);
        return chain.compose(v -> readCursors(database));
    }

    /** Starts the local chain, checks it against the journal, deploys and funds it if new, and points the config at it. */
    private Future<Void> startLocalChain(Pool database) {
        List<Token> tokens = new ArrayList<>();
        for (ChainAsset asset : config.assets()) {
            tokens.add(asset.kind() == AssetKind.ERC20 ? Token.usdt()
                : Token.xStock(asset.symbol(), asset.symbol() + " (xex demo)"));
        }
        localChain = new LocalChain(localChainConfig, tokens, localChainDeposits);
        LocalChain chain = localChain;
        return chain.start()
            .compose(v -> new JournalStore(database).lastSequence())
            .compose(last -> chain.prepare(last == 0, databaseName))
            .<Void>map(v -> {
                config = config.onChain(chain.rpcUrl(), chain.operatorKey(), chain.vault(), chain.tokenAddresses());
                return null;
            })
            .recover(failure -> chain.stop().transform(ar -> Future.failedFuture(failure)));
    }

    private Future<List<DurableConsumer>> readCursors(Pool database) {
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
        }).<Void>map(id -> {
            watcherDeploymentId = id;
            return null;
        }).recover(failure -> stop().transform(ar -> Future.failedFuture(failure)));
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
        return watcher.transform(ar -> deploymentId == null ? Future.succeededFuture() : vertx.undeploy(deploymentId))
            .eventually(() -> localChain == null ? Future.succeededFuture() : localChain.stop());
    }

    @Override
    public List<String> describe() {
        if (!config.enabled()) {
            return List.of("settlement  : off (settlement.enabled = false)");
        }
        List<String> lines = new ArrayList<>();
        if (localChain != null) {
            lines.add("chain       : local anvil at " + config.rpcUrl() + " (chain " + config.chainId() + ", a block every "
                + localChainConfig.blockTimeSeconds() + " s), state in " + localChain.dir()
                + (!localChain.deployedNow() ? "" : localChainDeposits.isEmpty() ? " (new: contracts deployed)"
                    : " (new: contracts deployed, " + localChainDeposits.size() + " deposits made to the vault)"));
        } else {
            lines.add("chain       : " + config.rpcUrl() + " (chain " + config.chainId() + ")");
        }
        lines.add("settlement  : settling to vault " + config.vault() + ": a batch every " + config.batchMs() + " ms or "
            + config.batchTrades() + " trades, confirmed " + config.confirmations() + " blocks deep; deposits "
            + (depositWatcher == null ? "not watched" : "credited " + config.confirmations() + " blocks deep"));
        return lines;
    }
}
