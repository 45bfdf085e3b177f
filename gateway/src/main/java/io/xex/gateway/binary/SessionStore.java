package io.xex.gateway.binary;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code binary_sessions} table: a session is recorded before its NegotiationResponse, and the
 * timestamp of each accepted Establish before its EstablishmentAck, so that neither a restart nor a replayed
 * request can undo them.
 *
 * <p>Stateless over a thread-safe pool; futures complete on the caller's context.
 */
final class SessionStore {
    /** A session as stored. */
    record Stored(long uuid, String keyId, long accountId, boolean cancelOnDisconnect, long codGraceMs,
                  long baseReportNo, long lastRequestNs) {
    }

    /** An order's client order id and id. */
    record RecentOrder(String clientOrderId, long orderId) {
    }

    private static final String SELECT = "SELECT uuid, key_id, account_id, cancel_on_disconnect, cod_grace_ms,"
        + " base_report_no, last_request_ns FROM binary_sessions";
    private static final String INSERT = "INSERT INTO binary_sessions (uuid, key_id, account_id, cancel_on_disconnect,"
        + " cod_grace_ms, base_report_no, last_request_ns, created_ns) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
    private static final String TOUCH = "UPDATE binary_sessions SET last_request_ns = $2 WHERE uuid = $1"
        + " AND last_request_ns < $2";
    private static final String RECENT_ORDERS = "SELECT client_order_id, order_id FROM orders WHERE account_id = $1"
        + " AND client_order_id IS NOT NULL AND created_seq <= $2 ORDER BY created_seq DESC LIMIT $3";

    private final Pool pool;

    SessionStore(Pool pool) {
        this.pool = pool;
    }

    Future<List<Stored>> all() {
        return pool.query(SELECT).execute().map(rows -> {
            List<Stored> sessions = new ArrayList<>();
            for (Row row : rows) {
                sessions.add(new Stored(row.getLong(0), row.getString(1), row.getLong(2), row.getBoolean(3),
                    row.getInteger(4), row.getLong(5), row.getLong(6)));
            }
            return sessions;
        });
    }

    /** Records a new session; fails if its uuid exists. */
    Future<Void> insert(Stored session, long createdNs) {
        return pool.preparedQuery(INSERT).execute(Tuple.of(session.uuid(), session.keyId(), session.accountId(),
            session.cancelOnDisconnect(), (int) session.codGraceMs(), session.baseReportNo(), session.lastRequestNs(),
            createdNs)).mapEmpty();
    }

    /** Records an accepted request timestamp; true if it was later than the stored one. */
    Future<Boolean> touch(long uuid, long requestNs) {
        return pool.preparedQuery(TOUCH).execute(Tuple.of(uuid, requestNs)).map(rows -> rows.rowCount() == 1);
    }

    /** The client order ids of the account's newest orders created at or before {@code sequence}, newest first. */
    Future<List<RecentOrder>> recentClientOrderIds(long accountId, long sequence, int limit) {
        return pool.preparedQuery(RECENT_ORDERS).execute(Tuple.of(accountId, sequence, limit)).map(rows -> {
            List<RecentOrder> ids = new ArrayList<>();
            for (Row row : rows) {
                ids.add(new RecentOrder(row.getString(0), row.getLong(1)));
            }
            return ids;
        });
    }
}
