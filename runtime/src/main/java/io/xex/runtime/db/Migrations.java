package io.xex.runtime.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Versioned SQL migrations, {@code db/migration/V<n>__<name>.sql} on the classpath, listed in order in
 * {@value #INDEX} (a classpath folder cannot be listed reliably inside a jar).
 *
 * <p>{@link #migrate} applies each pending migration in its own transaction, which first takes a
 * transaction-scoped advisory lock, so that two processes starting together apply each migration once. Applied
 * migrations are recorded in {@code schema_version} with a SHA-256 of their text; a recorded migration whose
 * text has changed since, a database that has migrations this build does not know, or a pending migration
 * older than an applied one fail with a {@link MigrationException} and change nothing.
 *
 * <p>Immutable; {@link #migrate} completes on the caller's Vert.x context.
 */
public final class Migrations {
    public static final String LOCATION = "db/migration/";
    public static final String INDEX = LOCATION + "index.txt";
    /** The key of the advisory lock that serialises migrators ("xex-migr"). */
    public static final long LOCK_KEY = 0x7865_782d_6d69_6772L;

    private static final Pattern FILE_NAME = Pattern.compile("V([1-9][0-9]{0,8})__([A-Za-z0-9_]+)\\.sql");
    private static final String CREATE_SCHEMA_VERSION = """
        CREATE TABLE IF NOT EXISTS schema_version (
            version    int         PRIMARY KEY,
            name       text        NOT NULL,
            checksum   text        NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now()
        )""";

    /** One migration: its version, its name and its SQL (any number of statements). */
    public record Migration(int version, String name, String sql) {
        public Migration {
            if (version <= 0 || name == null || name.isEmpty() || sql == null) {
                throw new IllegalArgumentException("a migration needs a positive version, a name and SQL");
            }
        }

        public String fileName() {
            return "V" + version + "__" + name + ".sql";
        }

        /** SHA-256 of the SQL in hex; line endings do not count, so a checkout with CRLF matches. */
        public String checksum() {
            try {
                byte[] text = sql.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 is part of every JDK", e);
            }
        }
    }

    private final List<Migration> migrations;

    /** @param migrations in ascending version order, versions unique */
    public Migrations(List<Migration> migrations) {
        for (int i = 1; i < migrations.size(); i++) {
            if (migrations.get(i).version() <= migrations.get(i - 1).version()) {
                throw new IllegalArgumentException("migrations out of order: " + migrations.get(i - 1).fileName()
                    + " before " + migrations.get(i).fileName());
            }
        }
        this.migrations = List.copyOf(migrations);
    }

    /** The migrations listed in {@value #INDEX} on this class's classpath. */
    public static Migrations fromClasspath() {
        return fromClasspath(Migrations.class.getClassLoader());
    }

    public static Migrations fromClasspath(ClassLoader loader) {
        List<Migration> found = new ArrayList<>();
        for (String line : resource(loader, INDEX).split("\n")) {
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            Matcher matcher = FILE_NAME.matcher(entry);
            if (!matcher.matches()) {
                throw new IllegalStateException(INDEX + ": '" + entry + "' is not named V<version>__<name>.sql");
            }
            found.add(new Migration(Integer.parseInt(matcher.group(1)), matcher.group(2), resource(loader, LOCATION + entry)));
        }
        return new Migrations(found);
    }

    public List<Migration> all() {
        return migrations;
    }

    /** Brings the schema up to date; the future holds the migrations this call applied, in order. */
    public Future<List<Migration>> migrate(Pool pool) {
        List<Migration> applied = new ArrayList<>();
        return applyPending(pool, applied).map(v -> List.copyOf(applied));
    }

    private Future<Void> applyPending(Pool pool, List<Migration> applied) {
        return pool.withTransaction(this::applyNext).compose(next -> {
            if (next.isEmpty()) {
                return Future.succeededFuture();
            }
            applied.add(next.get());
            return applyPending(pool, applied);
        });
    }

    /** In one transaction: lock, check what is recorded, apply the first pending migration if any. */
    private Future<Optional<Migration>> applyNext(SqlConnection connection) {
        return connection.preparedQuery("SELECT 1 FROM pg_advisory_xact_lock($1)").execute(Tuple.of(LOCK_KEY))
            .compose(r -> connection.query("SET LOCAL client_min_messages = warning").execute())
            .compose(r -> connection.query(CREATE_SCHEMA_VERSION).execute())
            .compose(r -> connection.query("SELECT version, name, checksum FROM schema_version ORDER BY version").execute())
            .compose(rows -> {
                NavigableMap<Integer, Row> recorded = new TreeMap<>();
                rows.forEach(row -> recorded.put(row.getInteger("version"), row));
                Optional<Migration> next;
                try {
                    next = firstPending(recorded);
                } catch (MigrationException e) {
                    return Future.failedFuture(e);
                }
                if (next.isEmpty()) {
                    return Future.succeededFuture(next);
                }
                Migration migration = next.get();
                return connection.query(migration.sql()).execute()
                    .recover(e -> Future.failedFuture(new MigrationException("migration " + migration.fileName()
                        + " failed, nothing of it was applied: " + e.getMessage(), e)))
                    .compose(r -> connection.preparedQuery("INSERT INTO schema_version (version, name, checksum) VALUES ($1, $2, $3)")
                        .execute(Tuple.of(migration.version(), migration.name(), migration.checksum())))
                    .map(r -> next);
            });
    }

    private Optional<Migration> firstPending(NavigableMap<Integer, Row> recorded) {
        Map<Integer, Migration> known = new TreeMap<>();
        migrations.forEach(m -> known.put(m.version(), m));
        for (Row row : recorded.values()) {
            int version = row.getInteger("version");
            Migration migration = known.get(version);
            if (migration == null) {
                throw new MigrationException("the database has migration V" + version + "__" + row.getString("name")
                    + ", which this build does not know: it was written by a newer xex; run that version or a newer one");
            }
            if (!migration.checksum().equals(row.getString("checksum"))) {
                throw new MigrationException("migration " + migration.fileName() + " was changed after it was applied"
                    + " (checksum in the database " + row.getString("checksum") + ", in this build " + migration.checksum()
                    + "): restore the applied text and put the change in a new migration");
            }
        }
        int highestApplied = recorded.isEmpty() ? 0 : recorded.lastKey();
        for (Migration migration : migrations) {
            if (!recorded.containsKey(migration.version())) {
                if (migration.version() < highestApplied) {
                    throw new MigrationException("migration " + migration.fileName() + " is pending but V" + highestApplied
                        + " is already applied; give it a version above " + highestApplied);
                }
                return Optional.of(migration);
            }
        }
        return Optional.empty();
    }

    private static String resource(ClassLoader loader, String name) {
        try (InputStream in = loader.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + name + " from the classpath", e);
        }
    }
}
