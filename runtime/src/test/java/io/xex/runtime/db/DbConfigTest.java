package io.xex.runtime.db;

import io.vertx.pgclient.PgConnectOptions;
import io.xex.runtime.config.ConfigException;
import io.xex.runtime.config.ConfigSource;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DbConfigTest {
    @Test
    void theBuiltInDefaultsAreAnEmbeddedDatabase() {
        DbConfig config = DbConfig.from(ConfigSource.load(null, Map.of()));

        assertTrue(config.isEmbedded());
        assertEquals(DbConfig.DEFAULT_EMBEDDED_DATA_DIR, config.embeddedDataDir());
        assertEquals(DbConfig.DEFAULT_EMBEDDED_PORT, config.embeddedPort());
        assertEquals(DbConfig.DEFAULT_POOL_SIZE, config.poolSize());
        assertEquals(DbConfig.DEFAULT_CONNECT_TIMEOUT_MS, config.connectTimeoutMs());
        assertEquals(DbConfig.DEFAULT_USER, config.user());
    }

    @Test
    void theEnvironmentSelectsAnExternalServer() {
        DbConfig config = DbConfig.from(ConfigSource.load(null, Map.of("XEX_DB_URL", "postgresql://db.example:5433/trading",
            "XEX_DB_POOL_SIZE", "8")));

        assertFalse(config.isEmbedded());
        assertEquals(8, config.poolSize());
    }

    @Test
    void badValuesFailFast() {
        assertThrows(ConfigException.class, () -> DbConfig.external("mysql://db.example/xex"));
        assertThrows(ConfigException.class, () -> DbConfig.external("postgresql:///xex"));
        assertThrows(ConfigException.class, () -> DbConfig.external("postgresql://db.example:5432"));
        assertThrows(ConfigException.class, () -> DbConfig.embedded(Path.of("x")).withPoolSize(0));
        assertThrows(ConfigException.class, () -> DbConfig.embedded(Path.of("x")).withEmbeddedPort(70_000));
        assertThrows(ConfigException.class, () -> new DbConfig(null, " ", null, Path.of("x"), 0, 4, 1000));
    }

    @Test
    void thePasswordNeverShows() {
        DbConfig config = DbConfig.external("postgresql://xex:s3cret@db.example:5432/xex");

        assertFalse(config.toString().contains("s3cret"), config.toString());
        assertTrue(config.toString().contains("postgresql://xex:***@db.example:5432/xex"), config.toString());
    }

    @Test
    void credentialsInTheUrlWinAndTheConfigFillsIn() {
        PgConnectOptions full = Database.connectOptions(DbConfig.external("postgresql://alice:s3cret@db.example:5433/trading"));
        assertEquals("alice", full.getUser());
        assertEquals("s3cret", full.getPassword());
        assertEquals("db.example", full.getHost());
        assertEquals(5433, full.getPort());
        assertEquals("trading", full.getDatabase());

        PgConnectOptions bare = Database.connectOptions(DbConfig.external("postgres://db.example/trading"));
        assertEquals(DbConfig.DEFAULT_USER, bare.getUser());
        assertEquals(DbConfig.DEFAULT_PASSWORD, bare.getPassword());

        PgConnectOptions userOnly = Database.connectOptions(new DbConfig("postgresql://bob@db.example/trading", "xex", null,
            DbConfig.DEFAULT_EMBEDDED_DATA_DIR, 0, 4, 1000));
        assertEquals("bob", userOnly.getUser());
        assertEquals("", userOnly.getPassword());
    }
}
