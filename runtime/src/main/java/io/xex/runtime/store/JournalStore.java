package io.xex.runtime.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The command journal in table {@code journal}. {@link #append} writes a whole batch in one statement, so one
 * round trip and one implicit transaction: a batch is durable entirely or not at all, and writing a batch again
 * (a retry after a lost answer) leaves the first copy of every sequence in place.
 *
 * <p>Stateless over a thread-safe pool; its futures complete on the caller's Vert.x context.
 */
public final class JournalStore {
    private static final String APPEND = "INSERT INTO journal (seq, ts_ns, command)"
        + " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[]) ON CONFLICT (seq) DO NOTHING";
    private static final String LAST_SEQUENCE = "SELECT coalesce(max(seq), 0) FROM journal";
    private static final String READ = "SELECT seq, ts_ns, command FROM journal WHERE seq >= $1 ORDER BY seq LIMIT $2";

    private final Pool pool;

    public JournalStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Writes the first {@code count} entries of the arrays. A {@code null} command fails the whole batch,
     * which then writes nothing.
     */
    public Future<Void> append(long[] sequences, long[] timestampsNs, byte[][] commands, int count) {
        if (count < 0 || count > sequences.length || count > timestampsNs.length || count > commands.length) {
            throw new IllegalArgumentException("count " + count + " exceeds the arrays given");
        }
        if (count == 0) {
            return Future.succeededFuture();
        }
        Long[] seqs = new Long[count];
        Long[] timestamps = new Long[count];
        Buffer[] bytes = new Buffer[count];
        for (int i = 0; i < count; i++) {
            seqs[i] = sequences[i];
            timestamps[i] = timestampsNs[i];
            bytes[i] = commands[i] == null ? null : Buffer.buffer(commands[i]);
        }
        return pool.preparedQuery(APPEND)
            .execute(Tuple.tuple().addArrayOfLong(seqs).addArrayOfLong(timestamps).addValue(bytes))
            .mapEmpty();
    }

    /** The highest journaled sequence, 0 when the journal is empty. */
    public Future<Long> lastSequence() {
        return pool.query(LAST_SEQUENCE).execute().map(rows -> rows.iterator().next().getLong(0));
    }

    /** Up to {@code limit} entries from {@code fromInclusive} on, in sequence order. */
    public Future<List<JournalEntry>> read(long fromInclusive, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        return pool.preparedQuery(READ).execute(Tuple.of(fromInclusive, (long) limit)).map(rows -> {
            List<JournalEntry> entries = new ArrayList<>(rows.size());
            for (Row row : rows) {
                entries.add(new JournalEntry(row.getLong(0), row.getLong(1), row.getBuffer(2).getBytes()));
            }
            return entries;
        });
    }
}
