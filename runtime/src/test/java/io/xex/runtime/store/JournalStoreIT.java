package io.xex.runtime.store;

import io.vertx.pgclient.PgException;
import io.xex.runtime.db.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.xex.runtime.db.TestDatabase.await;
import static io.xex.runtime.db.TestDatabase.awaitFailure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JournalStoreIT {
    @TempDir
    static Path folder;
    private static TestDatabase database;
    private static JournalStore journal;

    @BeforeAll
    static void start() {
        database = TestDatabase.start(folder.resolve("pg"));
        journal = new JournalStore(database.pool());
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @BeforeEach
    void emptyJournal() {
        database.query("TRUNCATE journal");
    }

    @Test
    void appendedEntriesReadBackInOrder() {
        assertEquals(0L, await(journal.lastSequence()));

        await(journal.append(new long[] {1, 2, 3, 99}, new long[] {100, 200, 300, 9900},
            new byte[][] {bytes("one"), bytes("two"), bytes("three"), bytes("not written")}, 3));
        await(journal.append(new long[] {4}, new long[] {400}, new byte[][] {new byte[0]}, 1));

        assertEquals(4L, await(journal.lastSequence()));
        List<JournalEntry> all = await(journal.read(1, 100));
        assertEquals(List.of(1L, 2L, 3L, 4L), all.stream().map(JournalEntry::sequence).toList());
        assertEquals(List.of(100L, 200L, 300L, 400L), all.stream().map(JournalEntry::timestampNs).toList());
        assertArrayEquals(bytes("two"), all.get(1).command());
        assertArrayEquals(new byte[0], all.get(3).command());
        assertEquals(List.of(2L, 3L), await(journal.read(2, 2)).stream().map(JournalEntry::sequence).toList());
        assertEquals(List.of(), await(journal.read(5, 10)));
    }

    @Test
    void aBatchWrittenAgainIsTakenAsWrittenAndKeepsTheFirstCopy() {
        long[] sequences = {10, 11, 12};
        long[] timestamps = {1, 2, 3};
        await(journal.append(sequences, timestamps, new byte[][] {bytes("a"), bytes("b"), bytes("c")}, 3));

        // a retry after a lost answer: a duplicate key, and the whole range is there, so it counts as written
        await(journal.append(sequences, new long[] {7, 8, 9}, new byte[][] {bytes("x"), bytes("y"), bytes("z")}, 3));

        List<JournalEntry> all = await(journal.read(0, 100));
        assertEquals(List.of("a", "b", "c"), all.stream().map(e -> new String(e.command(), StandardCharsets.UTF_8)).toList());
        assertEquals(List.of(1L, 2L, 3L), all.stream().map(JournalEntry::timestampNs).toList());
    }

    @Test
    void aBatchThatOnlyPartlyOverlapsTheJournalFailsAndWritesNothing() {
        await(journal.append(new long[] {10, 11, 12}, new long[] {1, 2, 3}, new byte[][] {bytes("a"), bytes("b"), bytes("c")}, 3));

        Throwable failure = awaitFailure(journal.append(new long[] {12, 13}, new long[] {3, 4},
            new byte[][] {bytes("c"), bytes("d")}, 2));

        assertEquals("23505", ((PgException) failure).getSqlState(), "unique violation");
        assertEquals(12L, await(journal.lastSequence()));
    }

    @Test
    void deleteAfterRemovesTheEntriesAfterASequence() {
        await(journal.append(new long[] {1, 2, 4, 5}, new long[] {1, 2, 4, 5},
            new byte[][] {bytes("a"), bytes("b"), bytes("d"), bytes("e")}, 4));
        assertEquals(2L, await(journal.deleteAfter(2)));
        assertEquals(List.of(1L, 2L), await(journal.read(0, 100)).stream().map(JournalEntry::sequence).toList());
    }

    @Test
    void aFailingBatchWritesNothing() {
        await(journal.append(new long[] {1}, new long[] {1}, new byte[][] {bytes("kept")}, 1));

        Throwable failure = awaitFailure(journal.append(new long[] {2, 3, 4}, new long[] {2, 3, 4},
            new byte[][] {bytes("two"), null, bytes("four")}, 3));

        assertInstanceOf(PgException.class, failure);
        assertEquals("23502", ((PgException) failure).getSqlState(), "not-null violation");
        assertEquals(1L, await(journal.lastSequence()));
        assertEquals(List.of(1L), await(journal.read(0, 100)).stream().map(JournalEntry::sequence).toList());
    }

    @Test
    void aGroupCommitSizedBatchIsOneCall() {
        int n = 4096;
        long[] sequences = new long[n];
        long[] timestamps = new long[n];
        byte[][] commands = new byte[n][];
        for (int i = 0; i < n; i++) {
            sequences[i] = i + 1;
            timestamps[i] = 1_000L * i;
            commands[i] = new byte[64];
            commands[i][0] = (byte) i;
        }

        await(journal.append(sequences, timestamps, commands, n));

        assertEquals((long) n, await(journal.lastSequence()));
        List<JournalEntry> tail = await(journal.read(n - 1, 10));
        assertEquals(2, tail.size());
        assertArrayEquals(commands[n - 1], tail.get(1).command());
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
