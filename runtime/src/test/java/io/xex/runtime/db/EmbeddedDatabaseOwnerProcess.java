package io.xex.runtime.db;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/**
 * Run in a child JVM by {@link EmbeddedDatabaseIT}: owns the embedded database in {@code args[0]}, commits one
 * row, prints {@code ready <port>} and waits until its stdin closes or it is killed.
 */
public final class EmbeddedDatabaseOwnerProcess {
    private EmbeddedDatabaseOwnerProcess() {
    }

    public static void main(String[] args) throws Exception {
        try (EmbeddedDatabase database = EmbeddedDatabase.start(Path.of(args[0]), 0, "xex", "xex");
             Connection connection = DriverManager.getConnection(database.jdbcUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS survivor (id int PRIMARY KEY, note text)");
            statement.execute("INSERT INTO survivor VALUES (1, 'written by the killed owner')");
            System.out.println("ready " + database.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // until the test closes our stdin, or kills us
            }
        }
    }
}
