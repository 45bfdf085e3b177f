package io.xex.runtime.db;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EmbeddedDatabaseIT {
    private static final long CHILD_READY_SECONDS = 90;

    @TempDir
    Path folder;

    private Process child;

    @AfterEach
    void stopLeftovers() throws Exception {
        if (child != null) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
        // a failed test must not leave a server running on a folder JUnit is about to delete
        postmaster(folder.resolve("pg")).ifPresent(server -> {
            server.destroy();
            server.onExit().orTimeout(15, TimeUnit.SECONDS).join();
        });
    }

    @Test
    void dataSurvivesStopAndStartOnTheSamePort() throws Exception {
        Path dir = folder.resolve("pg");
        int port;
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dir, 0, "xex", "xex")) {
            port = database.port();
            assertEquals(List.of("on", "on"), query(database, "SELECT current_setting('fsync'), current_setting('synchronous_commit')"));
            assertEquals(List.of("xex", "xex"), query(database, "SELECT current_user, current_database()"));
            execute(database, "CREATE TABLE kept (id int PRIMARY KEY, note text)",
                "INSERT INTO kept VALUES (7, 'before the restart')");
        }
        assertFalse(Files.exists(dir.resolve(EmbeddedDatabase.POSTMASTER_PID_FILE)), "stopped cleanly");
        assertEquals(port + "\n", Files.readString(dir.resolve(EmbeddedDatabase.PORT_FILE)));
        assertTrue(Files.exists(folder.resolve("pg.log")), "the server's log sits beside its folder");

        try (EmbeddedDatabase database = EmbeddedDatabase.start(dir, 0, "xex", "xex")) {
            assertEquals(port, database.port(), "a free recorded port is reused");
            assertEquals(0, database.stalePostmasterStopped());
            assertEquals(List.of("before the restart"), query(database, "SELECT note FROM kept WHERE id = 7"));
        }
    }

    @Test
    void aFolderInUseByThisProcessIsRefused() throws Exception {
        Path dir = folder.resolve("pg");
        try (EmbeddedDatabase database = EmbeddedDatabase.start(dir, 0, "xex", "xex")) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> EmbeddedDatabase.start(dir, 0, "xex", "xex"));
            assertTrue(refused.getMessage().contains("already in use by this process"), refused.getMessage());
            assertEquals(List.of("1"), query(database, "SELECT 1"));
        }
    }

    @Test
    void aFolderThatIsNotADatabaseIsRefusedWithTheServersReason() throws Exception {
        Path dir = Files.createDirectories(folder.resolve("pg"));
        Files.writeString(dir.resolve("notes.txt"), "not a database");

        IOException refused = assertThrows(IOException.class, () -> EmbeddedDatabase.start(dir, 0, "xex", "xex"));

        assertTrue(refused.getMessage().contains("exists but is not empty"), refused.getMessage());
    }

    @Test
    void aFixedPortThatIsTakenIsRefused() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> EmbeddedDatabase.start(folder.resolve("pg"), taken.getLocalPort(), "xex", "xex"));
            assertTrue(refused.getMessage().contains("port " + taken.getLocalPort() + " is already in use"), refused.getMessage());
        }
    }

    @Test
    void aServerLeftRunningByAKilledOwnerIsStoppedAndItsDataKept() throws Exception {
        Path dir = folder.resolve("pg");
        String java = ProcessHandle.current().info().command().orElseThrow();
        child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
            EmbeddedDatabaseOwnerProcess.class.getName(), dir.toString())
            .redirectErrorStream(true)
            .start();
        int childPort = Integer.parseInt(readyLine(child).substring("ready ".length()));
        ProcessHandle orphan = postmaster(dir).orElseThrow();

        child.destroyForcibly(); // SIGKILL: no shutdown hook runs, the server is orphaned
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        assertTrue(orphan.isAlive(), "the server outlives its killed owner");

        try (EmbeddedDatabase database = EmbeddedDatabase.start(dir, 0, "xex", "xex")) {
            assertEquals(orphan.pid(), database.stalePostmasterStopped());
            assertFalse(orphan.isAlive());
            assertEquals(childPort, database.port(), "the port is free again once the orphan is gone");
            assertEquals(List.of("written by the killed owner"), query(database, "SELECT note FROM survivor WHERE id = 1"));
        }
    }

    /** The child's {@code ready <port>} line, skipping anything else it prints; bounded. */
    private static String readyLine(Process process) throws Exception {
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
                StringBuilder seen = new StringBuilder();
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.startsWith("ready ")) {
                        return line;
                    }
                    seen.append(line).append('\n');
                }
                throw new IllegalStateException("the owner process ended without becoming ready:\n" + seen);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return ready.get(CHILD_READY_SECONDS, TimeUnit.SECONDS);
    }

    private static Optional<ProcessHandle> postmaster(Path dir) throws IOException {
        Path pidFile = dir.resolve(EmbeddedDatabase.POSTMASTER_PID_FILE);
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        long pid = Long.parseLong(Files.readAllLines(pidFile).getFirst().trim());
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    }

    private static List<String> query(EmbeddedDatabase database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                for (int i = 1; i <= rows.getMetaData().getColumnCount(); i++) {
                    values.add(rows.getString(i));
                }
            }
            return values;
        }
    }

    private static void execute(EmbeddedDatabase database, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl());
             Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }
}
