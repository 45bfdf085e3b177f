package io.xex.runtime.db;

import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.xex.runtime.db.TestDatabase.await;
import static io.xex.runtime.db.TestDatabase.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DatabaseIT {
    @TempDir
    static Path folder;
    private static Vertx vertx;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() {
        await(vertx.close());
    }

    @Test
    void theEmbeddedDatabaseIsMigratedOnceAndKeepsItsPortAndData() {
        DbConfig config = DbConfig.embedded(folder.resolve("pg"));
        Database first = await(Database.start(vertx, config), TestDatabase.START_TIMEOUT_SECONDS);
        int port = first.embedded().orElseThrow().port();
        assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8), first.migrationsApplied().stream().map(Migrations.Migration::version).toList());
        await(first.pool().query("INSERT INTO history_cursor VALUES (1, 42)").execute());
        await(first.close(), TestDatabase.START_TIMEOUT_SECONDS);

        Database second = await(Database.start(vertx, config), TestDatabase.START_TIMEOUT_SECONDS);
        try {
            assertEquals(List.of(), second.migrationsApplied());
            assertEquals(port, second.embedded().orElseThrow().port());
            assertEquals(42L, await(second.pool().query("SELECT seq FROM history_cursor").execute()).iterator().next().getLong(0));
        } finally {
            await(second.close(), TestDatabase.START_TIMEOUT_SECONDS);
        }
    }

    @Test
    void anUnreachableExternalServerFailsTheStart() {
        DbConfig config = DbConfig.external("postgresql://xex@127.0.0.1:1/xex");

        Throwable failure = awaitFailure(Database.start(vertx, config));

        assertInstanceOf(ConnectException.class, failure, failure.toString());
    }
}
