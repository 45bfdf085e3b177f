package io.xex.runtime.db;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MigrationsTest {
    @Test
    void theIndexListsEveryMigrationInOrder() {
        List<Migrations.Migration> all = Migrations.fromClasspath().all();

        assertEquals(List.of("V1__initial.sql", "V2__api_keys.sql", "V3__execution_reports.sql",
            "V4__binary_sessions.sql", "V5__settlement.sql", "V6__deposits.sql", "V7__settlement_multipliers.sql",
            "V8__issuer.sql"),
            all.stream().map(Migrations.Migration::fileName).toList());
        assertTrue(all.getFirst().sql().contains("CREATE TABLE journal"));
        assertEquals(64, all.getFirst().checksum().length());
    }

    @Test
    void theChecksumIgnoresLineEndingsButNotText() {
        Migrations.Migration unix = new Migrations.Migration(1, "a", "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n");
        Migrations.Migration windows = new Migrations.Migration(1, "a", "CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n");
        Migrations.Migration edited = new Migrations.Migration(1, "a", "CREATE TABLE a (id bigint);\nCREATE TABLE b (id int);\n");

        assertEquals(unix.checksum(), windows.checksum());
        assertNotEquals(unix.checksum(), edited.checksum());
    }

    @Test
    void versionsMustAscend() {
        Migrations.Migration one = new Migrations.Migration(1, "a", "SELECT 1");
        Migrations.Migration two = new Migrations.Migration(2, "b", "SELECT 2");

        assertThrows(IllegalArgumentException.class, () -> new Migrations(List.of(two, one)));
        assertThrows(IllegalArgumentException.class, () -> new Migrations(List.of(one, one)));
    }
}
