package io.xex.settlement;

import io.vertx.core.Deployable;
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
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settlement as a part of the venue: for each configured chain ({@link SettlementConfig#chains}) one
 * {@link SettlementVerticle} and one {@link DepositWatcher}, whose cursors are read before the engine recovers so that
 * recovery hands each the results after its own, and the {@link #withdrawalGate()} a gateway asks before a withdrawal
 * (the vault of the asset's chain). Nothing at all when {@code settlement.enabled} is false (and a gate that refuses
 * every withdrawal).
 *
 * <p>With {@code settlement.localChain} the chain (the only one) is the demo's own ({@link LocalChain}), started first
 * of all, when the venue asks for the durable consumers: anvil runs, the chain is checked against the database (whose
 * journal is then readable) and, when both are new, gets the contracts and the deposits given to
 * {@link #from(ConfigSource, List)}; only then is the chain's location known to the configuration. Its deposits are
 * credited by the deposit watcher, which starts with this component: a component that creates their accounts must
 * start before it. The chain stops last, after the verticles.
 *
 * <p>Its methods are called by the venue, in order, from any thread.
 */
public final class SettlementComponent implements VenueComponent {
    /** One per chain; the local chain's location is filled in by the local chain before any reader of it starts. */
    private volatile List<SettlementConfig> configs;
    private final Netting netting;
    private final InstantSource clock;
    private final LocalChainConfig localChainConfig;
    private final List<LocalChain.Deposit> localChainDeposits;
    /** The database as the user knows it, for the local chain's messages. */
    private final String databaseName;
    /** The issuer's venue account, whose withdrawal address a new local chain sets to the desk (0: no issuer). */
    private long issuerAccount;
    private LocalChain localChain;
    private SettlementStore store;
    /** One per chain, in the order of {@link #configs}, once the cursors are read. */
    private final List<SettlementVerticle> verticles = new ArrayList<>();
    /** One per chain, in the order of {@link #configs}, when deposits are watched. */
    private final List<DepositWatcher> depositWatchers = new ArrayList<>();
    private final DepositConfig deposits;
    private SettlementFaults faults = SettlementFaults.NONE;
    /** One per chain, in the order of {@link #configs}; empty when settlement is off. */
    private final List<VaultWithdrawalGate> gates = new ArrayList<>();
    private final WithdrawalGate gate;
    private Vertx vertx;
    private final List<String> deploymentIds = new ArrayList<>();

    private SettlementComponent(List<SettlementConfig> configs, DepositConfig deposits, Netting netting,
                                InstantSource clock, LocalChainConfig localChainConfig,
                                List<LocalChain.Deposit> localChainDeposits, String databaseName) {
        this.configs = List.copyOf(configs);
        this.deposits = deposits;
        this.netting = netting;
        this.clock = clock;
        if (configs.getFirst().enabled()) {
            for (int i = 0; i < configs.size(); i++) {
                int chain = i;
                gates.add(new VaultWithdrawalGate(() -> this.configs.get(chain)));
            }
            gate = ChainWithdrawalGates.of(configs, gates);
        } else {
            gate = WithdrawalGate.NO_SETTLEMENT;
        }
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
        List<SettlementConfig> chains = SettlementConfig.chains(config, catalog.engine());
        SettlementConfig settlement = chains.getFirst();
        DepositConfig deposits = DepositConfig.from(config);
        if (!settlement.enabled() || !settlement.localChain()) {
            return new SettlementComponent(chains, deposits, new Netting(catalog.engine()), InstantSource.system(),
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
        SettlementComponent component = new SettlementComponent(chains, deposits, new Netting(catalog.engine()),
            InstantSource.system(), LocalChainConfig.from(config), onChain, databaseName);
        component.issuerAccount = config.bool("issuer.enabled") ? config.longValue("issuer.account", 1, 0xFFFF_FFFFL) : 0;
        return component;
    }

    /**
     * The settings of the first (with one chain, the only) chain; with a local chain, its location is there once the
     * venue has started.
     */
    public SettlementConfig config() {
        return configs.getFirst();
    }

    /** The settings of every chain, in the order of {@code settlement.chains}. */
    public List<SettlementConfig> configs() {
        return configs;
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
     * What a gateway asks before a withdrawal: the account's whitelisted address on the vault of the chain that settles
     * the asset, read on that chain's worker, or a refusal (none set; the chain cannot be read; settlement not running
     * yet). {@link WithdrawalGate#NO_SETTLEMENT} when settlement is off. Available at once, so the venue can hand it to
     * its gateway before anything starts.
     */
    public WithdrawalGate withdrawalGate() {
        return gate;
    }

    /** The demo's local chain, once the venue has asked for the durable consumers (null without one). */
    public LocalChain localChain() {
        return localChain;
    }

    /** The first (with one chain, the only) chain's verticle once its cursor is read (null before, or when off). */
    SettlementVerticle verticle() {
        return verticles.isEmpty() ? null : verticles.getFirst();
    }

    /** The verticle of chain {@code chainId} once its cursor is read (null before, when off, or no such chain). */
    SettlementVerticle verticle(long chainId) {
        int chain = indexOf(chainId);
        return chain < 0 || chain >= verticles.size() ? null : verticles.get(chain);
    }

    /** The first (with one chain, the only) chain's deposit watcher once its cursor is read (null before, or when off). */
    DepositWatcher depositWatcher() {
        return depositWatchers.isEmpty() ? null : depositWatchers.getFirst();
    }

    /** The deposit watcher of chain {@code chainId} once its cursor is read (null before, when off, or no such chain). */
    DepositWatcher depositWatcher(long chainId) {
        int chain = indexOf(chainId);
        return chain < 0 || chain >= depositWatchers.size() ? null : depositWatchers.get(chain);
    }

    private int indexOf(long chainId) {
        List<SettlementConfig> chains = configs;
        for (int i = 0; i < chains.size(); i++) {
            if (chains.get(i).chainId() == chainId) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Future<List<DurableConsumer>> durableConsumers(Pool database) {
        if (!config().enabled()) {
            return Future.succeededFuture(List.of());
        }
        Future<Void> chain = localChainConfig == null ? Future.succeededFuture() : startLocalChain(database);
        return chain.compose(v -> readCursors(database));
    }

    /** Starts the local chain, checks it against the journal, deploys and funds it if new, and points the config at it. */
    private Future<Void> startLocalChain(Pool database) {
        List<Token> tokens = new ArrayList<>();
        for (ChainAsset asset : config().assets()) {
            tokens.add(asset.kind() == AssetKind.ERC20 ? Token.usdt()
                : Token.xStock(asset.symbol(), asset.symbol() + " (xex demo)"));
        }
        localChain = new LocalChain(localChainConfig, tokens, localChainDeposits, issuerAccount);
        LocalChain chain = localChain;
        return chain.start()
            .compose(v -> new JournalStore(database).lastSequence())
            .compose(last -> chain.prepare(last == 0, databaseName))
            .<Void>map(v -> {
                configs = List.of(config().onChain(chain.rpcUrl(), chain.operatorKey(), chain.vault(),
                    chain.tokenAddresses()));
                return null;
            })
            .recover(failure -> chain.stop().transform(ar -> Future.failedFuture(failure)));
    }

    /** Each chain's cursors, one chain after the other; its verticle, then its watcher when deposits are watched. */
    private Future<List<DurableConsumer>> readCursors(Pool database) {
        store = new SettlementStore(database);
        DepositStore depositStore = new DepositStore(database);
        List<DurableConsumer> consumers = new ArrayList<>();
        Future<Void> read = Future.succeededFuture();
        for (SettlementConfig config : configs) {
            Set<Integer> shareAssets = config.assets().stream().filter(asset -> asset.kind() == AssetKind.SHARES)
                .map(SettlementConfig.ChainAsset::assetId).collect(Collectors.toUnmodifiableSet());
            read = read.compose(v -> store.cursor(config.chainId())).compose(cursor -> store.multipliers(config.chainId())
                .compose(stored -> {
                    EngineMultipliers multipliers = new EngineMultipliers(shareAssets, stored, cursor);
                    SettlementVerticle verticle = new SettlementVerticle(config, netting, store, clock, cursor,
                        multipliers);
                    verticles.add(verticle);
                    consumers.add(verticle);
                    return depositStore.cursor(config.chainId()).compose(block -> depositStore.pending(config.chainId())
                        .map(pending -> new DepositWatcher(config, deposits, depositStore, block, pending.orElse(null),
                            multipliers)));
                })).map(watcher -> {
                if (deposits.enabled()) {
                    depositWatchers.add(watcher);
                    consumers.add(watcher);
                }
                return null;
            });
        }
        return read.map(v -> List.copyOf(consumers));
    }

    @Override
    public Future<Void> start(Services services) {
        if (verticles.isEmpty()) {
            return Future.succeededFuture();
        }
        vertx = services.vertx();
        for (VaultWithdrawalGate chainGate : gates) {
            chainGate.start(vertx);
        }
        Future<Void> started = Future.succeededFuture();
        for (SettlementVerticle verticle : verticles) {
            verticle.registry(services.registry());
            verticle.faults(faults);
            started = started.compose(v -> deploy(verticle));
        }
        for (DepositWatcher watcher : depositWatchers) {
            watcher.use(services.engine().proxy(), services.engine().recoveredSequence(), services.registry());
            started = started.compose(v -> deploy(watcher));
        }
        return started.recover(failure -> stop().transform(ar -> Future.failedFuture(failure)));
    }

    private Future<Void> deploy(Deployable verticle) {
        return vertx.deployVerticle(verticle).map(id -> {
            deploymentIds.add(id);
            return null;
        });
    }

    /**
     * {@code GET /admin/settlement}: each chain's batches by status, its unfinished batches and whether it stopped;
     * {@code POST /admin/settlement/retry} with {@code {"chainId": c, "batchId": n}} ({@code chainId} may be left out
     * with one chain): that chain's oldest batch, FAILED, sent again once the operator has dealt with its reason (409
     * for any other batch).
     */
    @Override
    public void adminRoutes(AdminRoutes admin) {
        if (verticles.isEmpty()) {
            return;
        }
        admin.get("settlement", () -> {
            List<Future<JsonObject>> chains = new ArrayList<>();
            for (SettlementVerticle verticle : verticles) {
                chains.add(verticle.describe());
            }
            return Future.all(chains).map(all -> {
                JsonArray described = new JsonArray();
                chains.forEach(chain -> described.add(chain.result()));
                return new JsonObject().put("chains", described);
            });
        });
        admin.post("settlement/retry", body -> {
            Object batchId = body.getValue("batchId");
            if (!(batchId instanceof Number number) || number.longValue() <= 0) {
                return Future.failedFuture(new AdminRoutes.AdminException(400, "batchId must be a positive number"));
            }
            Object chainId = body.getValue("chainId");
            SettlementVerticle verticle;
            if (chainId == null && verticles.size() == 1) {
                verticle = verticles.getFirst();
            } else if (chainId instanceof Number chain && verticle(chain.longValue()) != null) {
                verticle = verticle(chain.longValue());
            } else {
                List<Long> ids = configs.stream().map(SettlementConfig::chainId).toList();
                return Future.failedFuture(new AdminRoutes.AdminException(400, "chainId must be one of " + ids));
            }
            return verticle.retry(number.longValue()).map(batch -> new JsonObject().put("chainId", batch.chainId())
                .put("batchId", batch.batchId()).put("status", batch.status().name()));
        });
    }

    /** Closes the gates, then undeploys the watchers and verticles (the last deployed first), then the local chain. */
    @Override
    public Future<Void> stop() {
        Future<Void> stopped = Future.succeededFuture();
        for (VaultWithdrawalGate chainGate : gates) {
            stopped = stopped.transform(ar -> chainGate.stop());
        }
        List<String> deployed = new ArrayList<>(deploymentIds);
        deploymentIds.clear();
        for (String id : deployed.reversed()) {
            stopped = stopped.transform(ar -> vertx.undeploy(id));
        }
        return stopped.eventually(() -> localChain == null ? Future.succeededFuture() : localChain.stop());
    }

    @Override
    public List<String> describe() {
        SettlementConfig first = config();
        if (!first.enabled()) {
            return List.of("settlement  : off (settlement.enabled = false)");
        }
        List<String> lines = new ArrayList<>();
        if (localChain != null) {
            lines.add("chain       : local anvil at " + first.rpcUrl() + " (chain " + first.chainId() + ", a block every "
                + localChainConfig.blockTimeSeconds() + " s), state in " + localChain.dir()
                + (!localChain.deployedNow() ? "" : localChainDeposits.isEmpty() ? " (new: contracts deployed)"
                    : " (new: contracts deployed, " + localChainDeposits.size() + " deposits made to the vault)"));
        } else {
            for (SettlementConfig chain : configs) {
                lines.add("chain       : " + chain.rpcUrl() + " (chain " + chain.chainId() + ", vault " + chain.vault()
                    + ", assets " + String.join(",", chain.assets().stream().map(ChainAsset::symbol).toList()) + ")");
            }
        }
        lines.add("settlement  : settling to "
            + (configs.size() == 1 ? "vault " + first.vault() : configs.size() + " chains")
            + ": a batch every " + first.batchMs() + " ms or " + first.batchTrades() + " trades, confirmed "
            + first.confirmations() + " blocks deep; deposits "
            + (depositWatchers.isEmpty() ? "not watched" : "credited " + first.confirmations() + " blocks deep"));
        return lines;
    }
}
