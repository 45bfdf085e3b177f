package io.xex.runtime.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.xex.runtime.config.ConfigException;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL this process uses: the connection pool, the embedded server behind it when no external one is
 * configured, and a schema brought up to date by {@link Migrations} before anyone gets the pool.
 *
 * <p>{@link #start} and {@link #close} may be called from any thread, an event loop included: the embedded
 * server's blocking start and stop run on a worker through {@code executeBlocking}. The pool is thread-safe;
 * its futures complete on the caller's Vert.x context.
 */
public final class Database {
    private final Vertx vertx;
    private final Pool pool;
    private final EmbeddedDatabase embedded;
    private final String description;
    private final List<Migrations.Migration> applied;

    private Database(Vertx vertx, Pool pool, EmbeddedDatabase embedded, String description,
                     List<Migrations.Migration> applied) {
        this.vertx = vertx;
        this.pool = pool;
        this.embedded = embedded;
        this.description = description;
        this.applied = applied;
    }

    /** Starts the embedded server if there is no URL, opens the pool and migrates the schema. */
    public static Future<Database> start(Vertx vertx, DbConfig config) {
        return start(vertx, config, Migrations.fromClasspath());
    }

    public static Future<Database> start(Vertx vertx, DbConfig config, Migrations migrations) {
        if (!config.isEmbedded()) {
            PgConnectOptions options;
            try {
                options = connectOptions(config);
            } catch (ConfigException e) {
                return Future.failedFuture(e);
            }
            return open(vertx, config, options, null, migrations);
        }
        return vertx.executeBlocking(() -> EmbeddedDatabase.start(config))
            .compose(server -> open(vertx, config, connectOptions(server, config), server, migrations));
    }

    private static Future<Database> open(Vertx vertx, DbConfig config, PgConnectOptions options,
                                         EmbeddedDatabase embedded, Migrations migrations) {
        Pool pool = PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(config.poolSize())
                .setConnectionTimeout(config.connectTimeoutMs()).setConnectionTimeoutUnit(TimeUnit.MILLISECONDS))
            .with(new NetClientOptions().setConnectTimeout(config.connectTimeoutMs()))
            .connectingTo(options)
            .using(vertx)
            .build();
        String description = embedded != null ? embedded.toString()
            : "PostgreSQL at " + options.getHost() + ":" + options.getPort() + "/" + options.getDatabase();
        return migrations.migrate(pool)
            .map(applied -> new Database(vertx, pool, embedded, description, applied))
            .recover(failure -> pool.close()
                .eventually(() -> stop(vertx, embedded))
                .transform(ignored -> Future.<Database>failedFuture(failure)));
    }

    /** The connection options for an external server: the URL, with user and password filled in if it lacks them. */
    static PgConnectOptions connectOptions(DbConfig config) {
        PgConnectOptions options;
        try {
            options = PgConnectOptions.fromUri(config.url());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("db.url = '" + DbConfig.redacted(config.url()) + "' cannot be used: " + e.getMessage());
        }
        if (!hasUserInfo(config.url(), false)) {
            options.setUser(config.user());
        }
        if (!hasUserInfo(config.url(), true)) {
            options.setPassword(passwordOf(config)); // not the client's built-in default
        }
        return options.setCachePreparedStatements(true);
    }

    static PgConnectOptions connectOptions(EmbeddedDatabase server, DbConfig config) {
        return new PgConnectOptions()
            .setHost(server.host())
            .setPort(server.port())
            .setDatabase(server.database())
            .setUser(server.user())
            .setPassword(passwordOf(config))
            .setCachePreparedStatements(true);
    }

    /** The client wants a password; an empty one is none (a server that asks refuses it). */
    private static String passwordOf(DbConfig config) {
        return config.password() == null ? "" : config.password();
    }

    /** Whether the URL carries a user (or, with {@code password}, a password) before its host. */
    private static boolean hasUserInfo(String url, boolean password) {
        int start = url.indexOf("://") + 3;
        int at = url.lastIndexOf('@');
        if (at < start) {
            return false;
        }
        String userInfo = url.substring(start, at);
        int colon = userInfo.indexOf(':');
        return password ? colon >= 0 : colon != 0 && !userInfo.isEmpty();
    }

    public Pool pool() {
        return pool;
    }

    /** The embedded server, when this process started one. */
    public Optional<EmbeddedDatabase> embedded() {
        return Optional.ofNullable(embedded);
    }

    /** The migrations {@link #start} applied (empty when the schema was already current). */
    public List<Migrations.Migration> migrationsApplied() {
        return applied;
    }

    /** Closes the pool, then stops the embedded server if there is one. */
    public Future<Void> close() {
        return pool.close().eventually(() -> stop(vertx, embedded));
    }

    private static Future<Void> stop(Vertx vertx, EmbeddedDatabase embedded) {
        if (embedded == null) {
            return Future.succeededFuture();
        }
        return vertx.executeBlocking(() -> {
            embedded.close();
            return null;
        });
    }

    @Override
    public String toString() {
        return description;
    }
}
