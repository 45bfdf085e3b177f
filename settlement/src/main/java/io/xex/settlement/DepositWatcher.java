package io.xex.settlement;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.xex.matching.Command;
import io.xex.runtime.engine.CommandRefusedException;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.DurableConsumer;
import io.xex.runtime.engine.EngineEvent;
import io.xex.runtime.engine.EngineProxy;
import io.xex.settlement.DepositStore.Credit;
import io.xex.settlement.DepositStore.Status;
import io.xex.settlement.chain.ChainClient;
import io.xex.settlement.chain.SettlementVault;
import io.xex.settlement.chain.SettlementVault.DepositEvent;
import io.xex.settlement.chain.SettlementVault.LogPosition;
import io.xex.settlement.chain.SettlementVault.WithdrawalEvent;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Credits to the engine what the vault's logs add to an account, each log exactly once (docs/settlement.md): a
 * {@code Deposit}, and a {@code WithdrawalFailed} (the token refused a batch's payout and the vault put the amount
 * back in the account's balance, while the engine debited it when the withdrawal was accepted). Both become a
 * {@code Deposit} command of the amount in engine units, through the same rows and steps; one watcher, one cursor, so
 * the two kinds are credited in chain order (one watcher per chain, each with its own cursor). Every {@code pollMs}
 * it reads, on its chain's {@value #WORKER}{@code -<chain id>} worker, the head block and the vault's logs of both
 * kinds from its cursor − {@code rescanBlocks} to the last block {@code confirmations} deep; every log not yet in
 * {@code credited_deposits} is credited in chain order, then the cursor moves to that block. A log that a reorg removes before it is deep enough was never read; one that a reorg
 * moves within the re-scan window is found again under its new place.
 *
 * <p><b>Exactly once.</b> A log (of either kind) is credited in three steps, one at a time: (1) its row is written
 * PENDING with {@code after_seq}, the engine's last applied sequence just before; (2)
 * {@code Deposit(account, asset, amount)} is submitted; (3) once durable the row becomes CREDITED (or REJECTED) with
 * the command's sequence. A crash between (2) and (3) leaves one PENDING row and a Deposit that may or may not be in
 * the journal. So the watcher is a {@link DurableConsumer} whose cursor is that row's {@code after_seq} (or
 * {@link Long#MAX_VALUE}, asking for nothing, when no row is pending): recovery hands it every recovered result after
 * {@code after_seq}, and the first {@code Deposit} equal to the row's is its command (the watcher has no other in
 * flight, and any durable command of the previous run is among the recovered ones). Found: the row is finished with
 * that sequence; not found: the command never became durable (it was never acknowledged, and recovery drops what was
 * not), the row is deleted and the log credited again. The one ambiguity is a Deposit of the same account, asset and
 * amount submitted by someone else in that window while ours was lost: the log is then taken as credited, never
 * credited twice.
 *
 * <p>{@link #accept} is called from the recovery thread and then from the engine's; everything else is confined to
 * the verticle's event-loop context, and every chain call runs on the worker.
 */
public final class DepositWatcher extends VerticleBase implements DurableConsumer {
    static final String WORKER = "xex-deposits";
    private static final System.Logger LOG = System.getLogger(DepositWatcher.class.getName());

    private final SettlementConfig config;
    private final DepositConfig deposits;
    private final DepositStore store;
    private final ChainUnits units;
    private final EngineMultipliers multipliers;
    private final Credit recoveredPending;

    // ---- written by the recovery thread, read by the context after recovery
    private volatile boolean recovering = true;
    private volatile long matchedSeq = -1;
    private volatile String matchedReason;

    // ---- confined to the verticle's context (counters also read by metrics)
    private final AtomicLongArray byStatus = new AtomicLongArray(Status.values().length);
    private volatile long unconfirmed;
    private volatile long cursorBlock;
    private boolean stopped;
    private boolean stuck;
    private long timer = -1;
    private EngineProxy engine;
    private long recoveredSequence;
    private MeterRegistry registry;
    private WorkerExecutor worker;
    private ChainClient chain;
    private SettlementVault vault;

    /**
     * @param cursorBlock the block through which logs are processed (-1: none), from {@code deposit_cursor}
     * @param pending     the PENDING row a previous run left, or null
     * @param multipliers the engine's multipliers of the chain's xStocks, which the chain's settlement verticle writes
     */
    DepositWatcher(SettlementConfig config, DepositConfig deposits, DepositStore store, long cursorBlock, Credit pending,
                   EngineMultipliers multipliers) {
        this.config = config;
        this.multipliers = multipliers;
        this.deposits = deposits;
        this.store = store;
        this.units = new ChainUnits(config.assets());
        this.cursorBlock = cursorBlock;
        this.recoveredPending = pending;
    }

    /** The engine to credit, the last recovered sequence, and where the meters go; set before deployment. */
    void use(EngineProxy proxy, long recoveredThrough, MeterRegistry meters) {
        this.engine = proxy;
        this.recoveredSequence = recoveredThrough;
        this.registry = meters;
    }

    @Override
    public long cursor() {
        return recoveredPending == null ? Long.MAX_VALUE : recoveredPending.afterSeq();
    }

    /** Only while recovering, and only with a PENDING row: looks for its Deposit command. */
    @Override
    public void accept(List<CommandResult> results) {
        if (!recovering || recoveredPending == null || matchedSeq >= 0) {
            return;
        }
        Command ours = new Command.Deposit(recoveredPending.accountId(), recoveredPending.asset(), recoveredPending.amount());
        for (CommandResult result : results) {
            if (result.sequence() > recoveredPending.afterSeq() && ours.equals(result.command())) {
                matchedReason = rejection(result);
                matchedSeq = result.sequence();
                return;
            }
        }
    }

    @Override
    public Future<?> start() {
        recovering = false;
        registerMeters();
        worker = vertx.createSharedWorkerExecutor(WORKER + "-" + config.chainId(), 1);
        return worker.executeBlocking(() -> {
            chain = ChainClient.connect(config.rpcUrl(), config.operatorKey());
            vault = SettlementVault.at(chain, config.vault());
            return null;
        }).compose(v -> resolvePending()).compose(v -> store.counts(config.chainId())).onSuccess(counts -> {
            counts.forEach((status, n) -> byStatus.set(status.ordinal(), n));
            schedule(0);
        });
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        vertx.cancelTimer(timer);
        return worker.executeBlocking(() -> {
            if (chain != null) {
                chain.close();
            }
            return null;
        }).eventually(worker::close);
    }

    /** Decides a previous run's PENDING row from what recovery handed {@link #accept}. */
    private Future<Void> resolvePending() {
        if (recoveredPending == null) {
            return Future.succeededFuture();
        }
        long seq = matchedSeq;
        if (seq >= 0 && seq <= recoveredSequence) {
            String reason = matchedReason;
            LOG.log(System.Logger.Level.INFO, "deposits: " + recoveredPending.key() + " was credited at sequence " + seq
                + " before the restart");
            return store.finish(recoveredPending, reason == null ? Status.CREDITED : Status.REJECTED, seq, reason);
        }
        LOG.log(System.Logger.Level.INFO, "deposits: " + recoveredPending.key() + " never became durable; credited again");
        return store.deletePending(recoveredPending);
    }

    private void schedule(long delayMs) {
        if (stopped || stuck) {
            return;
        }
        if (delayMs <= 0) {
            poll();
            return;
        }
        timer = vertx.setTimer(delayMs, id -> poll());
    }

    /** One scan: chain reads on the worker, then each new confirmed log credited in order, then the cursor moved. */
    private void poll() {
        long from = Math.max(deposits.startBlock(), cursorBlock - deposits.rescanBlocks());
        releaseHeld().compose(v -> worker.executeBlocking(() -> scan(from))).compose(scan -> store.known(config.chainId(), from).compose(known -> {
            unconfirmed = scan.unconfirmed();
            Future<Void> done = Future.succeededFuture();
            for (VaultCredit log : scan.confirmed()) {
                if (!log.position().removed() && !known.contains(Credit.key(log.position().transactionHash(),
                    log.position().logIndex().longValueExact()))) {
                    done = done.compose(v -> credit(log));
                }
            }
            return scan.toBlock() < 0 ? done : done.compose(v -> store.moveCursor(config.chainId(), scan.toBlock()))
                .onSuccess(v -> cursorBlock = Math.max(cursorBlock, scan.toBlock()));
        })).onComplete(ar -> {
            if (ar.failed() && ar.cause() instanceof NotYet) {
                schedule(config.pollMs());
            } else if (ar.failed()) {
                LOG.log(System.Logger.Level.WARNING, "deposits: chain " + config.chainId() + " scan from block " + from
                    + " failed (retrying in " + config.retryMs() + " ms): " + ar.cause().getMessage());
                schedule(config.retryMs());
            } else {
                schedule(config.pollMs());
            }
        });
    }

    /**
     * A vault log that adds {@code amount} (vault units) of an asset to an account: a {@code Deposit}, or a
     * {@code WithdrawalFailed} ({@code refund}) that undid a batch's payout. {@code what} names it in the log.
     */
    private record VaultCredit(LogPosition position, long accountId, int assetId, BigInteger amount, boolean refund,
                               String what) {
        static VaultCredit of(DepositEvent deposit) {
            return new VaultCredit(deposit.position(), deposit.accountId(), deposit.assetId(), deposit.amount(), false,
                "deposit");
        }

        static VaultCredit of(WithdrawalEvent failed) {
            return new VaultCredit(failed.position(), failed.accountId(), failed.assetId(), failed.amount(), true,
                "failed withdrawal of batch " + failed.batchId() + " to " + failed.to());
        }
    }

    private record Scan(long toBlock, List<VaultCredit> confirmed, long unconfirmed) {
    }

    /**
     * On the worker: the confirmed Deposit and WithdrawalFailed logs from {@code from}, in chain order, and how many
     * are not deep enough yet.
     */
    private Scan scan(long from) throws Exception {
        long head = chain.blockNumber().longValueExact();
        long to = head - (config.confirmations() - 1);
        if (head < from) {
            return new Scan(-1, List.of(), 0);
        }
        BigInteger fromBlock = BigInteger.valueOf(from);
        BigInteger headBlock = BigInteger.valueOf(head);
        List<VaultCredit> all = new ArrayList<>();
        vault.deposits(fromBlock, headBlock).forEach(e -> all.add(VaultCredit.of(e)));
        vault.failedWithdrawals(fromBlock, headBlock).forEach(e -> all.add(VaultCredit.of(e)));
        all.sort(Comparator.comparing((VaultCredit e) -> e.position().blockNumber())
            .thenComparing(e -> e.position().logIndex()));
        List<VaultCredit> confirmed = new ArrayList<>();
        long notDeep = 0;
        for (VaultCredit log : all) {
            if (log.position().blockNumber().longValueExact() <= to) {
                confirmed.add(log);
            } else {
                notDeep++;
            }
        }
        return new Scan(to < from ? -1 : to, confirmed, notDeep);
    }

    /**
     * The scan stops at a log of an xStock until the chain's settlement verticle has taken in the engine's results
     * through the sequence read just before crediting it, so that its multiplier then is known; the next poll goes on.
     */
    private static final class NotYet extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NotYet() {
            super("the engine's multipliers are not known through its last sequence yet", null, false, false);
        }
    }

    /**
     * PENDING, submit, CREDITED: see the class comment. A failure stops this scan (the next one tries again). An xStock's
     * shares are converted at the engine's multiplier in force at the sequence read just before
     * ({@link ChainUnits#toEngine(int, BigInteger, BigInteger)}, rounded down), whatever the token's multiplier is now:
     * the vault holds shares, and a corporate action the engine applies after the credit scales it like every other
     * balance. The one race left is an {@code ApplyMultiplier} sequenced between that read and the {@code Deposit}
     * (docs/settlement.md, "Not built").
     */
    private Future<Void> credit(VaultCredit log) {
        return engine.status().compose(status -> {
            long afterSeq = status.sequence();
            if (multipliers.tracks(log.assetId()) && multipliers.through() < afterSeq) {
                return Future.failedFuture(new NotYet());
            }
            return credit(log, afterSeq, multipliers.at(log.assetId(), afterSeq));
        });
    }

    private Future<Void> credit(VaultCredit log, long afterSeq, BigInteger multiplier) {
        String txHash = log.position().transactionHash();
        int logIndex = log.position().logIndex().intValueExact();
        long block = log.position().blockNumber().longValueExact();
        long amount;
        try {
            amount = units.toEngine(log.assetId(), log.amount(), multiplier);
        } catch (ArithmeticException | IllegalArgumentException e) {
            Credit refused = new Credit(config.chainId(), txHash, logIndex, log.accountId(), log.assetId(), 0, block, -1,
                Status.REFUSED, -1, e.getMessage());
            LOG.log(System.Logger.Level.WARNING, "deposits: refusing " + refused.key() + " (" + log.what() + "): "
                + e.getMessage());
            return store.insert(refused).map(inserted -> {
                if (inserted) {
                    byStatus.incrementAndGet(Status.REFUSED.ordinal());
                }
                return null;
            });
        }
        return engine.query(e -> e.hasAccount(log.accountId())).compose(known -> {
            if (!known.value()) {
                return hold(new Credit(config.chainId(), txHash, logIndex, log.accountId(), log.assetId(), amount, block,
                    afterSeq, Status.HELD, -1, null), log).mapEmpty();
            }
            return takeUp(new Credit(config.chainId(), txHash, logIndex, log.accountId(), log.assetId(), amount, block,
                afterSeq, Status.PENDING, -1, null), log);
        });
    }

    /** Stores a credit for an account the engine does not know yet as HELD; completes with null (nothing to submit). */
    private Future<Long> hold(Credit held, VaultCredit log) {
        return store.insert(held).map(inserted -> {
            if (inserted) {
                byStatus.incrementAndGet(Status.HELD.ordinal());
                LOG.log(System.Logger.Level.INFO, "deposits: holding " + held.key() + " (" + log.what() + ") for account "
                    + held.accountId() + ", which the engine does not know yet");
            }
            return null;
        });
    }

    /**
     * Credits, in chain order and one at a time, the HELD rows whose account the engine now knows: each becomes
     * PENDING with the engine's sequence just before, then goes the way of any credit. An xStock's amount is scaled
     * from the multiplier it was converted at to the one in force now, rounded down, as the engine scales a balance
     * ({@link #rescaled}); a row waits while that is not known yet.
     */
    private Future<Void> releaseHeld() {
        if (byStatus.get(Status.HELD.ordinal()) == 0) {
            return Future.succeededFuture();
        }
        return store.held(config.chainId()).compose(held -> {
            Future<Void> done = Future.succeededFuture();
            for (Credit credit : held) {
                done = done.compose(v -> engine.query(e -> e.hasAccount(credit.accountId())).compose(known -> {
                    if (!known.value()) {
                        return Future.succeededFuture();
                    }
                    return engine.status().compose(status -> {
                        long now = status.sequence();
                        if (multipliers.tracks(credit.asset()) && multipliers.through() < now) {
                            return Future.succeededFuture(Optional.<Credit>empty());
                        }
                        return store.release(credit, now, rescaled(credit, now));
                    })
                        .compose(released -> {
                            if (released.isEmpty()) {
                                return Future.succeededFuture();
                            }
                            byStatus.decrementAndGet(Status.HELD.ordinal());
                            LOG.log(System.Logger.Level.INFO, "deposits: crediting the held " + credit.key()
                                + " to account " + credit.accountId());
                            return submit(released.get());
                        });
                }));
            }
            return done;
        });
    }

    /**
     * A HELD credit's amount at the engine's multiplier at {@code sequence}: {@code ⌊amount × M_now / M_held⌋}, which
     * is at most what its shares are worth at {@code M_now} (so the vault still covers the account, see
     * {@link ChainUnits#convert}).
     */
    private long rescaled(Credit held, long sequence) {
        BigInteger then = multipliers.at(held.asset(), held.afterSeq());
        BigInteger now = multipliers.at(held.asset(), sequence);
        return then.equals(now) ? held.amount()
            : BigInteger.valueOf(held.amount()).multiply(now).divide(then).longValueExact();
    }

    /** Writes the PENDING row and submits its Deposit (see the class comment). */
    private Future<Void> takeUp(Credit pending, VaultCredit log) {
        return store.insert(pending).compose(inserted -> {
            if (!inserted) {
                return Future.succeededFuture();
            }
            if (log.refund()) {
                LOG.log(System.Logger.Level.INFO, "deposits: crediting back " + pending.key() + ", the " + log.what()
                    + ": " + pending.amount() + " units of asset " + log.assetId() + " to account " + log.accountId());
            }
            return submit(pending);
        });
    }

    private Future<Void> submit(Credit pending) {
        byStatus.incrementAndGet(Status.PENDING.ordinal());
        return engine.submit(new Command.Deposit(pending.accountId(), pending.asset(), pending.amount())).compose(
            result -> {
                String reason = rejection(result);
                Status status = reason == null ? Status.CREDITED : Status.REJECTED;
                return finish(pending, status, result.sequence(), reason);
            },
            failure -> {
                if (failure instanceof CommandRefusedException) {
                    // Never taken: certainly not durable.
                    return store.deletePending(pending).eventually(() -> {
                        byStatus.decrementAndGet(Status.PENDING.ordinal());
                        return Future.succeededFuture();
                    }).compose(v -> Future.failedFuture(failure));
                }
                stuck = true;
                LOG.log(System.Logger.Level.ERROR, "deposits: the outcome of " + pending.key() + " is unknown ("
                    + failure + "); crediting stops until the next start decides it from the journal");
                return Future.failedFuture(failure);
            });
    }

    /** Stores the outcome of a durable Deposit, trying again until the database takes it. */
    private Future<Void> finish(Credit pending, Status status, long seq, String reason) {
        return store.finish(pending, status, seq, reason).transform(ar -> {
            if (ar.succeeded()) {
                byStatus.decrementAndGet(Status.PENDING.ordinal());
                byStatus.incrementAndGet(status.ordinal());
                return Future.succeededFuture();
            }
            if (stopped) {
                return Future.failedFuture(ar.cause());
            }
            LOG.log(System.Logger.Level.WARNING, "deposits: cannot store " + pending.key() + " " + status + " (retrying): "
                + ar.cause());
            return vertx.timer(config.retryMs()).compose(v -> finish(pending, status, seq, reason));
        });
    }

    private static String rejection(CommandResult result) {
        for (EngineEvent event : result.events()) {
            if (event instanceof EngineEvent.Rejected rejected) {
                return rejected.reason().name();
            }
        }
        return null;
    }

    private void registerMeters() {
        String chainTag = Long.toString(config.chainId());
        for (Status status : Status.values()) {
            Gauge.builder(SettlementMetric.DEPOSITS.meterName(), byStatus, counts -> counts.get(status.ordinal()))
                .description(SettlementMetric.DEPOSITS.description()).tag("chain", chainTag).tag("status", status.name())
                .register(registry);
        }
        Gauge.builder(SettlementMetric.DEPOSITS_UNCONFIRMED.meterName(), this, w -> w.unconfirmed)
            .description(SettlementMetric.DEPOSITS_UNCONFIRMED.description()).tag("chain", chainTag).register(registry);
    }

    /** Deposit logs with {@code status}, as stored (PENDING: in flight). */
    long deposits(Status status) {
        return byStatus.get(status.ordinal());
    }

    /** The block through which logs are processed (-1: none yet). */
    long cursorBlock() {
        return cursorBlock;
    }
}
