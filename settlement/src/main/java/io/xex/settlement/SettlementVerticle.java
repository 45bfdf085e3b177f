package io.xex.settlement;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.xex.matching.Command;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.DurableConsumer;
import io.xex.runtime.engine.EngineEvent;
import io.xex.runtime.ops.AdminRoutes;
import io.xex.settlement.SettlementConfig.ChainAsset;
import io.xex.settlement.chain.LegCodec;
import io.xex.settlement.netting.NetMovements;
import io.xex.settlement.netting.Netting;

import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Settles one chain (docs/settlement.md): a {@link DurableConsumer} that receives every durable result after its
 * cursor, cuts a batch every {@code batchMs} or {@code batchTrades} trades with {@link Netting#net}, keeping only the
 * movements of the assets this chain holds ({@link NetMovements#only}), converts them to the vault's units at the
 * engine's multiplier of each xStock over the batch ({@link ChainUnits#convert}, {@link EngineMultipliers}: an
 * accepted {@code ApplyMultiplier} starts a batch, so none spans two multipliers; nothing to move: only the cursor
 * moves), records it (OPEN) together with the cursor and any new multiplier in one transaction, then sends the
 * batches in batch order, up to {@code maxInFlight} at a time, through {@link VaultSubmitter} on the chain's own {@value #WORKER}{@code -<chain id>}
 * worker: signs the transaction, stores SUBMITTED with its hash and nonce, and only then broadcasts it; marks the
 * oldest CONFIRMED once its receipt is deep enough on the canonical chain, or FAILED with the vault's reason (later batches then wait). A SUBMITTED batch whose transaction was dropped or
 * reorganised away is signed again with the same nonce and goes through the same store-then-broadcast. At start it
 * picks up the batches a previous run left OPEN, SUBMITTED or FAILED. A test may stop it at three named moments in
 * between ({@link SettlementFaults}).
 *
 * <p>{@link #accept} is called from any thread and only queues; everything else is confined to the verticle's
 * event-loop context, and every chain call runs on the worker, never on the event loop.
 */
public final class SettlementVerticle extends VerticleBase implements DurableConsumer {
    static final String WORKER = "xex-settlement";
    private static final System.Logger LOG = System.getLogger(SettlementVerticle.class.getName());

    private final SettlementConfig config;
    private final Netting netting;
    private final ChainUnits units;
    /** The engine assets this chain holds: a batch keeps only their movements. */
    private final Set<Integer> assets;
    private final SettlementStore store;
    private final InstantSource clock;
    private final long cursor;
    /** Written on this verticle's context only (see its class comment); read by the submitter and the watcher. */
    private final EngineMultipliers multipliers;

    // ---- written by any thread (accept), read by the context and by metrics
    private final ConcurrentLinkedQueue<CommandResult> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inboxSize = new AtomicInteger();
    private volatile long receivedThrough;
    private volatile Context ownContext;

    // ---- confined to the verticle's context (counters also read by metrics)
    private final List<CommandResult> pending = new ArrayList<>();
    /** The batches not CONFIRMED, in id order: SUBMITTED ones first, then OPEN ones, or a FAILED one first. */
    private final List<SettlementBatch> unfinished = new ArrayList<>();
    private final AtomicLongArray batchesByStatus = new AtomicLongArray(BatchStatus.values().length);
    private volatile int pendingSize;
    private volatile long confirmedThrough;
    private int pendingTrades;
    private long lastBatchId;
    private boolean recording;
    private boolean chainBusy;
    /** A signed transaction stored SUBMITTED and not yet broadcast, or null. */
    private Signed unbroadcast;
    /** A batch behind others in flight was refused by an estimate: submit nothing until the oldest is CONFIRMED. */
    private boolean submissionDeferred;
    private boolean stopped;
    /** The vault disagrees with the table: nothing more is sent to this chain (an operator decides). */
    private boolean halted;
    /** Why no batch is cut any more (an {@code ApplyMultiplier} with no exact result), or null. */
    private String cutStopped;
    private long cutTimer = -1;
    private long driveTimer = -1;
    private MeterRegistry registry;
    private SettlementFaults faults = SettlementFaults.NONE;
    private WorkerExecutor worker;
    private VaultSubmitter submitter;

    /**
     * @param cursor      the sequence through which results are batched, read from {@code settlement_cursor}
     * @param multipliers the engine's multipliers of the chain's xStocks through {@code cursor}, read from
     *                    {@code settlement_multipliers}; this verticle is their one writer
     */
    SettlementVerticle(SettlementConfig config, Netting netting, SettlementStore store, InstantSource clock,
                       long cursor, EngineMultipliers multipliers) {
        this.config = config;
        this.netting = netting;
        this.units = new ChainUnits(config.assets());
        this.assets = config.assets().stream().map(ChainAsset::assetId).collect(Collectors.toUnmodifiableSet());
        this.store = store;
        this.clock = clock;
        this.cursor = cursor;
        this.multipliers = multipliers;
        this.receivedThrough = cursor;
        this.confirmedThrough = cursor;
    }

    /** Where the meters go; set before the verticle is deployed. */
    void registry(MeterRegistry meters) {
        this.registry = meters;
    }

    /** What happens at each {@link SettlementFaults.Point} (a test's hook); set before the verticle is deployed. */
    void faults(SettlementFaults hook) {
        this.faults = hook;
    }

    @Override
    public long cursor() {
        return cursor;
    }

    @Override
    public void accept(List<CommandResult> results) {
        if (results.isEmpty()) {
            return;
        }
        inbox.addAll(results);
        inboxSize.addAndGet(results.size());
        receivedThrough = results.getLast().sequence();
        Context context = ownContext;
        if (context != null) {
            context.runOnContext(v -> drain());
        }
    }

    @Override
    public Future<?> start() {
        registerMeters();
        worker = vertx.createSharedWorkerExecutor(WORKER + "-" + config.chainId(), 1);
        long chainId = config.chainId();
        return store.lastBatchId(chainId).compose(last -> {
            lastBatchId = last;
            return store.unfinished(chainId);
        }).compose(batches -> {
            unfinished.addAll(batches);
            if (!batches.isEmpty()) {
                confirmedThrough = batches.getFirst().firstSequence() - 1;
            }
            // Batches go in id order, so every one before the first unfinished is CONFIRMED.
            submitter = new VaultSubmitter(config, batches.isEmpty() ? lastBatchId : batches.getFirst().batchId() - 1,
                lastBatchId, multipliers);
            return checkVault();
        }).compose(v -> store.counts(chainId)).onSuccess(counts -> {
            counts.forEach((status, n) -> batchesByStatus.set(status.ordinal(), n));
            ownContext = context;
            cutTimer = vertx.setPeriodic(config.batchMs(), id -> cut());
            drain();
            drive();
        });
    }

    /**
     * Refuses to start when the vault's last batch id disagrees with the table ({@link VaultMismatchException}); a
     * chain that cannot be reached now is checked when it first answers, and settlement waits until then.
     */
    private Future<Void> checkVault() {
        return worker.<Void>executeBlocking(() -> {
            submitter.check();
            return null;
        }).recover(failure -> {
            if (failure instanceof VaultMismatchException) {
                return Future.failedFuture(failure);
            }
            LOG.log(System.Logger.Level.WARNING, "settlement: chain " + config.chainId() + " not reachable at start"
                + " (settling when it is): " + failure.getMessage());
            return Future.succeededFuture();
        });
    }

    @Override
    public Future<?> stop() {
        stopped = true;
        ownContext = null;
        vertx.cancelTimer(cutTimer);
        vertx.cancelTimer(driveTimer);
        if (submitter == null) {
            return worker.close();
        }
        // Ordered on the worker's one thread: runs after a chain call in flight.
        return worker.executeBlocking(() -> {
            submitter.close();
            return null;
        }).eventually(worker::close);
    }

    private void drain() {
        int drained = 0;
        for (CommandResult result = inbox.poll(); result != null; result = inbox.poll()) {
            if (result.command() instanceof Command.ApplyMultiplier action && multipliers.tracks(action.asset())
                && accepted(result)) {
                multipliers.apply(result.sequence(), action);
            }
            multipliers.advance(result.sequence());
            pending.add(result);
            pendingTrades += trades(result);
            drained++;
        }
        inboxSize.addAndGet(-drained);
        pendingSize = pending.size();
        if (pendingTrades >= config.batchTrades()) {
            cut();
        }
    }

    /**
     * Nets the pending results into one batch, converts it and records it with the cursor; one recording at a time.
     * An accepted {@code ApplyMultiplier} of one of the chain's xStocks starts a batch, whose record stores its new
     * multiplier: the results before it are a batch converted at the old multiplier, whose balances are the ones
     * before the action; the action (which moves nothing on chain, only scales every balance) and the results after
     * it are converted at the new one. An action with no exact result ends the batch before it, and no batch is cut
     * from it on (shown to the operator).
     */
    private void cut() {
        if (stopped || recording || pending.isEmpty() || cutStopped != null) {
            return;
        }
        int end = pending.size();
        long firstPending = pending.getFirst().sequence();
        long lastPending = pending.getLast().sequence();
        EngineMultipliers.Broken broken = multipliers.broken();
        long boundary = Long.MAX_VALUE;
        for (EngineMultipliers.Change change : multipliers.changesIn(firstPending + 1, lastPending)) {
            boundary = Math.min(boundary, change.fromSequence());
        }
        if (broken != null && broken.sequence() >= firstPending && broken.sequence() <= lastPending
            && broken.sequence() <= boundary) {
            end = (int) (broken.sequence() - firstPending);
            if (end == 0) {
                cutStopped = broken.reason();
                LOG.log(System.Logger.Level.ERROR, "settlement: chain " + config.chainId() + " cuts no more batches: "
                    + cutStopped);
                return;
            }
        } else if (boundary != Long.MAX_VALUE) {
            end = (int) (boundary - firstPending);
        }
        boolean atBoundary = end < pending.size();
        List<CommandResult> taken = List.copyOf(pending.subList(0, end));
        NetMovements movements = netting.net(taken).only(assets);
        long first = movements.firstSequence();
        ChainUnits.Converted converted = units.convert(movements, netting.positions(taken),
            asset -> multipliers.at(asset, first), netting.feeAccountId());
        List<EngineMultipliers.Change> changes = multipliers.changesIn(first, movements.lastSequence());
        long nowNs = nowNs();
        SettlementBatch batch = converted.legs().isEmpty() && converted.withdrawals().isEmpty() ? null
            : SettlementBatch.open(config.chainId(), lastBatchId + 1, first, movements.lastSequence(),
                LegCodec.encodeLegs(converted.legs()), LegCodec.encodeWithdrawals(converted.withdrawals()));
        recording = true;
        Future<Void> written = batch == null ? store.moveCursor(config.chainId(), movements.lastSequence(), changes)
            : store.record(batch, changes, nowNs);
        written.onComplete(ar -> {
            recording = false;
            if (ar.failed()) {
                LOG.log(System.Logger.Level.WARNING, "settlement: cannot record results " + movements.firstSequence()
                    + ".." + movements.lastSequence() + " (retrying in " + config.batchMs() + " ms): " + ar.cause());
                return;
            }
            int takenTrades = 0;
            for (CommandResult result : taken) {
                takenTrades += trades(result);
            }
            pending.subList(0, taken.size()).clear();
            pendingSize = pending.size();
            pendingTrades -= takenTrades;
            if (batch == null) {
                if (unfinished.isEmpty()) {
                    confirmedThrough = movements.lastSequence();
                }
            } else {
                faults.reached(SettlementFaults.Point.AFTER_RECORD, batch.batchId());
                lastBatchId = batch.batchId();
                unfinished.addLast(batch);
                batchesByStatus.incrementAndGet(BatchStatus.OPEN.ordinal());
                drive();
            }
            if (pendingTrades >= config.batchTrades() || atBoundary) {
                cut();
            }
        });
    }

    /**
     * Takes the next step on the chain, one chain call at a time: first the broadcast of a transaction just stored
     * SUBMITTED; then the submission of the first OPEN batch, while fewer than {@code maxInFlight} are SUBMITTED
     * before it (pipelined: consecutive nonces keep them in order on chain); else a poll of the oldest SUBMITTED
     * batch. Only the oldest batch is ever CONFIRMED or FAILED, so batches finish in id order.
     */
    private void drive() {
        if (stopped || halted || chainBusy || unfinished.isEmpty()) {
            return;
        }
        if (unbroadcast != null) {
            broadcast(unbroadcast);
            return;
        }
        SettlementBatch head = unfinished.getFirst();
        if (head.status() == BatchStatus.FAILED) {
            return; // the chain's later batches wait for an operator (shown on the metrics)
        }
        int inFlight = 0;
        long nonceFloor = 0;
        SettlementBatch next = null;
        for (SettlementBatch batch : unfinished) {
            if (batch.status() != BatchStatus.SUBMITTED) {
                next = batch;
                break;
            }
            inFlight++;
            nonceFloor = Math.max(nonceFloor, batch.nonce() + 1);
        }
        if (next != null && next.status() == BatchStatus.OPEN && inFlight < config.maxInFlight()
            && (inFlight == 0 || !submissionDeferred)) {
            SettlementBatch open = next;
            long floor = nonceFloor;
            chainBusy = true;
            worker.executeBlocking(() -> submitter.submit(open, floor)).onComplete(ar -> onChainAnswer(open, ar));
        } else if (head.status() == BatchStatus.SUBMITTED) {
            chainBusy = true;
            worker.executeBlocking(() -> submitter.poll(head)).onComplete(ar -> onChainAnswer(head, ar));
        }
    }

    private void broadcast(Signed signed) {
        chainBusy = true;
        unbroadcast = null;
        worker.executeBlocking(() -> {
            submitter.broadcast(signed.raw());
            return null;
        }).onComplete(ar -> {
            if (stopped) {
                return;
            }
            chainBusy = false;
            if (ar.failed()) {
                // Reached the node or not: its poll as the oldest in flight finds out, and signs it again if not.
                LOG.log(System.Logger.Level.WARNING, "settlement: cannot broadcast batch " + signed.batchId()
                    + " of chain " + config.chainId() + " (polled later): " + ar.cause().getMessage());
            } else {
                faults.reached(SettlementFaults.Point.AFTER_BROADCAST, signed.batchId());
            }
            scheduleDrive(ar.failed() ? config.retryMs() : 0);
        });
    }

    private void onChainAnswer(SettlementBatch batch, AsyncResult<VaultSubmitter.Outcome> ar) {
        if (stopped) {
            return;
        }
        if (ar.failed()) {
            chainBusy = false;
            if (ar.cause() instanceof VaultMismatchException mismatch) {
                LOG.log(System.Logger.Level.ERROR, "settlement: chain " + config.chainId() + " stopped: "
                    + mismatch.getMessage());
                halted = true;
                return;
            }
            LOG.log(System.Logger.Level.WARNING, "settlement: chain " + config.chainId() + " unavailable for " + batch
                + " (retrying in " + config.retryMs() + " ms): " + ar.cause().getMessage());
            scheduleDrive(config.retryMs());
            return;
        }
        boolean oldest = unfinished.getFirst().batchId() == batch.batchId();
        switch (ar.result()) {
            case VaultSubmitter.Outcome.Signed signed -> transition(batch, batch.submitted(signed.txHash(), signed.nonce()),
                new Signed(batch.batchId(), signed.raw()));
            case VaultSubmitter.Outcome.Waiting waiting -> {
                chainBusy = false;
                scheduleDrive(config.pollMs());
            }
            case VaultSubmitter.Outcome.Settled settled when oldest -> {
                faults.reached(SettlementFaults.Point.AFTER_RECEIPT, batch.batchId());
                transition(batch, batch.confirmed(), null);
            }
            case VaultSubmitter.Outcome.Refused refused when oldest -> {
                LOG.log(System.Logger.Level.ERROR, "settlement: the vault refuses " + batch + ": " + refused.reason()
                    + "; later batches of chain " + config.chainId() + " wait");
                transition(batch, batch.failed(refused.reason()), null);
            }
            case VaultSubmitter.Outcome.Settled settled -> deferSubmission();
            case VaultSubmitter.Outcome.Refused refused -> deferSubmission();
        }
    }

    /**
     * A batch behind others in flight that the node's estimate refuses (or calls settled) is judged only once it is
     * the oldest: the estimate may have seen a state the batches before it change. Until then no batch is submitted.
     */
    private void deferSubmission() {
        chainBusy = false;
        submissionDeferred = true;
        scheduleDrive(config.pollMs());
    }

    /**
     * Stores {@code next} in place of {@code from} (or drops the oldest when CONFIRMED); a failed write is tried
     * again. {@code signed} is the transaction of a SUBMITTED {@code next}, broadcast only once its hash is stored.
     */
    private void transition(SettlementBatch from, SettlementBatch next, Signed signed) {
        store.update(next, nowNs()).onComplete(ar -> {
            if (stopped) {
                return;
            }
            if (ar.failed()) {
                LOG.log(System.Logger.Level.WARNING, "settlement: cannot store " + next + " (retrying): " + ar.cause());
                vertx.setTimer(config.retryMs(), id -> transition(from, next, signed));
                return;
            }
            chainBusy = false;
            unbroadcast = signed;
            int index = unfinished.indexOf(from);
            if (next.status() == BatchStatus.CONFIRMED) {
                unfinished.remove(index);
                confirmedThrough = next.lastSequence();
                submissionDeferred = false;
            } else {
                unfinished.set(index, next);
            }
            batchesByStatus.decrementAndGet(from.status().ordinal());
            batchesByStatus.incrementAndGet(next.status().ordinal());
            scheduleDrive(0);
        });
    }

    /** A signed transaction of batch {@code batchId} whose hash is stored, to broadcast next. */
    private record Signed(long batchId, String raw) {
    }

    private void scheduleDrive(long delayMs) {
        if (stopped || driveTimer != -1) {
            return;
        }
        if (delayMs <= 0) {
            drive();
            return;
        }
        driveTimer = vertx.setTimer(delayMs, id -> {
            driveTimer = -1;
            drive();
        });
    }

    private void registerMeters() {
        String chain = Long.toString(config.chainId());
        for (BatchStatus status : BatchStatus.values()) {
            Gauge.builder(SettlementMetric.BATCHES.meterName(), batchesByStatus, counts -> counts.get(status.ordinal()))
                .description(SettlementMetric.BATCHES.description()).tag("chain", chain).tag("status", status.name())
                .register(registry);
        }
        Gauge.builder(SettlementMetric.BACKLOG.meterName(), this, SettlementVerticle::backlog)
            .description(SettlementMetric.BACKLOG.description()).tag("chain", chain).register(registry);
        Gauge.builder(SettlementMetric.LAG.meterName(), this, SettlementVerticle::lag)
            .description(SettlementMetric.LAG.description()).tag("chain", chain).register(registry);
    }

    /**
     * The operator's answer to a FAILED batch (docs/settlement.md): once the cause is dealt with (an asset registered,
     * the token's multiplier back to the engine's, gas funded), the oldest batch, FAILED, is stored OPEN again and sent anew, and the later
     * batches follow. Fails with an {@link AdminRoutes.AdminException} (409) for any other batch.
     */
    Future<SettlementBatch> retry(long batchId) {
        return onContext(() -> {
            SettlementBatch head = unfinished.isEmpty() ? null : unfinished.getFirst();
            if (head == null || head.batchId() != batchId || head.status() != BatchStatus.FAILED) {
                return Future.failedFuture(new AdminRoutes.AdminException(409, "batch " + batchId + " of chain "
                    + config.chainId() + " is not the oldest unfinished batch in FAILED"
                    + (head == null ? " (none is unfinished)" : " (that is " + head + ")")));
            }
            if (chainBusy) {
                return Future.failedFuture(new AdminRoutes.AdminException(409, "chain " + config.chainId()
                    + " is busy; try again"));
            }
            SettlementBatch reopened = head.reopened();
            chainBusy = true;
            return store.update(reopened, nowNs()).map(v -> {
                LOG.log(System.Logger.Level.WARNING, "settlement: " + head + " (" + head.reason() + ") retried by the"
                    + " operator");
                chainBusy = false;
                unfinished.set(0, reopened);
                submissionDeferred = false;
                batchesByStatus.decrementAndGet(BatchStatus.FAILED.ordinal());
                batchesByStatus.incrementAndGet(BatchStatus.OPEN.ordinal());
                scheduleDrive(0);
                return reopened;
            }).onFailure(e -> chainBusy = false);
        });
    }

    /** This chain's state for an operator: counts, the unfinished batches, whether it stopped on a vault mismatch. */
    Future<JsonObject> describe() {
        return onContext(() -> {
            JsonObject counts = new JsonObject();
            for (BatchStatus status : BatchStatus.values()) {
                counts.put(status.name(), batchesByStatus.get(status.ordinal()));
            }
            JsonArray batches = new JsonArray();
            for (SettlementBatch batch : unfinished) {
                batches.add(new JsonObject().put("batchId", batch.batchId()).put("status", batch.status().name())
                    .put("firstSequence", batch.firstSequence()).put("lastSequence", batch.lastSequence())
                    .put("legs", batch.legs().length / LegCodec.LEG_BYTES).put("txHash", batch.txHash())
                    .put("nonce", batch.nonce() < 0 ? null : batch.nonce()).put("reason", batch.reason()));
            }
            JsonObject inForce = new JsonObject();
            for (ChainAsset asset : config.assets()) {
                if (multipliers.tracks(asset.assetId())) {
                    inForce.put(asset.symbol(), multipliers.at(asset.assetId(), multipliers.through()).toString());
                }
            }
            return Future.succeededFuture(new JsonObject().put("chainId", config.chainId()).put("vault", config.vault())
                .put("halted", halted).put("cutStopped", cutStopped).put("multipliers", inForce)
                .put("confirmedThrough", confirmedThrough).put("lag", lag())
                .put("batches", counts).put("unfinished", batches));
        });
    }

    /** Runs {@code action} on the verticle's context (its state is confined there). */
    private <T> Future<T> onContext(Supplier<Future<T>> action) {
        Context context = ownContext;
        if (context == null) {
            return Future.failedFuture(new AdminRoutes.AdminException(503, "settlement of chain " + config.chainId()
                + " is not running"));
        }
        Promise<T> answer = Promise.promise();
        context.runOnContext(v -> action.get().onComplete(answer));
        return answer.future();
    }

    /** The sequence through which results are in confirmed batches (or moved nothing). */
    long confirmedThrough() {
        return confirmedThrough;
    }

    /** Batches of this chain with {@code status}, as recorded. */
    long batches(BatchStatus status) {
        return batchesByStatus.get(status.ordinal());
    }

    /** Results received and not yet in a recorded batch. */
    long backlog() {
        return (long) inboxSize.get() + pendingSize;
    }

    /** Results received and not yet in a confirmed batch. */
    long lag() {
        return Math.max(0, receivedThrough - confirmedThrough);
    }

    private long nowNs() {
        return TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }

    private static boolean accepted(CommandResult result) {
        for (EngineEvent event : result.events()) {
            if (event instanceof EngineEvent.Rejected) {
                return false;
            }
        }
        return true;
    }

    private static int trades(CommandResult result) {
        int trades = 0;
        for (EngineEvent event : result.events()) {
            if (event instanceof EngineEvent.Trade) {
                trades++;
            }
        }
        return trades;
    }
}
