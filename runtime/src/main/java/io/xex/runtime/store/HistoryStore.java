package io.xex.runtime.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Orders, trades and balance movements for queries, and {@code history_cursor}, the sequence through which they
 * are written. {@link #write} is one transaction of one statement per table, and idempotent: writing a batch
 * again after a restart changes nothing, trades and movements are kept as first written, and an order's row
 * only ever moves forward in sequence.
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
     * equals) is the one written.
     */
    public Future<Void> write(List<OrderRow> orders, List<TradeRow> trades, List<BalanceRow> balances, long throughSequence) {
        Tuple orderColumns = orders.isEmpty() ? null : orderColumns(newestPerOrder(orders));
        Tuple tradeColumns = trades.isEmpty() ? null : tradeColumns(trades);
        Tuple balanceColumns = balances.isEmpty() ? null : balanceColumns(balances);
        return pool.withTransaction(connection -> execute(connection, INSERT_TRADES, tradeColumns)
            .compose(v -> execute(connection, INSERT_BALANCES, balanceColumns))
            .compose(v -> execute(connection, UPSERT_ORDERS, orderColumns))
            .compose(v -> execute(connection, ADVANCE_CURSOR, Tuple.of(throughSequence))));
    }

    /** The sequence through which history is written, 0 before the first write. */
    public Future<Long> cursor() {
        return pool.query(CURSOR).execute().map(rows -> rows.iterator().next().getLong(0));
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
}
