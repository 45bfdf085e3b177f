package io.xex.runtime.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowIterator;
import io.vertx.sqlclient.Tuple;

import java.util.Optional;

/**
 * Engine snapshots in table {@code snapshot}, one per sequence. Saving a sequence again keeps the first copy:
 * the state at a sequence is deterministic, so a retried save has nothing new to say.
 *
 * <p>Stateless over a thread-safe pool; its futures complete on the caller's Vert.x context.
 */
public final class SnapshotStore {
    private static final String SAVE = "INSERT INTO snapshot (seq, ts_ns, state_hash, state) VALUES ($1, $2, $3, $4)"
        + " ON CONFLICT (seq) DO NOTHING";
    private static final String LATEST = "SELECT seq, ts_ns, state_hash, state FROM snapshot WHERE seq <= $1"
        + " ORDER BY seq DESC LIMIT 1";
    private static final String KEEP_NEWEST = "DELETE FROM snapshot WHERE seq <"
        + " (SELECT seq FROM snapshot ORDER BY seq DESC OFFSET $1 LIMIT 1)";

    private final Pool pool;

    public SnapshotStore(Pool pool) {
        this.pool = pool;
    }

    public Future<Void> save(long sequence, long timestampNs, long stateHash, byte[] state) {
        return pool.preparedQuery(SAVE).execute(Tuple.of(sequence, timestampNs, stateHash, Buffer.buffer(state))).mapEmpty();
    }

    /** The newest snapshot at or below {@code maxSequence}. */
    public Future<Optional<StoredSnapshot>> latestAtOrBelow(long maxSequence) {
        return pool.preparedQuery(LATEST).execute(Tuple.of(maxSequence)).map(rows -> {
            RowIterator<Row> it = rows.iterator();
            if (!it.hasNext()) {
                return Optional.empty();
            }
            Row row = it.next();
            return Optional.of(new StoredSnapshot(row.getLong(0), row.getLong(1), row.getLong(2), row.getBuffer(3).getBytes()));
        });
    }

    /** Deletes all but the newest {@code count} snapshots. */
    public Future<Void> keepNewest(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("keep at least one snapshot: " + count);
        }
        return pool.preparedQuery(KEEP_NEWEST).execute(Tuple.of((long) (count - 1))).mapEmpty();
    }
}
