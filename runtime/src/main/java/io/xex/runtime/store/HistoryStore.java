package io.xex.runtime.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.xex.matching.OrderType;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;
import io.xex.runtime.history.ExecKind;
import io.xex.runtime.history.ExecutionReport;
import io.xex.runtime.history.NumberedReport;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders, trades, balance movements and numbered execution reports for queries, and {@code history_cursor}, the
 * sequence through which they are written. {@link #write} is one transaction of one statement per table, and
 * idempotent: writing a batch again after a restart changes nothing, trades, movements and reports are kept as
 * first written, and an order's row only ever moves forward in sequence.
 *
 * <p>Stateless over a thread-safe pool; its futures complete on the caller's Vert.x context.
 */
public final class HistoryStore {
    private static final String INSERT_TRADES = "INSERT INTO trades (trade_id, seq, ts_ns, instrument_id, taker_order_id,"
        + " taker_account_id, maker_order_id, maker_account_id, taker_side, price, quantity, taker_fee, maker_fee)"
        + " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::int[], $5::bigint[], $6::bigint[],"
        + " $7::bigint[], $8::bigint[], $9::text[], $10::bigint[], $11::bigint[], $12::bigint[], $13::bigint[])"
        + " ON CONFLICT (trade_id) DO NOTHING";
    private static final String INSERT_BALANCES = "INSERT INTO balance_movements (seq, idx, account_id, asset, available,"
        + " locked, ts_ns) SELECT * FROM unnest($1::bigint[], $2::int[], $3::bigint[], $4::int[], $5::bigint[],"
        + " $6::bigint[], $7::bigint[]) ON CONFLICT (seq, idx) DO NOTHING";
    private static final String UPSERT_ORDERS = "INSERT INTO orders (order_id, account_id, client_order_id, instrument_id,"
        + " side, type, time_in_force, price, quantity, filled, status, created_seq, updated_seq, updated_ns)"
        + " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::int[], $5::text[], $6::text[], $7::text[],"
        + " $8::bigint[], $9::bigint[], $10::bigint[], $11::text[], $12::bigint[], $13::bigint[], $14::bigint[])"
        + " ON CONFLICT (order_id) DO UPDATE SET account_id = excluded.account_id,"
        + " client_order_id = excluded.client_order_id, instrument_id = excluded.instrument_id, side = excluded.side,"
        + " type = excluded.type, time_in_force = excluded.time_in_force, price = excluded.price,"
        + " quantity = excluded.quantity, filled = excluded.filled, status = excluded.status,"
        + " updated_seq = excluded.updated_seq, updated_ns = excluded.updated_ns"
        + " WHERE orders.updated_seq < excluded.updated_seq";
    private static final String INSERT_REPORTS = "INSERT INTO execution_reports (account_id, report_no, seq, ts_ns, kind,"
        + " order_id, client_order_id, instrument_id, side, type, time_in_force, price, quantity, remaining, last_price,"
        + " last_quantity, trade_id, fee, maker, reason)"
        + " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::bigint[], $5::smallint[], $6::bigint[],"
        + " $7::text[], $8::int[], $9::smallint[], $10::smallint[], $11::smallint[], $12::bigint[], $13::bigint[],"
        + " $14::bigint[], $15::bigint[], $16::bigint[], $17::bigint[], $18::bigint[], $19::boolean[], $20::int[])"
        + " ON CONFLICT (account_id, report_no) DO NOTHING";
    private static final String REPORT_COUNTS = "SELECT account_id, max(report_no) FROM execution_reports"
        + " WHERE seq <= $1 GROUP BY account_id";
    private static final String REPORTS = "SELECT report_no, account_id, seq, ts_ns, kind, order_id, client_order_id,"
        + " instrument_id, side, type, time_in_force, price, quantity, remaining, last_price, last_quantity, trade_id,"
        + " fee, maker, reason FROM execution_reports WHERE account_id = $1 AND report_no >= $2"
        + " ORDER BY report_no LIMIT $3";
    private static final String ADVANCE_CURSOR = "INSERT INTO history_cursor (id, seq) VALUES (1, $1)"
        + " ON CONFLICT (id) DO UPDATE SET seq = greatest(history_cursor.seq, excluded.seq)";
    private static final String CURSOR = "SELECT coalesce((SELECT seq FROM history_cursor WHERE id = 1), 0)";

    private final Pool pool;

    public HistoryStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Writes the rows and moves the cursor up to {@code throughSequence} (never down), in one transaction. The
     * same order may appear several times; its row with the highest {@code updatedSequence} (the last given among
     * equals) is the one written. A report whose account already has a report of its number is left as it is.
     */
    public Future<Void> write(List<OrderRow> orders, List<TradeRow> trades, List<BalanceRow> balances,
                              List<NumberedReport> reports, long throughSequence) {
        Tuple orderColumns = orders.isEmpty() ? null : orderColumns(newestPerOrder(orders));
        Tuple tradeColumns = trades.isEmpty() ? null : tradeColumns(trades);
        Tuple balanceColumns = balances.isEmpty() ? null : balanceColumns(balances);
        Tuple reportColumns = reports.isEmpty() ? null : reportColumns(reports);
        return pool.withTransaction(connection -> execute(connection, INSERT_TRADES, tradeColumns)
            .compose(v -> execute(connection, INSERT_BALANCES, balanceColumns))
            .compose(v -> execute(connection, UPSERT_ORDERS, orderColumns))
            .compose(v -> execute(connection, INSERT_REPORTS, reportColumns))
            .compose(v -> execute(connection, ADVANCE_CURSOR, Tuple.of(throughSequence))));
    }

    /** The sequence through which history is written, 0 before the first write. */
    public Future<Long> cursor() {
        return pool.query(CURSOR).execute().map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * For every account with reports of commands at or below {@code atOrBelowSequence}, the number of its last
     * such report: how many it had then, reports being numbered densely from 1. Accounts with none are absent.
     */
    public Future<Map<Long, Long>> reportCounts(long atOrBelowSequence) {
        return pool.preparedQuery(REPORT_COUNTS).execute(Tuple.of(atOrBelowSequence)).map(rows -> {
            Map<Long, Long> counts = new HashMap<>();
            for (Row row : rows) {
                counts.put(row.getLong(0), row.getLong(1));
            }
            return counts;
        });
    }

    /**
     * At most {@code limit} reports of {@code accountId}, from number {@code fromReportNo} on, in number order,
     * exactly as they were written. Only reports already written are found: see the history cursor.
     */
    public Future<List<NumberedReport>> reports(long accountId, long fromReportNo, int limit) {
        return pool.preparedQuery(REPORTS).execute(Tuple.of(accountId, fromReportNo, limit)).map(rows -> {
            List<NumberedReport> reports = new ArrayList<>(rows.size());
            for (Row row : rows) {
                reports.add(report(row));
            }
            return reports;
        });
    }

    private static Future<Void> execute(SqlConnection connection, String sql, Tuple arguments) {
        return arguments == null ? Future.succeededFuture() : connection.preparedQuery(sql).execute(arguments).mapEmpty();
    }

    /** One INSERT cannot touch a row twice: keep each order's newest row, in first-seen order. */
    static List<OrderRow> newestPerOrder(List<OrderRow> orders) {
        Map<Long, OrderRow> newest = new LinkedHashMap<>();
        for (OrderRow row : orders) {
            newest.merge(row.orderId(), row, (kept, given) -> given.updatedSequence() >= kept.updatedSequence() ? given : kept);
        }
        return new ArrayList<>(newest.values());
    }

    private static Tuple orderColumns(List<OrderRow> rows) {
        int n = rows.size();
        Long[] orderId = new Long[n];
        Long[] accountId = new Long[n];
        String[] clientOrderId = new String[n];
        Integer[] instrumentId = new Integer[n];
        String[] side = new String[n];
        String[] type = new String[n];
        String[] timeInForce = new String[n];
        Long[] price = new Long[n];
        Long[] quantity = new Long[n];
        Long[] filled = new Long[n];
        String[] status = new String[n];
        Long[] createdSeq = new Long[n];
        Long[] updatedSeq = new Long[n];
        Long[] updatedNs = new Long[n];
        for (int i = 0; i < n; i++) {
            OrderRow row = rows.get(i);
            orderId[i] = row.orderId();
            accountId[i] = row.accountId();
            clientOrderId[i] = row.clientOrderId();
            instrumentId[i] = row.instrumentId();
            side[i] = row.side();
            type[i] = row.type();
            timeInForce[i] = row.timeInForce();
            price[i] = row.price();
            quantity[i] = row.quantity();
            filled[i] = row.filled();
            status[i] = row.status();
            createdSeq[i] = row.createdSequence();
            updatedSeq[i] = row.updatedSequence();
            updatedNs[i] = row.updatedNs();
        }
        return Tuple.tuple().addArrayOfLong(orderId).addArrayOfLong(accountId).addArrayOfString(clientOrderId)
            .addArrayOfInteger(instrumentId).addArrayOfString(side).addArrayOfString(type).addArrayOfString(timeInForce)
            .addArrayOfLong(price).addArrayOfLong(quantity).addArrayOfLong(filled).addArrayOfString(status)
            .addArrayOfLong(createdSeq).addArrayOfLong(updatedSeq).addArrayOfLong(updatedNs);
    }

    private static Tuple tradeColumns(List<TradeRow> rows) {
        int n = rows.size();
        Long[] tradeId = new Long[n];
        Long[] seq = new Long[n];
        Long[] tsNs = new Long[n];
        Integer[] instrumentId = new Integer[n];
        Long[] takerOrderId = new Long[n];
        Long[] takerAccountId = new Long[n];
        Long[] makerOrderId = new Long[n];
        Long[] makerAccountId = new Long[n];
        String[] takerSide = new String[n];
        Long[] price = new Long[n];
        Long[] quantity = new Long[n];
        Long[] takerFee = new Long[n];
        Long[] makerFee = new Long[n];
        for (int i = 0; i < n; i++) {
            TradeRow row = rows.get(i);
            tradeId[i] = row.tradeId();
            seq[i] = row.sequence();
            tsNs[i] = row.timestampNs();
            instrumentId[i] = row.instrumentId();
            takerOrderId[i] = row.takerOrderId();
            takerAccountId[i] = row.takerAccountId();
            makerOrderId[i] = row.makerOrderId();
            makerAccountId[i] = row.makerAccountId();
            takerSide[i] = row.takerSide();
            price[i] = row.price();
            quantity[i] = row.quantity();
            takerFee[i] = row.takerFee();
            makerFee[i] = row.makerFee();
        }
        return Tuple.tuple().addArrayOfLong(tradeId).addArrayOfLong(seq).addArrayOfLong(tsNs)
            .addArrayOfInteger(instrumentId).addArrayOfLong(takerOrderId).addArrayOfLong(takerAccountId)
            .addArrayOfLong(makerOrderId).addArrayOfLong(makerAccountId).addArrayOfString(takerSide)
            .addArrayOfLong(price).addArrayOfLong(quantity).addArrayOfLong(takerFee).addArrayOfLong(makerFee);
    }

    private static Tuple balanceColumns(List<BalanceRow> rows) {
        int n = rows.size();
        Long[] seq = new Long[n];
        Integer[] idx = new Integer[n];
        Long[] accountId = new Long[n];
        Integer[] asset = new Integer[n];
        Long[] available = new Long[n];
        Long[] locked = new Long[n];
        Long[] tsNs = new Long[n];
        for (int i = 0; i < n; i++) {
            BalanceRow row = rows.get(i);
            seq[i] = row.sequence();
            idx[i] = row.index();
            accountId[i] = row.accountId();
            asset[i] = row.asset();
            available[i] = row.available();
            locked[i] = row.locked();
            tsNs[i] = row.timestampNs();
        }
        return Tuple.tuple().addArrayOfLong(seq).addArrayOfInteger(idx).addArrayOfLong(accountId)
            .addArrayOfInteger(asset).addArrayOfLong(available).addArrayOfLong(locked).addArrayOfLong(tsNs);
    }

    private static Tuple reportColumns(List<NumberedReport> rows) {
        int n = rows.size();
        Long[] accountId = new Long[n];
        Long[] reportNo = new Long[n];
        Long[] seq = new Long[n];
        Long[] tsNs = new Long[n];
        Short[] kind = new Short[n];
        Long[] orderId = new Long[n];
        String[] clientOrderId = new String[n];
        Integer[] instrumentId = new Integer[n];
        Short[] side = new Short[n];
        Short[] type = new Short[n];
        Short[] timeInForce = new Short[n];
        Long[] price = new Long[n];
        Long[] quantity = new Long[n];
        Long[] remaining = new Long[n];
        Long[] lastPrice = new Long[n];
        Long[] lastQuantity = new Long[n];
        Long[] tradeId = new Long[n];
        Long[] fee = new Long[n];
        Boolean[] maker = new Boolean[n];
        Integer[] reason = new Integer[n];
        for (int i = 0; i < n; i++) {
            NumberedReport numbered = rows.get(i);
            ExecutionReport report = numbered.report();
            accountId[i] = report.accountId();
            reportNo[i] = numbered.reportNo();
            seq[i] = report.sequence();
            tsNs[i] = report.timestampNs();
            kind[i] = (short) report.kind().code();
            orderId[i] = report.orderId();
            clientOrderId[i] = report.clientOrderId();
            instrumentId[i] = report.instrumentId();
            side[i] = report.side() == null ? null : (short) report.side().code();
            type[i] = report.type() == null ? null : (short) report.type().code();
            timeInForce[i] = report.timeInForce() == null ? null : (short) report.timeInForce().code();
            price[i] = report.price();
            quantity[i] = report.quantity();
            remaining[i] = report.remaining();
            lastPrice[i] = report.lastPrice();
            lastQuantity[i] = report.lastQuantity();
            tradeId[i] = report.tradeId();
            fee[i] = report.fee();
            maker[i] = report.maker();
            reason[i] = report.reason();
        }
        return Tuple.tuple().addArrayOfLong(accountId).addArrayOfLong(reportNo).addArrayOfLong(seq)
            .addArrayOfLong(tsNs).addArrayOfShort(kind).addArrayOfLong(orderId).addArrayOfString(clientOrderId)
            .addArrayOfInteger(instrumentId).addArrayOfShort(side).addArrayOfShort(type).addArrayOfShort(timeInForce)
            .addArrayOfLong(price).addArrayOfLong(quantity).addArrayOfLong(remaining).addArrayOfLong(lastPrice)
            .addArrayOfLong(lastQuantity).addArrayOfLong(tradeId).addArrayOfLong(fee).addArrayOfBoolean(maker)
            .addArrayOfInteger(reason);
    }

    /** A row of {@link #REPORTS} as it was written. */
    private static NumberedReport report(Row row) {
        Short side = row.getShort("side");
        Short type = row.getShort("type");
        Short timeInForce = row.getShort("time_in_force");
        return new NumberedReport(row.getLong("report_no"), new ExecutionReport(row.getLong("account_id"),
            row.getLong("seq"), row.getLong("ts_ns"), ExecKind.ofCode(row.getShort("kind")), row.getLong("order_id"),
            row.getString("client_order_id"), row.getInteger("instrument_id"), side == null ? null : Side.ofCode(side),
            type == null ? null : OrderType.ofCode(type), timeInForce == null ? null : TimeInForce.ofCode(timeInForce),
            row.getLong("price"), row.getLong("quantity"), row.getLong("remaining"), row.getLong("last_price"),
            row.getLong("last_quantity"), row.getLong("trade_id"), row.getLong("fee"), row.getBoolean("maker"),
            row.getInteger("reason")));
    }
}
