package io.xex.runtime.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.xex.runtime.db.TestDatabase.await;
import static io.xex.runtime.db.TestDatabase.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each test migrates a new, empty database of one embedded server. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MigrationsIT {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static final List<String> TABLES = List.of("api_keys", "balance_movements", "binary_sessions",
        "corporate_actions", "credited_deposits", "deposit_cursor", "execution_reports", "history_cursor",
        "issuer_accounts", "issuer_requests", "journal", "orders", "schema_version", "settlement_batches",
        "settlement_cursor", "settlement_multipliers", "snapshot", "trades");

    @TempDir
    static Path folder;
    private static EmbeddedDatabase server;
    private static Vertx vertx;

    private final List<Pool> pools = new ArrayList<>();
    private Pool pool;

    @BeforeAll
    static void startServer() throws Exception {
        server = EmbeddedDatabase.start(folder.resolve("pg"), 0, "xex", "xex");
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopServer() {
        try {
            await(vertx.close());
        } finally {
            server.close();
        }
    }

    @BeforeEach
    void freshDatabase() throws Exception {
        String name = "migrations_" + DATABASES.incrementAndGet();
        TestDatabase.createDatabase(server, name);
        pool = newPool(name);
    }

    @AfterEach
    void closePools() {
        pools.forEach(p -> await(p.close()));
    }

    @Test
    void aNewDatabaseGetsEveryMigrationAndASecondRunChangesNothing() {
        Migrations migrations = Migrations.fromClasspath();

        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), versions(await(migrations.migrate(pool))));
        assertEquals(TABLES, strings("SELECT table_name::text FROM information_schema.tables"
            + " WHERE table_schema = 'public' ORDER BY table_name"));
        Row recorded = rows("SELECT version, name, checksum, applied_at FROM schema_version ORDER BY version").getFirst();
        assertEquals(1, recorded.getInteger("version"));
        assertEquals("initial", recorded.getString("name"));
        assertEquals(migrations.all().getFirst().checksum(), recorded.getString("checksum"));

        assertEquals(List.of(), await(migrations.migrate(pool)));
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8"), strings("SELECT version::text FROM schema_version ORDER BY version"));
    }

    @Test
    void anAppliedMigrationWhoseTextChangedIsRefused() {
        Migrations.Migration v1 = Migrations.fromClasspath().all().getFirst();
        await(new Migrations(List.of(v1)).migrate(pool));
        Migrations edited = new Migrations(List.of(new Migrations.Migration(1, "initial", v1.sql() + "\n-- edited\n"),
            new Migrations.Migration(2, "more", "CREATE TABLE more (id int)")));

        Throwable refused = awaitFailure(edited.migrate(pool));

        assertInstanceOf(MigrationException.class, refused);
        assertTrue(refused.getMessage().startsWith("migration V1__initial.sql was changed after it was applied"),
            refused.getMessage());
        assertEquals(List.of("1"), strings("SELECT version::text FROM schema_version"), "V2 was not applied either");
    }

    @Test
    void aDatabaseAheadOfThisBuildIsRefused() {
        Migrations.Migration v1 = Migrations.fromClasspath().all().getFirst();
        await(new Migrations(List.of(v1, new Migrations.Migration(2, "later", "CREATE TABLE later (id int)"))).migrate(pool));

        Throwable refused = awaitFailure(new Migrations(List.of(v1)).migrate(pool));

        assertInstanceOf(MigrationException.class, refused);
        assertTrue(refused.getMessage().contains("V2__later, which this build does not know"), refused.getMessage());
    }

    @Test
    void aFailingMigrationLeavesNothingBehind() {
        Migrations.Migration v1 = Migrations.fromClasspath().all().getFirst();
        Migrations broken = new Migrations(List.of(v1,
            new Migrations.Migration(2, "broken", "CREATE TABLE half (id int); INSERT INTO half VALUES ('not a number')")));

        Throwable refused = awaitFailure(broken.migrate(pool));

        assertInstanceOf(MigrationException.class, refused);
        assertTrue(refused.getMessage().startsWith("migration V2__broken.sql failed, nothing of it was applied"),
            refused.getMessage());
        assertEquals(List.of("1"), strings("SELECT version::text FROM schema_version"), "V1 committed on its own");
        assertEquals(List.of(), strings("SELECT table_name::text FROM information_schema.tables WHERE table_name = 'half'"));
    }

    @Test
    void twoMigratorsStartingTogetherApplyEachOnce() {
        // A third session holds the migrators' lock, so both are surely waiting on it when it is released.
        SqlConnection holder = await(pool.getConnection());
        await(holder.query("BEGIN").execute());
        await(holder.preparedQuery("SELECT 1 FROM pg_advisory_xact_lock($1)").execute(Tuple.of(Migrations.LOCK_KEY)));
        Pool first = newPool(currentDatabase());
        Pool second = newPool(currentDatabase());

        Future<List<Migrations.Migration>> a = Migrations.fromClasspath().migrate(first);
        Future<List<Migrations.Migration>> b = Migrations.fromClasspath().migrate(second);
        awaitAdvisoryLockWaiters(2);
        assertFalse(a.isComplete() || b.isComplete());
        await(holder.query("COMMIT").execute());
        await(holder.close());

        List<Integer> applied = new ArrayList<>(versions(await(a)));
        applied.addAll(versions(await(b)));
        applied.sort(null);
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), applied, "exactly one of them applied each migration");
        assertEquals(List.of("1", "2", "3", "4", "5", "6", "7", "8"), strings("SELECT version::text FROM schema_version ORDER BY version"));
    }

    /** Polls pg_locks (each poll is a round trip) until {@code count} sessions wait on an advisory lock. */
    private void awaitAdvisoryLockWaiters(int count) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TestDatabase.TIMEOUT_SECONDS);
        while (Integer.parseInt(strings("SELECT count(*)::text FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            .getFirst()) < count) {
            assertTrue(System.nanoTime() < deadline, "the migrators never waited on the lock");
        }
    }

    private Pool newPool(String database) {
        Pool created = TestDatabase.pool(vertx, server, database);
        pools.add(created);
        return created;
    }

    private String currentDatabase() {
        return strings("SELECT current_database()::text").getFirst();
    }

    private List<Row> rows(String sql) {
        List<Row> rows = new ArrayList<>();
        await(pool.query(sql).execute()).forEach(rows::add);
        return rows;
    }

    private List<String> strings(String sql) {
        return rows(sql).stream().map(row -> row.getString(0)).toList();
    }

    private static List<Integer> versions(List<Migrations.Migration> migrations) {
        return migrations.stream().map(Migrations.Migration::version).toList();
    }
}
