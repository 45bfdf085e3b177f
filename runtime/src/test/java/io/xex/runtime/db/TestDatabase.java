package io.xex.runtime.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * For integration tests: one embedded PostgreSQL per test class, with a Vert.x instance and a migrated pool, and
 * bounded waits for futures from the test thread. Confined to the test thread.
 */
public final class TestDatabase implements AutoCloseable {
    /** Bound on one database call seen from a test. */
    public static final long TIMEOUT_SECONDS = 10;
    /** Bound on starting the embedded server (initdb on a new folder takes a few seconds). */
    public static final long START_TIMEOUT_SECONDS = 90;

    private final Vertx vertx;
    private final Database database;

    private TestDatabase(Vertx vertx, Database database) {
        this.vertx = vertx;
        this.database = database;
    }

    /** A migrated embedded database in {@code dataDir}. */
    public static TestDatabase start(Path dataDir) {
        Vertx vertx = Vertx.vertx();
        try {
            return new TestDatabase(vertx, await(Database.start(vertx, DbConfig.embedded(dataDir)), START_TIMEOUT_SECONDS));
        } catch (RuntimeException | AssertionError e) {
            vertx.close();
            throw e;
        }
    }

    public Pool pool() {
        return database.pool();
    }

    public Vertx vertx() {
        return vertx;
    }

    public EmbeddedDatabase embedded() {
        return database.embedded().orElseThrow();
    }

    /** Runs {@code sql} and returns its rows. */
    public List<Row> query(String sql) {
        List<Row> rows = new ArrayList<>();
        RowSet<Row> result = await(pool().query(sql).execute());
        result.forEach(rows::add);
        return rows;
    }

    @Override
    public void close() {
        try {
            await(database.close(), START_TIMEOUT_SECONDS);
        } finally {
            await(vertx.close());
        }
    }

    /** A pool of its own on {@code databaseName} of {@code server}, not migrated. */
    static Pool pool(Vertx vertx, EmbeddedDatabase server, String databaseName) {
        return PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(2))
            .connectingTo(new PgConnectOptions().setHost(server.host()).setPort(server.port())
                .setDatabase(databaseName).setUser(server.user()))
            .using(vertx)
            .build();
    }

    /** Creates an empty database owned by the server's user, as the superuser. */
    static void createDatabase(EmbeddedDatabase server, String name) throws SQLException {
        try (Connection connection = DriverManager.getConnection(
                 "jdbc:postgresql://" + server.host() + ":" + server.port() + "/postgres?user=postgres");
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name + " OWNER " + server.user());
        }
    }

    public static <T> T await(Future<T> future) {
        return await(future, TIMEOUT_SECONDS);
    }

    public static <T> T await(Future<T> future, long seconds) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + seconds + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The cause a future fails with; an assertion error when it succeeds. */
    public static Throwable awaitFailure(Future<?> future) {
        try {
            Object value = future.toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            throw new AssertionError("expected a failure, got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("no answer within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
