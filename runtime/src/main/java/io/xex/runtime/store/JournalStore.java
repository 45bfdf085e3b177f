package io.xex.runtime.store;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The command journal in table {@code journal}. {@link #append} writes a whole batch in one plain INSERT, so one
 * round trip and one implicit transaction: a batch is durable entirely or not at all. Writing a batch again (a
 * retry after a lost answer) meets a duplicate key; when every sequence of the batch is then in the journal the
 * batch is taken as already written (STYLE §11), and the first copy stays. ({@code ON CONFLICT DO NOTHING} would
 * say the same but halves the insert rate.)
 *
 * <p>Stateless over a thread-safe pool; its futures complete on the caller's Vert.x context.
 */
public final class JournalStore {
    private static final String APPEND = "INSERT INTO journal (seq, ts_ns, command)"
        + " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bytea[])";
    private static final String UNIQUE_VIOLATION = "23505";
    private static final String COUNT_RANGE = "SELECT count(*) FROM journal WHERE seq BETWEEN $1 AND $2";
    private static final String DELETE_AFTER = "DELETE FROM journal WHERE seq > $1";
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
            .<Void>mapEmpty()
            .recover(failure -> alreadyWritten(failure, sequences, count));
    }

    /** After a duplicate key: done if the batch's whole range is in the journal, else the failure stands. */
    private Future<Void> alreadyWritten(Throwable failure, long[] sequences, int count) {
        if (!(failure instanceof PgException pg) || !UNIQUE_VIOLATION.equals(pg.getSqlState())) {
            return Future.failedFuture(failure);
        }
        long first = sequences[0];
        long last = sequences[count - 1];
        return pool.preparedQuery(COUNT_RANGE).execute(Tuple.of(first, last)).compose(rows ->
            rows.iterator().next().getLong(0) == last - first + 1 && last - first + 1 == count
                ? Future.succeededFuture() : Future.failedFuture(failure));
    }

    /**
     * Deletes every entry after {@code sequence}. Recovery does this for entries after a gap: with more than
     * one write in flight a later batch can commit while an earlier one never does, and nothing after the
     * missing batch was ever acknowledged.
     */
    public Future<Long> deleteAfter(long sequence) {
        return pool.preparedQuery(DELETE_AFTER).execute(Tuple.of(sequence)).map(rows -> (long) rows.rowCount());
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
