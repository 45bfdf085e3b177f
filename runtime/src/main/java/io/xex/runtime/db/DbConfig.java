package io.xex.runtime.db;

import io.xex.runtime.config.ConfigException;
import io.xex.runtime.config.ConfigSource;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Where the PostgreSQL is and how to reach it.
 *
 * <p>With a {@code url} ({@code postgresql://user:password@host:port/database}) the process uses that external
 * server; credentials written in the URL win over {@code user} and {@code password}, which fill in what the URL
 * leaves out. Without one it starts an {@link EmbeddedDatabase} whose data lives in {@code embeddedDataDir}
 * (relative paths are resolved against the working directory) and creates {@code user} there on first start.
 *
 * @param url              an external server, or {@code null} for the embedded one
 * @param user             the login role; never blank
 * @param password         its password, or {@code null} for none (the embedded server trusts loopback logins)
 * @param embeddedDataDir  the embedded server's data folder, kept across restarts
 * @param embeddedPort     the embedded server's loopback port; 0 picks one, and keeps it across restarts of the
 *                         same data folder while it is free
 * @param poolSize         connections in the pool
 * @param connectTimeoutMs bound on opening a connection, and on waiting for a free one from the pool
 */
public record DbConfig(String url, String user, String password, Path embeddedDataDir, int embeddedPort,
                       int poolSize, int connectTimeoutMs) {
    public static final Path DEFAULT_EMBEDDED_DATA_DIR = Path.of("xex-data", "postgres");
    public static final int DEFAULT_EMBEDDED_PORT = 0;
    public static final String DEFAULT_USER = "xex";
    public static final String DEFAULT_PASSWORD = "xex";
    public static final int DEFAULT_POOL_SIZE = 4;
    public static final int MAX_POOL_SIZE = 256;
    public static final int DEFAULT_CONNECT_TIMEOUT_MS = 5_000;

    public DbConfig {
        if (url != null) {
            validateUrl(url);
        }
        if (user == null || user.isBlank()) {
            throw new ConfigException("db.user must not be empty");
        }
        if (embeddedDataDir == null) {
            throw new ConfigException("db.embedded.dir must be set");
        }
        if (embeddedPort < 0 || embeddedPort > 65_535) {
            throw new ConfigException("db.embedded.port = " + embeddedPort + " is not a port in 0..65535");
        }
        if (poolSize < 1 || poolSize > MAX_POOL_SIZE) {
            throw new ConfigException("db.pool.size = " + poolSize + " is not in 1.." + MAX_POOL_SIZE);
        }
        if (connectTimeoutMs <= 0) {
            throw new ConfigException("db.connectTimeoutMs = " + connectTimeoutMs + " must be positive");
        }
    }

    /** An embedded server in {@code dataDir} with every other setting at its default. */
    public static DbConfig embedded(Path dataDir) {
        return new DbConfig(null, DEFAULT_USER, DEFAULT_PASSWORD, dataDir, DEFAULT_EMBEDDED_PORT, DEFAULT_POOL_SIZE,
            DEFAULT_CONNECT_TIMEOUT_MS);
    }

    /** The external server at {@code url} with every other setting at its default. */
    public static DbConfig external(String url) {
        return new DbConfig(url, DEFAULT_USER, DEFAULT_PASSWORD, DEFAULT_EMBEDDED_DATA_DIR, DEFAULT_EMBEDDED_PORT,
            DEFAULT_POOL_SIZE, DEFAULT_CONNECT_TIMEOUT_MS);
    }

    /** The {@code db.*} keys. */
    public static DbConfig from(ConfigSource config) {
        String dir = config.string("db.embedded.dir");
        Path dataDir;
        try {
            dataDir = Path.of(dir);
        } catch (InvalidPathException e) {
            throw config.invalid("db.embedded.dir", dir, "a folder path");
        }
        return new DbConfig(config.optionalString("db.url"), config.string("db.user"),
            config.optionalString("db.password"), dataDir, config.intValue("db.embedded.port", 0, 65_535),
            config.intValue("db.pool.size", 1, MAX_POOL_SIZE), config.intValue("db.connectTimeoutMs", 1, 3_600_000));
    }

    public boolean isEmbedded() {
        return url == null;
    }

    public DbConfig withPoolSize(int size) {
        return new DbConfig(url, user, password, embeddedDataDir, embeddedPort, size, connectTimeoutMs);
    }

    public DbConfig withEmbeddedPort(int port) {
        return new DbConfig(url, user, password, embeddedDataDir, port, poolSize, connectTimeoutMs);
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "DbConfig[" + (url == null ? "embedded in " + embeddedDataDir + (embeddedPort == 0 ? "" : " on port " + embeddedPort)
            : "url=" + redacted(url)) + ", user=" + user + ", poolSize=" + poolSize + ", connectTimeoutMs=" + connectTimeoutMs + "]";
    }

    private static void validateUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigException("db.url = '" + redacted(url) + "' is not a URL: " + e.getReason());
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw new ConfigException("db.url = '" + redacted(url)
                + "' must start with postgresql:// (for example postgresql://xex:secret@db.example:5432/xex)");
        }
        if (uri.getHost() == null) {
            throw new ConfigException("db.url = '" + redacted(url) + "' names no host");
        }
        if (uri.getPath() == null || uri.getPath().length() <= 1) {
            throw new ConfigException("db.url = '" + redacted(url) + "' names no database (postgresql://host:port/database)");
        }
    }

    /** {@code url} without the password it may carry. */
    static String redacted(String url) {
        int scheme = url.indexOf("://");
        int at = url.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return url;
        }
        int colon = url.indexOf(':', scheme + 3);
        return colon >= 0 && colon < at ? url.substring(0, colon) + ":***" + url.substring(at) : url;
    }
}
