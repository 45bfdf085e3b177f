package io.xex.runtime.history;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.xex.matching.DoneReason;
import io.xex.runtime.config.HistoryConfig;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.DurableConsumer;
import io.xex.runtime.engine.EngineEvent;
import io.xex.runtime.engine.RuntimeMetric;
import io.xex.runtime.store.BalanceRow;
import io.xex.runtime.store.HistoryStore;
import io.xex.runtime.store.OrderRow;
import io.xex.runtime.store.TradeRow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes orders, trades, balance movements and execution reports to PostgreSQL for queries and exports, off
 * the matching thread and behind the journal: it receives durable results, and writes what arrived during the
 * previous write in one transaction, together with the sequence it has written up to (the history cursor). Rows
 * are keyed so that writing the same results again changes nothing; recovery hands over every journaled
 * result after the cursor, so history has no holes after a crash. While the database is away it retries
 * with a growing delay and keeps what it has not written.
 *
 * <p>Each account's execution reports are numbered densely from 1 in the order {@link ExecutionReports} gives
 * them over the results in sequence order, as the binary gateway numbers them. The counts start from what is
 * written at the cursor and advance only when a write succeeds (a failed batch is numbered again from the same
 * counts), so after a crash the numbers go on exactly where the written ones stop.
 *
 * <p>Confined to its own verticle context; {@link #accept}, {@link #caughtUp}, {@link #drained} and the
 * report reads may be called from any thread.
 */
public final class HistoryWriter extends VerticleBase implements DurableConsumer {
    private final HistoryStore store;
    private final HistoryConfig config;
    private final MeterRegistry registry;
    private final Deque<CommandResult> queue = new ArrayDeque<>();
    private final List<Promise<Void>> drainWaiters = new ArrayList<>();
    private final List<CursorWaiter> cursorWaiters = new ArrayList<>();
    /** Each account's number of written reports, for the accounts that have any. */
    private final Map<Long, Long> reportCounts = new HashMap<>();
    /** The highest sequence queued or written; a result is numbered once. */
    private long received;
    private boolean inFlight;
    private long retryDelayMs = 10;
    private volatile long cursor;

    public HistoryWriter(HistoryStore store, HistoryConfig config, MeterRegistry registry) {
        this.store = store;
        this.config = config;
        this.registry = registry;
    }

    @Override
    public Future<?> start() {
        Gauge.builder(RuntimeMetric.HISTORY_CURSOR.meterName(), this, HistoryWriter::cursor)
            .description(RuntimeMetric.HISTORY_CURSOR.description()).register(registry);
        return store.cursor().compose(written -> store.reportCounts(written).onSuccess(counts -> {
            reportCounts.putAll(counts);
            received = written;
            cursor = written;
        }));
    }

    /** The sequence up to which history is written. */
    @Override
    public long cursor() {
        return cursor;
    }

    /**
     * Queues results to write; thread-safe. Results come in sequence order; one at or below the cursor or
     * already received is ignored, so that no result's reports are numbered twice.
     */
    @Override
    public void accept(List<CommandResult> results) {
        context.runOnContext(v -> {
            for (CommandResult result : results) {
                if (result.sequence() > received) {
                    received = result.sequence();
                    queue.add(result);
                }
            }
            flush();
        });
    }

    /**
     * For every account, how many reports it had through {@code atOrBelowSequence}, as written: the whole
     * answer once {@link #caughtUp} that sequence has completed. Thread-safe; see {@link HistoryStore#reportCounts}.
     */
    public Future<Map<Long, Long>> reportCounts(long atOrBelowSequence) {
        return store.reportCounts(atOrBelowSequence);
    }

    /**
     * An account's written reports from number {@code fromReportNo} on, at most {@code limit}, in number order.
     * Thread-safe; see {@link HistoryStore#reports}.
     */
    public Future<List<NumberedReport>> reports(long accountId, long fromReportNo, int limit) {
        return store.reports(accountId, fromReportNo, limit);
    }

    /**
     * Completes, on the caller's context, once history is written through {@code sequence} (at once if it already
     * is). Results reach
     * history only after they are durable, so this waits for as long as {@code sequence} is not.
     */
    public Future<Void> caughtUp(long sequence) {
        // Completed on the caller's context, so that what the caller chains to it runs there, not on history's.
        Context caller = vertx.getOrCreateContext();
        Promise<Void> promise = Promise.promise();
        Promise<Void> written = Promise.promise();
        written.future().onComplete(ar -> caller.runOnContext(v -> promise.handle(ar)));
        context.runOnContext(v -> {
            if (cursor >= sequence) {
                written.complete();
            } else {
                cursorWaiters.add(new CursorWaiter(sequence, written));
            }
        });
        return promise.future();
    }

    /** Completes when everything received so far is written. */
    public Future<Void> drained() {
        Promise<Void> promise = Promise.promise();
        context.runOnContext(v -> {
            drainWaiters.add(promise);
            flush();
        });
        return promise.future();
    }

    private void flush() {
        if (inFlight) {
            return;
        }
        if (queue.isEmpty()) {
            drainWaiters.forEach(Promise::tryComplete);
            drainWaiters.clear();
            return;
        }
        List<CommandResult> batch = new ArrayList<>();
        Rows rows = new Rows(reportCounts);
        while (!queue.isEmpty() && rows.size() < config.maxBatch()) {
            CommandResult result = queue.poll();
            batch.add(result);
            rows.add(result);
        }
        long through = batch.getLast().sequence();
        inFlight = true;
        store.write(rows.orders, rows.trades, rows.balances, rows.reports, through).onComplete(ar -> {
            inFlight = false;
            if (ar.succeeded()) {
                reportCounts.putAll(rows.reportCounts);
                cursor = through;
                retryDelayMs = 10;
                cursorWaiters.removeIf(w -> w.sequence <= through && w.promise.tryComplete());
                flush();
            } else {
                for (int i = batch.size() - 1; i >= 0; i--) {
                    queue.addFirst(batch.get(i));
                }
                long delay = retryDelayMs;
                retryDelayMs = Math.min(config.retryMaxMs(), retryDelayMs * 2);
                vertx.setTimer(delay, t -> flush());
            }
        });
    }

    private record CursorWaiter(long sequence, Promise<Void> promise) {
    }

    /**
     * The rows of some results. Reports are numbered on from {@code written}, which is not changed:
     * {@link #reportCounts} holds the counts after these rows, to keep once they are written.
     */
    static final class Rows {
        final List<OrderRow> orders = new ArrayList<>();
        final List<TradeRow> trades = new ArrayList<>();
        final List<BalanceRow> balances = new ArrayList<>();
        final List<NumberedReport> reports = new ArrayList<>();
        /** Each account's number of reports with these rows, for the accounts these rows have reports of. */
        final Map<Long, Long> reportCounts = new HashMap<>();
        private final Map<Long, Long> written;

        Rows(Map<Long, Long> written) {
            this.written = written;
        }

        int size() {
            return orders.size() + trades.size() + balances.size() + reports.size();
        }

        void add(CommandResult result) {
            long seq = result.sequence();
            long ts = result.timestampNs();
            int balanceIndex = 0;
            for (EngineEvent event : result.events()) {
                switch (event) {
                    case EngineEvent.OrderAccepted e -> orders.add(order(e.order(), "NEW", seq, ts));
                    case EngineEvent.OrderRested e -> orders.add(order(e.order(), open(e.order()), seq, ts));
                    case EngineEvent.OrderReduced e -> orders.add(order(e.order(), open(e.order()), seq, ts));
                    case EngineEvent.OrderAmended e -> orders.add(order(e.order(), open(e.order()), seq, ts));
                    case EngineEvent.OrderDone e -> orders.add(order(e.order(), done(e.reason()), seq, ts));
                    case EngineEvent.Trade e -> {
                        trades.add(new TradeRow(e.tradeId(), seq, ts, e.taker().instrumentId(), e.taker().orderId(),
                            e.taker().accountId(), e.maker().orderId(), e.maker().accountId(), e.taker().side().name(),
                            e.price(), e.quantity(), e.takerFee(), e.makerFee()));
                        orders.add(order(e.taker(), open(e.taker()), seq, ts));
                        orders.add(order(e.maker(), open(e.maker()), seq, ts));
                    }
                    case EngineEvent.BalanceChanged e -> balances.add(new BalanceRow(seq, balanceIndex++, e.accountId(),
                        e.asset(), e.available(), e.locked(), ts));
                    case EngineEvent.Rejected e -> {
                    }
                    case EngineEvent.AccountCreated e -> {
                    }
                    case EngineEvent.InstrumentStatus e -> {
                    }
                }
            }
            ExecutionReports.of(result, this::number);
        }

        private void number(ExecutionReport report) {
            long reportNo = reportCounts.compute(report.accountId(),
                (account, count) -> (count != null ? count : written.getOrDefault(account, 0L)) + 1);
            reports.add(new NumberedReport(reportNo, report));
        }

        private static OrderRow order(EngineEvent.OrderState o, String status, long seq, long ts) {
            return new OrderRow(o.orderId(), o.accountId(), o.clientOrderId(), o.instrumentId(), o.side().name(),
                o.type().name(), o.timeInForce().name(), o.price(), o.quantity(), o.filled(), status, o.orderId(), seq, ts);
        }

        private static String open(EngineEvent.OrderState o) {
            return o.filled() == 0 ? "NEW" : o.remaining() == 0 ? "FILLED" : "PARTIALLY_FILLED";
        }

        private static String done(DoneReason reason) {
            return switch (reason) {
                case FILLED -> "FILLED";
                case CANCELLED, CANCELLED_ALL, REDUCED_TO_ZERO -> "CANCELLED";
                default -> "EXPIRED";
            };
        }
    }
}
