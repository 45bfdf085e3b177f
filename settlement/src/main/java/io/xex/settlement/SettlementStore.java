package io.xex.settlement;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import io.vertx.sqlclient.data.Numeric;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * {@code settlement_batches} and {@code settlement_cursor} (V5), {@code settlement_multipliers} (V7). A batch, its
 * chain's cursor and the multipliers its results changed are written in one transaction; a status change is one
 * statement. Asynchronous over the venue's pool; any context.
 */
final class SettlementStore {
    private static final String CURSOR = "SELECT coalesce((SELECT seq FROM settlement_cursor WHERE chain_id = $1), 0)";
    private static final String MOVE_CURSOR = "INSERT INTO settlement_cursor (chain_id, seq) VALUES ($1, $2)"
        + " ON CONFLICT (chain_id) DO UPDATE SET seq = excluded.seq WHERE settlement_cursor.seq < excluded.seq";
    private static final String INSERT_BATCH = "INSERT INTO settlement_batches (chain_id, batch_id, first_seq, last_seq,"
        + " legs, withdrawals, status, tx_hash, nonce, reason, created_ns, updated_ns)"
        + " VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, NULL, NULL, $8, $8)";
    private static final String UPDATE_STATUS = "UPDATE settlement_batches SET status = $3, tx_hash = $4, nonce = $5,"
        + " reason = $6, updated_ns = $7 WHERE chain_id = $1 AND batch_id = $2";
    private static final String LAST_BATCH_ID =
        "SELECT coalesce((SELECT max(batch_id) FROM settlement_batches WHERE chain_id = $1), 0)";
    private static final String UNFINISHED = "SELECT batch_id, first_seq, last_seq, legs, withdrawals, status, tx_hash,"
        + " nonce, reason FROM settlement_batches WHERE chain_id = $1 AND status IN ('OPEN', 'SUBMITTED', 'FAILED')"
        + " ORDER BY batch_id";
    private static final String INSERT_MULTIPLIER = "INSERT INTO settlement_multipliers (chain_id, asset, from_seq,"
        + " multiplier) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING";
    private static final String MULTIPLIERS = "SELECT asset, from_seq, multiplier::text FROM settlement_multipliers"
        + " WHERE chain_id = $1 ORDER BY asset, from_seq";
    private static final String COUNTS = "SELECT status, count(*) FROM settlement_batches WHERE chain_id = $1 GROUP BY status";

    private final Pool pool;

    SettlementStore(Pool pool) {
        this.pool = pool;
    }

    /** The sequence through which the chain's results are batched (0: none yet). */
    Future<Long> cursor(long chainId) {
        return pool.preparedQuery(CURSOR).execute(Tuple.of(chainId)).map(rows -> rows.iterator().next().getLong(0));
    }

    Future<Long> lastBatchId(long chainId) {
        return pool.preparedQuery(LAST_BATCH_ID).execute(Tuple.of(chainId)).map(rows -> rows.iterator().next().getLong(0));
    }

    /**
     * Records {@code batch} (OPEN), the multipliers its results changed ({@code changes}) and moves the cursor to its
     * last sequence, in one transaction.
     */
    Future<Void> record(SettlementBatch batch, List<EngineMultipliers.Change> changes, long nowNs) {
        return pool.withTransaction(connection -> connection.preparedQuery(INSERT_BATCH)
            .execute(Tuple.from(new Object[] {batch.chainId(), batch.batchId(), batch.firstSequence(), batch.lastSequence(),
                Buffer.buffer(batch.legs()), Buffer.buffer(batch.withdrawals()), batch.status().name(), nowNs}))
            .compose(rows -> insertMultipliers(connection, batch.chainId(), changes))
            .compose(v -> moveCursor(connection, batch.chainId(), batch.lastSequence())));
    }

    /** Moves the cursor over results that moved nothing, with the multipliers they changed, in one transaction. */
    Future<Void> moveCursor(long chainId, long sequence, List<EngineMultipliers.Change> changes) {
        return pool.withTransaction(connection -> insertMultipliers(connection, chainId, changes)
            .compose(v -> moveCursor(connection, chainId, sequence)));
    }

    /** Every multiplier change stored for the chain. */
    Future<List<EngineMultipliers.Change>> multipliers(long chainId) {
        return pool.preparedQuery(MULTIPLIERS).execute(Tuple.of(chainId)).map(rows -> {
            List<EngineMultipliers.Change> changes = new ArrayList<>();
            for (Row row : rows) {
                changes.add(new EngineMultipliers.Change(row.getInteger(0), row.getLong(1), new BigInteger(row.getString(2))));
            }
            return changes;
        });
    }

    Future<Void> update(SettlementBatch batch, long nowNs) {
        return pool.preparedQuery(UPDATE_STATUS).execute(Tuple.from(new Object[] {batch.chainId(), batch.batchId(),
            batch.status().name(), batch.txHash(), batch.nonce() < 0 ? null : batch.nonce(), batch.reason(), nowNs}))
            .mapEmpty();
    }

    /** The batches not yet CONFIRMED, in batch order. */
    Future<List<SettlementBatch>> unfinished(long chainId) {
        return pool.preparedQuery(UNFINISHED).execute(Tuple.of(chainId)).map(rows -> {
            List<SettlementBatch> batches = new ArrayList<>();
            for (Row row : rows) {
                Long nonce = row.getLong("nonce");
                batches.add(new SettlementBatch(chainId, row.getLong("batch_id"), row.getLong("first_seq"),
                    row.getLong("last_seq"), row.getBuffer("legs").getBytes(), row.getBuffer("withdrawals").getBytes(),
                    BatchStatus.valueOf(row.getString("status")), row.getString("tx_hash"), nonce == null ? -1 : nonce,
                    row.getString("reason")));
            }
            return batches;
        });
    }

    Future<Map<BatchStatus, Long>> counts(long chainId) {
        return pool.preparedQuery(COUNTS).execute(Tuple.of(chainId)).map(rows -> {
            Map<BatchStatus, Long> counts = new EnumMap<>(BatchStatus.class);
            for (Row row : rows) {
                counts.put(BatchStatus.valueOf(row.getString(0)), row.getLong(1));
            }
            return counts;
        });
    }

    private static Future<Void> insertMultipliers(SqlConnection connection, long chainId,
                                                  List<EngineMultipliers.Change> changes) {
        if (changes.isEmpty()) {
            return Future.succeededFuture();
        }
        List<Tuple> rows = new ArrayList<>(changes.size());
        for (EngineMultipliers.Change change : changes) {
            rows.add(Tuple.of(chainId, change.asset(), change.fromSequence(),
                Numeric.create(new BigDecimal(change.multiplier()))));
        }
        return connection.preparedQuery(INSERT_MULTIPLIER).executeBatch(rows).mapEmpty();
    }

    private static Future<Void> moveCursor(SqlConnection connection, long chainId, long sequence) {
        return connection.preparedQuery(MOVE_CURSOR).execute(Tuple.of(chainId, sequence)).mapEmpty();
    }
}
