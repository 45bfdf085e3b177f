package io.xex.settlement.issuer;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import io.xex.runtime.issuer.PrimaryMarket.Side;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code issuer_accounts}, {@code issuer_requests} and {@code corporate_actions} (V8). Every change is one statement.
 * Asynchronous over the venue's pool; any context.
 */
final class IssuerStore {
    /** Where a request stands; see V8. */
    enum Status { QUEUED, EXECUTING, PAID, MINTED, FILLED, REFUSED, CANCELLED }

    /** Where a corporate action stands; see V8. */
    enum ActionStatus { SCHEDULED, APPLYING, APPLIED, FAILED }

    /** An onboarded account. */
    record Eligibility(long accountId, String jurisdiction, boolean usPerson, String wallet) {
    }

    /** One request row. */
    record Request(long id, long accountId, Side side, int asset, long quantity, Status status, long reference,
                   long price, long usdt, long fee, Instant executeAt, String refusal, String detail, String txHash,
                   Instant createdAt) {
    }

    /** One corporate action row. */
    record Action(long id, int asset, long numerator, long denominator, BigInteger multiplier, Instant activation,
                  ActionStatus status, String txHash, long afterSeq, long seq, String reason) {
    }

    private static final String REQUEST_COLUMNS = "id, account_id, side, asset, quantity, status, reference, price,"
        + " usdt, fee, execute_at, refusal, detail, tx_hash, created_at";
    private static final String ACTION_COLUMNS = "id, asset, numerator, denominator, multiplier, activation, status,"
        + " tx_hash, after_seq, seq, reason";

    private final Pool pool;

    IssuerStore(Pool pool) {
        this.pool = pool;
    }

    // ---- accounts

    Future<Void> onboard(long accountId, String jurisdiction, boolean usPerson) {
        return pool.preparedQuery("INSERT INTO issuer_accounts (account_id, jurisdiction, us_person) VALUES ($1, $2, $3)"
                + " ON CONFLICT (account_id) DO UPDATE SET jurisdiction = excluded.jurisdiction,"
                + " us_person = excluded.us_person, updated_at = now()")
            .execute(Tuple.of(accountId, jurisdiction, usPerson)).mapEmpty();
    }

    /** Whitelists {@code wallet} for an onboarded account; false when the account is not onboarded. */
    Future<Boolean> whitelist(long accountId, String wallet) {
        return pool.preparedQuery("UPDATE issuer_accounts SET wallet = $2, updated_at = now() WHERE account_id = $1")
            .execute(Tuple.of(accountId, wallet)).map(rows -> rows.rowCount() == 1);
    }

    Future<Optional<Eligibility>> account(long accountId) {
        return pool.preparedQuery("SELECT account_id, jurisdiction, us_person, wallet FROM issuer_accounts"
                + " WHERE account_id = $1")
            .execute(Tuple.of(accountId))
            .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(eligibility(rows.iterator().next())));
    }

    Future<List<Eligibility>> accounts() {
        return pool.query("SELECT account_id, jurisdiction, us_person, wallet FROM issuer_accounts ORDER BY account_id")
            .execute().map(rows -> {
                List<Eligibility> out = new ArrayList<>();
                rows.forEach(row -> out.add(eligibility(row)));
                return out;
            });
    }

    private static Eligibility eligibility(Row row) {
        return new Eligibility(row.getLong(0), row.getString(1), row.getBoolean(2), row.getString(3));
    }

    // ---- requests

    /** A request queued for the open; its id. */
    Future<Long> queue(long accountId, Side side, int asset, long quantity, Instant executeAt) {
        return pool.preparedQuery("INSERT INTO issuer_requests (account_id, side, asset, quantity, status, execute_at)"
                + " VALUES ($1, $2, $3, $4, 'QUEUED', $5) RETURNING id")
            .execute(Tuple.of(accountId, side.name(), asset, quantity, time(executeAt)))
            .map(rows -> rows.iterator().next().getLong(0));
    }

    /** A request about to execute now, with its priced amounts and a new Transfer reference; its id and reference. */
    Future<Request> execute(long accountId, Side side, int asset, long quantity, long price, long usdt, long fee) {
        return pool.preparedQuery("INSERT INTO issuer_requests (account_id, side, asset, quantity, status, reference,"
                + " price, usdt, fee) VALUES ($1, $2, $3, $4, 'EXECUTING', nextval('issuer_transfer_reference'), $5, $6,"
                + " $7) RETURNING " + REQUEST_COLUMNS)
            .execute(Tuple.tuple(List.of(accountId, side.name(), asset, quantity, price, usdt, fee)))
            .map(rows -> request(rows.iterator().next()));
    }

    /** A QUEUED request starts executing: priced now, with a new reference; empty if it is no longer QUEUED. */
    Future<Optional<Request>> executeQueued(long id, long price, long usdt, long fee) {
        return pool.preparedQuery("UPDATE issuer_requests SET status = 'EXECUTING',"
                + " reference = nextval('issuer_transfer_reference'), price = $2, usdt = $3, fee = $4, updated_at = now()"
                + " WHERE id = $1 AND status = 'QUEUED' RETURNING " + REQUEST_COLUMNS)
            .execute(Tuple.of(id, price, usdt, fee)).map(IssuerStore::first);
    }

    /** Moves a request from one status to the next, with a transaction hash for MINTED; false if it was not in {@code from}. */
    Future<Boolean> advance(long id, Status from, Status to, String txHash) {
        return pool.preparedQuery("UPDATE issuer_requests SET status = $3, tx_hash = coalesce($4, tx_hash),"
                + " updated_at = now() WHERE id = $1 AND status = $2")
            .execute(Tuple.of(id, from.name(), to.name(), txHash)).map(rows -> rows.rowCount() == 1);
    }

    /** Refuses a QUEUED or EXECUTING request; false if it was in neither. */
    Future<Boolean> refuse(long id, String refusal, String detail) {
        return pool.preparedQuery("UPDATE issuer_requests SET status = 'REFUSED', refusal = $2, detail = $3,"
                + " updated_at = now() WHERE id = $1 AND status IN ('QUEUED', 'EXECUTING')")
            .execute(Tuple.of(id, refusal, detail)).map(rows -> rows.rowCount() == 1);
    }

    /** Cancels a QUEUED request; false if it is not (or no longer) queued. */
    Future<Boolean> cancel(long id) {
        return pool.preparedQuery("UPDATE issuer_requests SET status = 'CANCELLED', updated_at = now()"
                + " WHERE id = $1 AND status = 'QUEUED'")
            .execute(Tuple.of(id)).map(rows -> rows.rowCount() == 1);
    }

    Future<List<Request>> requests(Status status) {
        return pool.preparedQuery("SELECT " + REQUEST_COLUMNS + " FROM issuer_requests WHERE status = $1 ORDER BY id")
            .execute(Tuple.of(status.name())).map(IssuerStore::requests);
    }

    /** The latest {@code limit} requests, newest first. */
    Future<List<Request>> recent(int limit) {
        return pool.preparedQuery("SELECT " + REQUEST_COLUMNS + " FROM issuer_requests ORDER BY id DESC LIMIT $1")
            .execute(Tuple.of(limit)).map(IssuerStore::requests);
    }

    Future<Optional<Request>> request(long id) {
        return pool.preparedQuery("SELECT " + REQUEST_COLUMNS + " FROM issuer_requests WHERE id = $1")
            .execute(Tuple.of(id)).map(IssuerStore::first);
    }

    private static Optional<Request> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(request(rows.iterator().next()));
    }

    private static List<Request> requests(RowSet<Row> rows) {
        List<Request> out = new ArrayList<>();
        rows.forEach(row -> out.add(request(row)));
        return out;
    }

    private static Request request(Row row) {
        return new Request(row.getLong(0), row.getLong(1), Side.valueOf(row.getString(2)), row.getInteger(3),
            row.getLong(4), Status.valueOf(row.getString(5)), orZero(row.getLong(6)), orZero(row.getLong(7)),
            orZero(row.getLong(8)), orZero(row.getLong(9)), instant(row.getOffsetDateTime(10)), row.getString(11),
            row.getString(12), row.getString(13), instant(row.getOffsetDateTime(14)));
    }

    // ---- corporate actions

    Future<Action> schedule(int asset, long numerator, long denominator, BigInteger multiplier, Instant activation,
                            String txHash) {
        return pool.preparedQuery("INSERT INTO corporate_actions (asset, numerator, denominator, multiplier, activation,"
                + " status, tx_hash) VALUES ($1, $2, $3, $4, $5, 'SCHEDULED', $6) RETURNING " + ACTION_COLUMNS)
            .execute(Tuple.tuple(List.of(asset, numerator, denominator, new BigDecimal(multiplier), time(activation),
                txHash)))
            .map(rows -> action(rows.iterator().next()));
    }

    Future<Boolean> applying(long id, long afterSeq) {
        return pool.preparedQuery("UPDATE corporate_actions SET status = 'APPLYING', after_seq = $2"
                + " WHERE id = $1 AND status = 'SCHEDULED'")
            .execute(Tuple.of(id, afterSeq)).map(rows -> rows.rowCount() == 1);
    }

    /** Finishes an APPLYING action: APPLIED with its command's sequence, or FAILED with the engine's reason. */
    Future<Void> applied(long id, long seq, String failure) {
        return pool.preparedQuery("UPDATE corporate_actions SET status = $2, seq = $3, reason = $4"
                + " WHERE id = $1 AND status = 'APPLYING'")
            .execute(Tuple.of(id, failure == null ? "APPLIED" : "FAILED", seq, failure)).mapEmpty();
    }

    /** An APPLYING action whose command was never durable goes back to SCHEDULED. */
    Future<Void> reschedule(long id) {
        return pool.preparedQuery("UPDATE corporate_actions SET status = 'SCHEDULED', after_seq = NULL"
                + " WHERE id = $1 AND status = 'APPLYING'")
            .execute(Tuple.of(id)).mapEmpty();
    }

    Future<List<Action>> actions() {
        return pool.query("SELECT " + ACTION_COLUMNS + " FROM corporate_actions ORDER BY id").execute().map(rows -> {
            List<Action> out = new ArrayList<>();
            rows.forEach(row -> out.add(action(row)));
            return out;
        });
    }

    private static Action action(Row row) {
        return new Action(row.getLong(0), row.getInteger(1), row.getLong(2), row.getLong(3),
            row.getBigDecimal(4).toBigIntegerExact(), instant(row.getOffsetDateTime(5)),
            ActionStatus.valueOf(row.getString(6)), row.getString(7), orZero(row.getLong(8)), orZero(row.getLong(9)),
            row.getString(10));
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static OffsetDateTime time(Instant instant) {
        return instant == null ? null : OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
