package io.xex.settlement.issuer;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.xex.matching.Command;
import io.xex.matching.RejectReason;
import io.xex.runtime.calendar.MarketCalendar;
import io.xex.runtime.config.InstrumentCatalog;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.DurableConsumer;
import io.xex.runtime.engine.EngineEvent;
import io.xex.runtime.engine.EngineProxy;
import io.xex.runtime.issuer.PrimaryMarket.Answer;
import io.xex.runtime.issuer.PrimaryMarket.Refusal;
import io.xex.runtime.issuer.PrimaryMarket.Reserve;
import io.xex.runtime.issuer.PrimaryMarket.Side;
import io.xex.runtime.session.SessionTimers;
import io.xex.runtime.wallet.WithdrawalGate;
import io.xex.settlement.ChainUnits;
import io.xex.settlement.SettlementConfig;
import io.xex.settlement.SettlementConfig.ChainAsset;
import io.xex.settlement.chain.ChainClient;
import io.xex.settlement.chain.IssuerDesk;
import io.xex.settlement.chain.SettlementVault.AssetKind;
import io.xex.settlement.chain.XStockToken;
import io.xex.settlement.issuer.IssuerStore.Action;
import io.xex.settlement.issuer.IssuerStore.Eligibility;
import io.xex.settlement.issuer.IssuerStore.Request;
import io.xex.settlement.issuer.IssuerStore.Status;

import java.math.BigInteger;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The issuer's primary market on one chain: it prices, checks and executes mint and redeem requests, runs the ones
 * queued for the open, withdraws redeemed tokens to the desk and burns them, reads the reserves, and applies
 * corporate actions at their activation time (docs/issuer.md).
 *
 * <p><b>A request</b> is checked (an xStock; onboarded, not a US person, not resident where the issuer does not serve,
 * a whitelisted wallet; the underlying market open, else refused with the next open or queued for it), priced at the
 * engine's reference price ({@link Pricing}, at least the instrument's {@code primaryMinimum}) and executed as one
 * journaled {@link Command.Transfer} between the client and the issuer's account: a mint moves the USDT to the issuer,
 * a redeem the tokens to the issuer and the USDT to the client. A mint then has the desk mint the tokens into the vault
 * for the client ({@link IssuerDesk#issue}, the custodian's ledger moving in the same transaction), which the deposit
 * watcher credits like any deposit. Redeemed tokens stay in the issuer's account until the sweep withdraws them to the
 * desk (the issuer account's whitelisted address) and the desk burns them, the custodian's ledger moving with the
 * burn: supply and shares held stay equal at every step.
 *
 * <p><b>Exactly once.</b> Executions run one at a time, in the order of the references they draw. A row is EXECUTING
 * with its reference before its Transfer is submitted; after a crash the same Transfer is sent again, and the engine
 * refuses it as a duplicate if it was applied (a reference is accepted only above the last one). A PAID mint is
 * issued under the row's id, which the desk accepts once ({@link IssuerDesk#issued}). A corporate action is APPLYING
 * with the engine's sequence before its command; this verticle is a {@link DurableConsumer} from there, so recovery
 * tells whether the command became durable, as the deposit watcher does for deposits.
 *
 * <p>Confined to its event-loop context, except {@link #accept} (the recovery thread, then the engine's) and the
 * public entry points, which hop onto the context; every chain call runs on the {@value #WORKER} worker.
 */
final class IssuerVerticle extends VerticleBase implements DurableConsumer {
    static final String WORKER = "xex-issuer";
    /** No timer: timer ids may be any other long. */
    private static final long NONE = Long.MIN_VALUE;
    private static final System.Logger LOG = System.getLogger(IssuerVerticle.class.getName());

    /** An xStock the issuer mints: its engine asset, the instrument that prices it, its token on chain. */
    record XStock(int asset, String symbol, int instrumentId, long tickUnits, int baseDecimals, long minimumUnits,
                  int quoteAsset, Supplier<String> token) {
    }

    private final Supplier<IssuerConfig> config;
    private final Supplier<SettlementConfig> chain;
    private final Map<Integer, XStock> xStocks;
    private final MarketCalendar calendar;
    private final InstantSource clock;
    private final IssuerStore store;
    private final Action recoveredAction;

    // ---- written by the recovery thread, read by the context after recovery
    private volatile boolean recovering = true;
    private volatile long matchedSeq = -1;
    private volatile String matchedReason;

    // ---- confined to the context
    private SessionTimers timers;
    private EngineProxy engine;
    private WithdrawalGate gate;
    private MeterRegistry registry;
    private WorkerExecutor worker;
    private Context context;
    private Future<Void> tail = Future.succeededFuture();
    private long queueTimer = NONE;
    private long sweepTimer = NONE;
    private long reservesTimer = NONE;
    private final Map<Long, Long> activationTimers = new ConcurrentHashMap<>();
    private final Map<Integer, Reserve> lastReserves = new ConcurrentHashMap<>();
    private boolean stopped;

    // ---- confined to the worker
    private ChainClient client;
    private IssuerDesk desk;

    IssuerVerticle(Supplier<IssuerConfig> config, Supplier<SettlementConfig> chain, InstrumentCatalog catalog,
                   MarketCalendar calendar, InstantSource clock, IssuerStore store, Action applying) {
        this.config = config;
        this.chain = chain;
        this.calendar = calendar;
        this.clock = clock;
        this.store = store;
        this.recoveredAction = applying;
        this.xStocks = xStocks(catalog, chain);
    }

    private static Map<Integer, XStock> xStocks(InstrumentCatalog catalog, Supplier<SettlementConfig> chain) {
        Map<Integer, XStock> out = new ConcurrentHashMap<>();
        var engine = catalog.engine();
        for (InstrumentCatalog.Instrument instrument : catalog.instruments()) {
            var spec = engine.instruments().get(instrument.id());
            ChainAsset base = chain.get().assets().size() > spec.baseAsset() ? chain.get().assets().get(spec.baseAsset()) : null;
            if (base == null || base.kind() != AssetKind.SHARES || out.containsKey(spec.baseAsset())) {
                continue;
            }
            int quoteDecimals = engine.assets().get(spec.quoteAsset()).decimals();
            long minimum = instrument.primaryMinimum().movePointRight(quoteDecimals).setScale(0,
                java.math.RoundingMode.CEILING).longValueExact();
            int asset = spec.baseAsset();
            out.put(asset, new XStock(asset, instrument.base(), instrument.id(), spec.tickSize(),
                engine.assets().get(asset).decimals(), minimum, spec.quoteAsset(),
                () -> chain.get().assets().get(asset).token()));
        }
        return out;
    }

    /** The engine, the gate that knows the issuer account's withdrawal address, timers and meters; before deployment. */
    void use(EngineProxy proxy, WithdrawalGate withdrawalGate, SessionTimers sessionTimers, MeterRegistry meters) {
        this.engine = proxy;
        this.gate = withdrawalGate;
        this.timers = sessionTimers;
        this.registry = meters;
    }

    @Override
    public long cursor() {
        return recoveredAction == null ? Long.MAX_VALUE : recoveredAction.afterSeq();
    }

    /** Only while recovering, and only with an APPLYING action: looks for its ApplyMultiplier command. */
    @Override
    public void accept(List<CommandResult> results) {
        if (!recovering || recoveredAction == null || matchedSeq >= 0) {
            return;
        }
        Command ours = new Command.ApplyMultiplier(recoveredAction.asset(), recoveredAction.numerator(),
            recoveredAction.denominator());
        for (CommandResult result : results) {
            if (result.sequence() > recoveredAction.afterSeq() && ours.equals(result.command())) {
                RejectReason reason = rejection(result);
                matchedReason = reason == null ? null : reason.name();
                matchedSeq = result.sequence();
                return;
            }
        }
    }

    @Override
    public Future<?> start() {
        recovering = false;
        context = vertx.getOrCreateContext();
        if (timers == null) {
            timers = SessionTimers.vertx(vertx, clock);
        }
        worker = vertx.createSharedWorkerExecutor(WORKER + "-" + chain.get().chainId(), 1);
        registerMeters();
        IssuerConfig issuer = config.get();
        return worker.executeBlocking(() -> {
                client = ChainClient.connect(chain.get().rpcUrl(), issuer.key());
                desk = IssuerDesk.at(client, issuer.desk());
                return null;
            })
            .compose(v -> engine.query(e -> e.hasAccount(issuer.accountId())))
            .compose(known -> known.value() ? Future.succeededFuture()
                : engine.submit(new Command.CreateAccount(issuer.accountId(), 0, 0)).mapEmpty())
            .compose(v -> resolveApplying())
            .compose(v -> serialized(this::resume))
            .compose(v -> store.actions())
            .map(actions -> {
                for (Action action : actions) {
                    if (action.status() == IssuerStore.ActionStatus.SCHEDULED) {
                        armActivation(action);
                    }
                }
                armQueue();
                sweepTimer = timers.every(issuer.sweepMs(), () -> serialized(this::sweep));
                reservesTimer = timers.every(issuer.reservesPollMs(), this::pollReserves);
                pollReserves();
                return null;
            });
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        for (long id : List.of(queueTimer, sweepTimer, reservesTimer)) {
            if (id != NONE) {
                timers.cancel(id);
            }
        }
        activationTimers.values().forEach(timers::cancel);
        Future<Void> drained = tail.otherwiseEmpty();
        return drained.compose(v -> worker.<Void>executeBlocking(() -> {
            if (client != null) {
                client.close();
            }
            return null;
        })).eventually(worker::close);
    }

    // ---------------------------------------------------------------------------------------------
    // Requests

    /** From any context: answered on the caller's. */
    Future<Answer> request(io.xex.runtime.issuer.PrimaryMarket.Request request) {
        return onContext(() -> check(request));
    }

    private Future<Answer> check(io.xex.runtime.issuer.PrimaryMarket.Request request) {
        XStock xStock = xStocks.get(request.asset());
        if (xStock == null) {
            return refused(Refusal.NOT_AN_XSTOCK, "asset " + request.asset() + " is not an xStock the issuer mints");
        }
        return store.account(request.accountId()).compose(account -> {
            Answer.Refused refusal = eligibility(account, request.accountId());
            if (refusal != null) {
                return Future.succeededFuture(refusal);
            }
            Instant now = clock.instant();
            if (!calendar.isOpen(now)) {
                Instant next = calendar.nextOpen(now);
                if (!request.queueForOpen()) {
                    return Future.succeededFuture(new Answer.Refused(Refusal.MARKET_CLOSED,
                        "the underlying market is closed; it opens at " + next, next.toEpochMilli()));
                }
                return store.queue(request.accountId(), request.side(), request.asset(), request.quantity(), next)
                    .map(id -> {
                        armQueue();
                        return (Answer) new Answer.Queued(id, next.toEpochMilli());
                    });
            }
            return serialized(() -> price(xStock, request.side(), request.quantity()).compose(priced -> {
                if (priced.refusal() != null) {
                    return Future.succeededFuture(priced.refusal());
                }
                return store.execute(request.accountId(), request.side(), request.asset(), request.quantity(),
                    priced.price(), priced.pricing().usdt(), priced.pricing().fee()).compose(this::transfer);
            }));
        });
    }

    private Answer.Refused eligibility(Optional<Eligibility> found, long accountId) {
        if (found.isEmpty()) {
            return new Answer.Refused(Refusal.NOT_ONBOARDED, "the issuer has not onboarded account " + accountId, 0);
        }
        Eligibility account = found.get();
        if (account.usPerson()) {
            return new Answer.Refused(Refusal.US_PERSON, "the issuer does not serve US persons", 0);
        }
        if (config.get().restricted(account.jurisdiction())) {
            return new Answer.Refused(Refusal.RESTRICTED_JURISDICTION,
                "the issuer does not serve residents of " + account.jurisdiction(), 0);
        }
        if (account.wallet() == null) {
            return new Answer.Refused(Refusal.WALLET_NOT_WHITELISTED,
                "the issuer has not whitelisted a wallet of account " + accountId, 0);
        }
        return null;
    }

    /** A request priced: the reference price per token and what it comes to, or why it cannot be (then the rest is 0). */
    private record Priced(long price, Pricing pricing, Answer.Refused refusal) {
        static Priced refused(Refusal refusal, String detail) {
            return new Priced(0, null, new Answer.Refused(refusal, detail, 0));
        }
    }

    /** On the context: the request priced at the engine's reference price now, or a refusal. */
    private Future<Priced> price(XStock xStock, Side side, long quantity) {
        return engine.query(e -> e.referencePrice(xStock.instrumentId())).map(answer -> {
            long price = answer.value();
            if (price <= 0) {
                return Priced.refused(Refusal.NO_REFERENCE_PRICE, xStock.symbol() + " has no reference price");
            }
            Pricing pricing = Pricing.of(side, price, xStock.tickUnits(), quantity, xStock.baseDecimals(),
                config.get().feeBps(), xStock.minimumUnits());
            if (pricing == null) {
                return Priced.refused(Refusal.BELOW_MINIMUM, "the request is worth less than the minimum of "
                    + xStock.minimumUnits() + " USDT units at the reference price of " + price + " ticks");
            }
            return new Priced(price, pricing, null);
        });
    }

    /** Submits an EXECUTING row's Transfer and records the outcome; a mint is then issued on chain. */
    private Future<Answer> transfer(Request row) {
        XStock xStock = xStocks.get(row.asset());
        long issuer = config.get().accountId();
        Command.Transfer command = row.side() == Side.MINT
            ? new Command.Transfer(row.reference(), row.accountId(), issuer, xStock.quoteAsset(), row.usdt(),
                xStock.quoteAsset(), 0)
            : new Command.Transfer(row.reference(), row.accountId(), issuer, row.asset(), row.quantity(),
                xStock.quoteAsset(), row.usdt());
        return engine.submit(command).compose(result -> {
            RejectReason reason = rejection(result);
            if (reason == null || reason == RejectReason.REQUEST_DUPLICATE_TRANSFER) {
                Status done = row.side() == Side.MINT ? Status.PAID : Status.FILLED;
                return store.advance(row.id(), Status.EXECUTING, done, null).compose(v -> {
                    if (row.side() == Side.MINT) {
                        // The client is answered now; the tokens follow once minted and their deposit is deep enough.
                        mint(row);
                    }
                    return Future.succeededFuture((Answer) new Answer.Executed(row.id(), row.side(), row.asset(),
                        row.quantity(), row.price(), row.usdt(), row.fee()));
                });
            }
            Refusal refusal = reason == RejectReason.RISK_INSUFFICIENT_FUNDS ? Refusal.INSUFFICIENT_FUNDS
                : Refusal.UNAVAILABLE;
            String detail = reason == RejectReason.RISK_INSUFFICIENT_FUNDS
                ? (row.side() == Side.MINT ? "the account's available USDT does not cover " + row.usdt() + " units"
                    : "the account's available tokens, or the issuer's USDT, do not cover the redeem")
                : "the engine refused the transfer: " + reason;
            return store.refuse(row.id(), refusal.name(), detail)
                .map(v -> (Answer) new Answer.Refused(refusal, detail, 0));
        });
    }

    /** Issues a PAID mint on chain, once (the desk refuses a second issue of the same id); failures wait for the sweep. */
    private Future<Void> mint(Request row) {
        XStock xStock = xStocks.get(row.asset());
        BigInteger amount = new ChainUnits(chain.get().assets()).toChain(row.asset(), row.quantity());
        return worker.executeBlocking(() -> {
            if (desk.issued(row.id())) {
                return "";
            }
            return desk.issue(row.id(), xStock.token().get(), row.asset(), row.accountId(), amount).getTransactionHash();
        }).compose(txHash -> store.advance(row.id(), Status.PAID, Status.MINTED, txHash.isEmpty() ? null : txHash))
            .<Void>mapEmpty()
            .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "issuer: mint of request " + row.id()
                + " not issued yet (" + e.getMessage() + "); the sweep tries again"))
            .otherwiseEmpty();
    }

    /** After a restart: EXECUTING rows are sent again under their reference, PAID mints issued. */
    private Future<Void> resume() {
        return store.requests(Status.EXECUTING).compose(rows -> {
            Future<Void> done = Future.succeededFuture();
            for (Request row : rows) {
                done = done.compose(v -> transfer(row).mapEmpty());
            }
            return done;
        }).compose(v -> retryMints());
    }

    private Future<Void> retryMints() {
        return store.requests(Status.PAID).compose(rows -> {
            Future<Void> done = Future.succeededFuture();
            for (Request row : rows) {
                done = done.compose(v -> mint(row));
            }
            return done;
        });
    }

    // ---------------------------------------------------------------------------------------------
    // The queue for the open

    /** Arms one timer for the next open (plus the delay), if none is armed. */
    private void armQueue() {
        if (queueTimer != NONE || stopped) {
            return;
        }
        Instant now = clock.instant();
        Instant at = (calendar.isOpen(now) ? now : calendar.nextOpen(now)).plusMillis(config.get().queueDelayMs());
        queueTimer = timers.at(at, () -> {
            queueTimer = NONE;
            serialized(this::runQueued).onComplete(ar -> armQueue());
        });
    }

    /** Executes every request queued for an open that has come, in the order they were made. */
    private Future<Void> runQueued() {
        Instant now = clock.instant();
        if (!calendar.isOpen(now)) {
            return Future.succeededFuture();
        }
        return store.requests(Status.QUEUED).compose(rows -> {
            Future<Void> done = Future.succeededFuture();
            for (Request row : rows) {
                if (row.executeAt().isAfter(now)) {
                    continue;
                }
                done = done.compose(v -> runQueued(row));
            }
            return done;
        });
    }

    private Future<Void> runQueued(Request row) {
        XStock xStock = xStocks.get(row.asset());
        return store.account(row.accountId()).compose(account -> {
            Answer.Refused refusal = eligibility(account, row.accountId());
            Future<Priced> priced = refusal != null ? Future.succeededFuture(new Priced(0, null, refusal))
                : price(xStock, row.side(), row.quantity());
            return priced.compose(p -> {
                if (p.refusal() != null) {
                    return store.refuse(row.id(), p.refusal().refusal().name(), p.refusal().detail()).mapEmpty();
                }
                return store.executeQueued(row.id(), p.price(), p.pricing().usdt(), p.pricing().fee())
                    .compose(executing -> executing.isEmpty() ? Future.succeededFuture()
                        : transfer(executing.get()).mapEmpty());
            });
        });
    }

    /** Cancels a queued request; false if it is not queued (any more). */
    Future<Boolean> cancel(long id) {
        return onContext(() -> serialized(() -> store.cancel(id)));
    }

    // ---------------------------------------------------------------------------------------------
    // The sweep: unfinished mints, redeemed tokens to the desk and burned

    private Future<Void> sweep() {
        return retryMints().compose(v -> withdrawRedeemed()).compose(v -> worker.<Void>executeBlocking(() -> {
            for (XStock xStock : xStocks.values()) {
                String token = xStock.token().get();
                if (XStockToken.at(client, token).sharesOf(desk.address()).signum() > 0) {
                    desk.burnHeld(token);
                }
            }
            return null;
        })).onFailure(e -> LOG.log(System.Logger.Level.WARNING, "issuer: sweep failed (" + e.getMessage()
            + "); next time")).otherwiseEmpty().onSuccess(v -> pollReserves());
    }

    /** Withdraws every xStock the issuer's account holds to its whitelisted address, which must be the desk. */
    private Future<Void> withdrawRedeemed() {
        long issuer = config.get().accountId();
        Future<Void> done = Future.succeededFuture();
        for (XStock xStock : xStocks.values()) {
            done = done.compose(v -> engine.query(e -> e.hasAccount(issuer) ? e.available(issuer, xStock.asset()) : 0L))
                .compose(held -> held.value() <= 0 ? Future.succeededFuture()
                    : gate.check(issuer, xStock.asset()).compose(decision -> {
                        if (decision instanceof WithdrawalGate.Decision.Allowed allowed
                            && allowed.address().equalsIgnoreCase(config.get().desk())) {
                            return engine.submit(new Command.Withdraw(issuer, xStock.asset(), held.value())).mapEmpty();
                        }
                        LOG.log(System.Logger.Level.WARNING, "issuer: account " + issuer + " holds " + held.value()
                            + " units of " + xStock.symbol() + " to burn, but its withdrawal address is not the desk "
                            + config.get().desk() + " (" + decision + "); the operator sets it on the vault");
                        return Future.succeededFuture();
                    }));
        }
        return done;
    }

    // ---------------------------------------------------------------------------------------------
    // Reserves

    /** Every xStock's reserves, read now on the worker. */
    Future<List<Reserve>> reserves() {
        return onContext(() -> worker.executeBlocking(() -> {
            List<Reserve> out = new ArrayList<>();
            for (XStock xStock : xStocks.values().stream().sorted((a, b) -> Integer.compare(a.asset(), b.asset())).toList()) {
                String token = xStock.token().get();
                XStockToken xToken = XStockToken.at(client, token);
                IssuerDesk.Reserves reserves = desk.reserves(token);
                out.add(new Reserve(xStock.symbol(), token, xToken.totalShares(), xToken.multiplier(),
                    reserves.supply(), reserves.held()));
            }
            return out;
        }));
    }

    private void pollReserves() {
        if (stopped) {
            return;
        }
        reserves().onSuccess(list -> list.forEach(reserve ->
                lastReserves.put(assetOf(reserve.symbol()), reserve)))
            .onFailure(e -> LOG.log(System.Logger.Level.DEBUG, "issuer: reserves not read: " + e.getMessage()));
    }

    private void registerMeters() {
        for (XStock xStock : xStocks.values()) {
            Gauge.builder(IssuerMetric.RESERVES_MISMATCH.meterName(), lastReserves, m -> {
                    Reserve reserve = m.get(xStock.asset());
                    return reserve == null ? Double.NaN : reserve.balanced() ? 0 : 1;
                })
                .description(IssuerMetric.RESERVES_MISMATCH.description()).tag("symbol", xStock.symbol())
                .register(registry);
            Gauge.builder(IssuerMetric.RESERVES_SUPPLY.meterName(), lastReserves, m -> tokens(m.get(xStock.asset()), true))
                .description(IssuerMetric.RESERVES_SUPPLY.description()).tag("symbol", xStock.symbol())
                .register(registry);
            Gauge.builder(IssuerMetric.RESERVES_HELD.meterName(), lastReserves, m -> tokens(m.get(xStock.asset()), false))
                .description(IssuerMetric.RESERVES_HELD.description()).tag("symbol", xStock.symbol())
                .register(registry);
        }
    }

    /** A gauge's value in whole tokens (a reading, not money: the exact figures are at /api/v1/reserves). */
    private static double tokens(Reserve reserve, boolean supply) {
        return reserve == null ? Double.NaN
            : new java.math.BigDecimal(supply ? reserve.supply() : reserve.held()).movePointLeft(18).doubleValue();
    }

    // ---------------------------------------------------------------------------------------------
    // Corporate actions

    /**
     * Schedules a corporate action on chain at once and in the engine at {@code activation}: the token's multiplier
     * becomes the one in effect times {@code numerator / denominator}. Refused (a failed future with a message for
     * the operator) while another action of the asset is pending, or when the ratio or time is not acceptable.
     */
    Future<Action> schedule(int asset, long numerator, long denominator, Instant activation) {
        return onContext(() -> serialized(() -> {
            XStock xStock = xStocks.get(asset);
            if (xStock == null) {
                return Future.failedFuture(new IllegalArgumentException("asset " + asset + " is not an xStock"));
            }
            if (numerator <= 0 || denominator <= 0 || numerator == denominator
                || BigInteger.valueOf(numerator).gcd(BigInteger.valueOf(denominator)).longValue() != 1) {
                return Future.failedFuture(new IllegalArgumentException(
                    "the ratio must be a reduced fraction of positive numbers other than 1"));
            }
            if (activation.getNano() != 0 || !activation.isAfter(clock.instant().plusSeconds(1))) {
                return Future.failedFuture(new IllegalArgumentException(
                    "the activation must be a whole second, more than a second from now"));
            }
            return store.actions().compose(actions -> {
                for (Action action : actions) {
                    if (action.asset() == asset && (action.status() == IssuerStore.ActionStatus.SCHEDULED
                        || action.status() == IssuerStore.ActionStatus.APPLYING)) {
                        return Future.failedFuture(new IllegalStateException("corporate action " + action.id()
                            + " of " + xStock.symbol() + " is pending until " + action.activation()));
                    }
                }
                return worker.executeBlocking(() -> {
                    BigInteger current = XStockToken.at(client, xStock.token().get()).multiplier();
                    BigInteger[] next = current.multiply(BigInteger.valueOf(numerator))
                        .divideAndRemainder(BigInteger.valueOf(denominator));
                    if (next[1].signum() != 0) {
                        throw new IllegalArgumentException("the multiplier " + current + " times " + numerator + "/"
                            + denominator + " is not a whole number at 18 decimals");
                    }
                    String txHash = desk.scheduleCorporateAction(xStock.token().get(), next[0],
                        activation.getEpochSecond(), BigInteger.valueOf(numerator), BigInteger.valueOf(denominator))
                        .getTransactionHash();
                    return new Object[] {next[0], txHash};
                }).compose(done -> store.schedule(asset, numerator, denominator, (BigInteger) done[0], activation,
                    (String) done[1]));
            }).onSuccess(this::armActivation);
        }));
    }

    Future<List<Action>> actions() {
        return store.actions();
    }

    private void armActivation(Action action) {
        if (stopped) {
            return;
        }
        activationTimers.put(action.id(), timers.at(action.activation(), () -> {
            activationTimers.remove(action.id());
            serialized(() -> activate(action)).onFailure(e -> {
                LOG.log(System.Logger.Level.WARNING, "issuer: corporate action " + action.id() + " not applied yet ("
                    + e.getMessage() + "); trying again");
                vertx.setTimer(1_000, id -> armActivation(action));
            });
        }));
    }

    /** At activation: APPLYING with the engine's sequence, then the ApplyMultiplier, then APPLIED or FAILED. */
    private Future<Void> activate(Action action) {
        Command.ApplyMultiplier command = new Command.ApplyMultiplier(action.asset(), action.numerator(),
            action.denominator());
        return engine.status().compose(status -> store.applying(action.id(), status.sequence()))
            .compose(marked -> !marked ? Future.succeededFuture()
                : engine.submit(command).compose(result -> {
                    RejectReason reason = rejection(result);
                    if (reason != null) {
                        LOG.log(System.Logger.Level.ERROR, "issuer: the engine refused corporate action " + action.id()
                            + ": " + reason + "; the chain's multiplier is scheduled, the operator must reconcile");
                    }
                    return store.applied(action.id(), result.sequence(), reason == null ? null : reason.name());
                }));
    }

    /** After recovery: an APPLYING action is finished if its command was durable, else scheduled again. */
    private Future<Void> resolveApplying() {
        if (recoveredAction == null) {
            return Future.succeededFuture();
        }
        if (matchedSeq >= 0) {
            return store.applied(recoveredAction.id(), matchedSeq, matchedReason);
        }
        return store.reschedule(recoveredAction.id());
    }

    // ---------------------------------------------------------------------------------------------

    /** Runs {@code step} after every step before it, on the context; its failure does not stop the next. */
    private <T> Future<T> serialized(Supplier<Future<T>> step) {
        Promise<T> promise = Promise.promise();
        tail = tail.compose(v -> {
            Future<T> run;
            try {
                run = stopped ? Future.failedFuture("the issuer is stopping") : step.get();
            } catch (RuntimeException e) {
                run = Future.failedFuture(e);
            }
            run.onComplete(promise);
            return run.<Void>mapEmpty().otherwiseEmpty();
        });
        return promise.future();
    }

    private <T> Future<T> onContext(Supplier<Future<T>> task) {
        Context here = context;
        if (here == null) {
            return Future.failedFuture("the issuer is not running");
        }
        Promise<T> promise = Promise.promise();
        here.runOnContext(v -> task.get().onComplete(promise));
        return promise.future();
    }

    private static Future<Answer> refused(Refusal refusal, String detail) {
        return Future.succeededFuture(new Answer.Refused(refusal, detail, 0));
    }

    private static RejectReason rejection(CommandResult result) {
        for (EngineEvent event : result.events()) {
            if (event instanceof EngineEvent.Rejected rejected) {
                return rejected.reason();
            }
        }
        return null;
    }

    /** For tests and the admin view: a symbol's asset id, or -1. */
    int assetOf(String symbol) {
        for (XStock xStock : xStocks.values()) {
            if (xStock.symbol().toLowerCase(Locale.ROOT).equals(symbol.toLowerCase(Locale.ROOT))) {
                return xStock.asset();
            }
        }
        return -1;
    }

    IssuerStore store() {
        return store;
    }

    /** The xStock of an asset, or null. */
    XStock xStock(int asset) {
        return xStocks.get(asset);
    }
}
