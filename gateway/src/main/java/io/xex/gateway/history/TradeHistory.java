package io.xex.gateway.history;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.xex.matching.Side;

import java.util.ArrayList;
import java.util.List;

/**
 * Trades as the history writer stored them in PostgreSQL ({@code trades}, behind the journal by at most a
 * history batch): an account's own trades, and a symbol's recent ones to seed the market data.
 *
 * <p>Thread-safe (a pool); futures complete on the caller's context.
 */
public final class TradeHistory {
    private static final String COLUMNS = "trade_id, seq, ts_ns, instrument_id, taker_order_id, taker_account_id,"
        + " maker_order_id, maker_account_id, taker_side, price, quantity, taker_fee, maker_fee";

    /** One stored trade, in the engine's units. */
    public record TradeRecord(long tradeId, long sequence, long timestampNs, int instrumentId, long takerOrderId,
                              long takerAccountId, long makerOrderId, long makerAccountId, Side takerSide,
                              long price, long quantity, long takerFee, long makerFee) {
    }

    private final Pool pool;

    public TradeHistory(Pool pool) {
        this.pool = pool;
    }

    /**
     * An account's trades (as taker or maker), oldest first: those with ids from {@code fromTradeId}, on one
     * instrument or all ({@code instrumentId} -1), between two times (ns, inclusive), at most {@code limit}.
     */
    public Future<List<TradeRecord>> ofAccount(long accountId, int instrumentId, long fromTradeId, long fromNs,
                                               long toNs, int limit) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM trades"
                + " WHERE (taker_account_id = $1 OR maker_account_id = $1) AND ($2 < 0 OR instrument_id = $2)"
                + " AND trade_id >= $3 AND ts_ns BETWEEN $4 AND $5 ORDER BY trade_id LIMIT $6")
            .execute(Tuple.of(accountId, instrumentId, fromTradeId, fromNs, toNs, limit))
            .map(TradeHistory::records);
    }

    /** A symbol's trades up to sequence {@code throughSequence} and since {@code sinceNs}: the newest {@code limit}, oldest first. */
    public Future<List<TradeRecord>> recent(int instrumentId, long throughSequence, long sinceNs, int limit) {
        return pool.preparedQuery("SELECT * FROM (SELECT " + COLUMNS + " FROM trades"
                + " WHERE instrument_id = $1 AND seq <= $2 AND ts_ns >= $3 ORDER BY trade_id DESC LIMIT $4) t"
                + " ORDER BY trade_id")
            .execute(Tuple.of(instrumentId, throughSequence, sinceNs, limit))
            .map(TradeHistory::records);
    }

    private static List<TradeRecord> records(io.vertx.sqlclient.RowSet<Row> rows) {
        List<TradeRecord> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            out.add(new TradeRecord(row.getLong("trade_id"), row.getLong("seq"), row.getLong("ts_ns"),
                row.getInteger("instrument_id"), row.getLong("taker_order_id"), row.getLong("taker_account_id"),
                row.getLong("maker_order_id"), row.getLong("maker_account_id"), Side.valueOf(row.getString("taker_side")),
                row.getLong("price"), row.getLong("quantity"), row.getLong("taker_fee"), row.getLong("maker_fee")));
        }
        return out;
    }
}
