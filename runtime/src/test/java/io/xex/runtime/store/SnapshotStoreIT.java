package io.xex.runtime.store;

import io.xex.runtime.db.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.xex.runtime.db.TestDatabase.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SnapshotStoreIT {
    @TempDir
    static Path folder;
    private static TestDatabase database;
    private static SnapshotStore snapshots;

    @BeforeAll
    static void start() {
        database = TestDatabase.start(folder.resolve("pg"));
        snapshots = new SnapshotStore(database.pool());
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @BeforeEach
    void noSnapshots() {
        database.query("TRUNCATE snapshot");
    }

    @Test
    void theNewestAtOrBelowASequenceIsFound() {
        assertEquals(Optional.empty(), await(snapshots.latestAtOrBelow(Long.MAX_VALUE)));
        await(snapshots.save(100, 1_000, 0xABCDEFL, new byte[] {1, 2, 3}));
        await(snapshots.save(200, 2_000, -5L, new byte[] {4}));

        StoredSnapshot newest = await(snapshots.latestAtOrBelow(Long.MAX_VALUE)).orElseThrow();
        assertEquals(200, newest.sequence());
        assertEquals(2_000, newest.timestampNs());
        assertEquals(-5L, newest.stateHash());
        assertArrayEquals(new byte[] {4}, newest.state());
        assertEquals(100, await(snapshots.latestAtOrBelow(199)).orElseThrow().sequence());
        assertEquals(200, await(snapshots.latestAtOrBelow(200)).orElseThrow().sequence());
        assertEquals(Optional.empty(), await(snapshots.latestAtOrBelow(99)));
    }

    @Test
    void savingASequenceAgainKeepsTheFirstCopy() {
        await(snapshots.save(100, 1_000, 7, new byte[] {1}));
        await(snapshots.save(100, 9_999, 8, new byte[] {2}));

        StoredSnapshot kept = await(snapshots.latestAtOrBelow(100)).orElseThrow();
        assertEquals(7, kept.stateHash());
        assertArrayEquals(new byte[] {1}, kept.state());
    }

    @Test
    void keepNewestDeletesTheOlderOnes() {
        for (long seq = 1; seq <= 5; seq++) {
            await(snapshots.save(seq * 10, seq, seq, new byte[] {(byte) seq}));
        }

        await(snapshots.keepNewest(10));
        assertEquals(List.of("10", "20", "30", "40", "50"), sequences());
        await(snapshots.keepNewest(2));
        assertEquals(List.of("40", "50"), sequences());
        await(snapshots.keepNewest(1));
        assertEquals(List.of("50"), sequences());
    }

    private static List<String> sequences() {
        return database.query("SELECT seq::text FROM snapshot ORDER BY seq").stream().map(row -> row.getString(0)).toList();
    }
}
