package io.xex.settlement;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code deposit_cursor} and {@code credited_deposits} (V6). Every change is one statement. Asynchronous over the
 * venue's pool; any context.
 */
final class DepositStore {
    /**
     * What became of a log the watcher took up. PENDING: its Deposit command is submitted or about to be; CREDITED or REJECTED: the command's outcome;
     * REFUSED: no whole number of engine units, never credited; HELD: for an account the engine does not know yet,
     * credited (through PENDING) once it does.
     */
    enum Status { PENDING, CREDITED, REJECTED, REFUSED, HELD }

    /**
     * A Deposit log taken up: its place on chain, what it credits (amount in engine units) and what became of it.
     * {@code afterSeq} is, for a PENDING row, the engine's sequence just before its command; for a HELD row, the one
     * at which its amount was converted (0 for a row held before V7, at multiplier 1).
     */
    record Credit(long chainId, String txHash, int logIndex, long accountId, int asset, long amount, long block,
                  long afterSeq, Status status, long seq, String reason) {
        String key() {
            return key(txHash, logIndex);
        }

        static String key(String txHash, long logIndex) {
            return txHash.toLowerCase(java.util.Locale.ROOT) + "#" + logIndex;
        }
    }

    private static final String CURSOR =
        "SELECT coalesce((SELECT block FROM deposit_cursor WHERE chain_id = $1), -1)";
    private static final String MOVE_CURSOR = "INSERT INTO deposit_cursor (chain_id, block) VALUES ($1, $2)"
        + " ON CONFLICT (chain_id) DO UPDATE SET block = excluded.block WHERE deposit_cursor.block < excluded.block";
    private static final String INSERT = "INSERT INTO credited_deposits (chain_id, tx_hash, log_index, account_id, asset,"
        + " amount, block, seq, status, after_seq, reason) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
        + " ON CONFLICT DO NOTHING";
    private static final String FINISH = "UPDATE credited_deposits SET status = $4, seq = $5, reason = $6"
        + " WHERE chain_id = $1 AND tx_hash = $2 AND log_index = $3 AND status = 'PENDING'";
    private static final String DELETE_PENDING = "DELETE FROM credited_deposits"
        + " WHERE chain_id = $1 AND tx_hash = $2 AND log_index = $3 AND status = 'PENDING'";
    private static final String PENDING = "SELECT tx_hash, log_index, account_id, asset, amount, block, after_seq"
        + " FROM credited_deposits WHERE chain_id = $1 AND status = 'PENDING'";
    private static final String HELD = "SELECT tx_hash, log_index, account_id, asset, amount, block, after_seq"
        + " FROM credited_deposits WHERE chain_id = $1 AND status = 'HELD' ORDER BY block, log_index";
    private static final String RELEASE = "UPDATE credited_deposits SET status = 'PENDING', after_seq = $4, amount = $5"
        + " WHERE chain_id = $1 AND tx_hash = $2 AND log_index = $3 AND status = 'HELD'";
    private static final String KNOWN = "SELECT tx_hash, log_index FROM credited_deposits WHERE chain_id = $1 AND block >= $2";
    private static final String COUNTS = "SELECT status, count(*) FROM credited_deposits WHERE chain_id = $1 GROUP BY status";

    private final Pool pool;

    DepositStore(Pool pool) {
        this.pool = pool;
    }

    /** The block through which the chain's Deposit logs are processed (-1: none yet). */
    Future<Long> cursor(long chainId) {
        return pool.preparedQuery(CURSOR).execute(Tuple.of(chainId)).map(rows -> rows.iterator().next().getLong(0));
    }

    Future<Void> moveCursor(long chainId, long block) {
        return pool.preparedQuery(MOVE_CURSOR).execute(Tuple.of(chainId, block)).mapEmpty();
    }

    /** The chain's PENDING row, if any (the watcher keeps at most one). */
    Future<Optional<Credit>> pending(long chainId) {
        return pool.preparedQuery(PENDING).execute(Tuple.of(chainId)).map(rows -> {
            if (rows.size() > 1) {
                throw new IllegalStateException("chain " + chainId + " has " + rows.size() + " PENDING deposits; at most one");
            }
            for (Row row : rows) {
                return Optional.of(new Credit(chainId, row.getString("tx_hash"), row.getInteger("log_index"),
                    row.getLong("account_id"), row.getInteger("asset"), row.getLong("amount"), row.getLong("block"),
                    row.getLong("after_seq"), Status.PENDING, -1, null));
            }
            return Optional.empty();
        });
    }

    /** The chain's HELD rows, in chain order. */
    Future<List<Credit>> held(long chainId) {
        return pool.preparedQuery(HELD).execute(Tuple.of(chainId)).map(rows -> {
            List<Credit> held = new ArrayList<>();
            for (Row row : rows) {
                held.add(new Credit(chainId, row.getString("tx_hash"), row.getInteger("log_index"),
                    row.getLong("account_id"), row.getInteger("asset"), row.getLong("amount"), row.getLong("block"),
                    row.getLong("after_seq"), Status.HELD, -1, null));
            }
            return held;
        });
    }

    /**
     * A HELD row becomes PENDING with {@code afterSeq} and {@code amount} (its amount again at the engine's multiplier
     * now); the PENDING credit, or empty if it was not HELD.
     */
    Future<Optional<Credit>> release(Credit held, long afterSeq, long amount) {
        return pool.preparedQuery(RELEASE).execute(Tuple.of(held.chainId(), held.txHash(), held.logIndex(), afterSeq,
                amount))
            .map(rows -> rows.rowCount() == 1 ? Optional.of(new Credit(held.chainId(), held.txHash(), held.logIndex(),
                held.accountId(), held.asset(), amount, held.block(), afterSeq, Status.PENDING, -1, null))
                : Optional.empty());
    }

    /** The logs (as {@link Credit#key}) of blocks from {@code fromBlock} on that were taken up already. */
    Future<Set<String>> known(long chainId, long fromBlock) {
        return pool.preparedQuery(KNOWN).execute(Tuple.of(chainId, fromBlock)).map(rows -> {
            Set<String> keys = new HashSet<>();
            for (Row row : rows) {
                keys.add(Credit.key(row.getString(0), row.getInteger(1)));
            }
            return keys;
        });
    }

    /** Inserts {@code credit} (PENDING, HELD or REFUSED); false if its log was taken up already (a duplicate means done). */
    Future<Boolean> insert(Credit credit) {
        return pool.preparedQuery(INSERT).execute(Tuple.from(new Object[] {credit.chainId(), credit.txHash(),
            credit.logIndex(), credit.accountId(), credit.asset(), credit.status() == Status.REFUSED ? null : credit.amount(),
            credit.block(), credit.seq() < 0 ? null : credit.seq(), credit.status().name(), credit.afterSeq(),
            credit.reason()})).map(rows -> rows.rowCount() == 1);
    }

    /** A PENDING row becomes CREDITED or REJECTED with its Deposit command's journal sequence. */
    Future<Void> finish(Credit pending, Status status, long seq, String reason) {
        return pool.preparedQuery(FINISH).execute(Tuple.from(new Object[] {pending.chainId(), pending.txHash(),
            pending.logIndex(), status.name(), seq, reason})).mapEmpty();
    }

    /** Forgets a PENDING row whose Deposit command is known never to have become durable. */
    Future<Void> deletePending(Credit pending) {
        return pool.preparedQuery(DELETE_PENDING)
            .execute(Tuple.of(pending.chainId(), pending.txHash(), pending.logIndex())).mapEmpty();
    }

    Future<Map<Status, Long>> counts(long chainId) {
        return pool.preparedQuery(COUNTS).execute(Tuple.of(chainId)).map(rows -> {
            Map<Status, Long> counts = new EnumMap<>(Status.class);
            for (Row row : rows) {
                counts.put(Status.valueOf(row.getString(0)), row.getLong(1));
            }
            return counts;
        });
    }
}
