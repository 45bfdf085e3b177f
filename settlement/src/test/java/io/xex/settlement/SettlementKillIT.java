package io.xex.settlement;

import io.vertx.sqlclient.Row;
import io.xex.runtime.Venue;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.db.TestDatabase;
import io.xex.settlement.SettlementFaults.Point;
import io.xex.settlement.chain.SettlementVault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The settlement process killed with SIGKILL at each of the three moments of a batch's way to the chain
 * ({@link SettlementFaults.Point}): after recording it OPEN and before sending it; after broadcasting it and before
 * its receipt exists; after its receipt is deep enough and before storing it CONFIRMED.
 *
 * <p>The venue runs in a child JVM ({@link FaultPointVenue}) on a PostgreSQL and an anvil chain this test owns, so
 * that both outlive it, as in production. The child trades, and blocks at the chosen point when the first batch
 * reaches it; the test sees its marker on stdout, kills it with SIGKILL, checks that the database and the chain are
 * in the state that point promises, and starts the venue again (in this JVM, without the hook) on the same
 * database and chain, where it trades one more round. Each test ends with every batch CONFIRMED, exactly one
 * {@code BatchSettled} per batch id, carried by the transaction whose hash the batch stored, the vault's
 * {@code lastBatchId} equal to the last batch, and every vault balance equal to the recovered engine's.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SettlementKillIT extends AnvilVenueFixture {
    private static final long CHILD_TIMEOUT_SECONDS = 60;
    private static final Pattern MARKER = Pattern.compile(FaultPointVenue.MARKER + " (\\w+) batch (\\d+)");
    /** SIGKILL's exit status as {@link Process#exitValue} reports it: 128 + 9. */
    private static final int KILLED_BY_SIGKILL = 137;

    private TestDatabase database;
    private Child child;

    /** One row of {@code settlement_batches}. */
    record StoredBatch(long batchId, String status, String txHash) {
    }

    /**
     * The batch the child stopped at, its row as the killed process left it, and what had reached the chain when it
     * died.
     *
     * @param batchesSent    how many batches the node had (in its pool or mined) when the child died: up to the
     *                       killed one, and with pipelining maybe one or more behind it
     * @param sentByOperator the operator key's next nonce then
     */
    record Killed(long batchId, StoredBatch row, long batchesSent, long sentByOperator) {
    }

    @BeforeEach
    void startDatabase() {
        database = TestDatabase.start(dir.resolve("pg"));
    }

    @AfterEach
    void stopChildAndDatabase() throws Exception {
        try {
            if (child != null && child.process.isAlive()) {
                child.process.destroyForcibly();
                child.process.onExit().get(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            }
        } finally {
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    void killedAfterRecordingABatchTheNextRunSendsItOnce() throws Exception {
        Killed killed = killAt(Point.AFTER_RECORD);

        assertEquals("OPEN", killed.row().status(), "recorded, never signed");
        assertNull(killed.row().txHash());
        assertEquals(killed.batchId() - 1, vault.lastBatchId(), "nothing of it sent");

        restartAndSettleEverything(killed, () -> {
        });
    }

    @Test
    void killedAfterBroadcastingBeforeTheReceiptTheSameTransactionIsConfirmedOnce() throws Exception {
        anvil.rpc("evm_setAutomine", false);
        Killed killed = killAt(Point.AFTER_BROADCAST);

        assertEquals("SUBMITTED", killed.row().status());
        assertNotNull(killed.row().txHash());
        assertTrue(operator.knows(killed.row().txHash()), "the node has the transaction");
        assertEquals(Optional.empty(), operator.receipt(killed.row().txHash()), "not mined: no receipt yet");
        assertEquals(killed.batchId() - 1, vault.lastBatchId());

        restartAndSettleEverything(killed, () -> {
            StoredBatch pending = row(killed.batchId());
            assertEquals("SUBMITTED", pending.status(), "not confirmed while its transaction is only in the pool");
            assertEquals(killed.row().txHash(), pending.txHash(), "not signed again");
            // Pipelined: the next batch may be sent behind it (the next nonce), but never confirmed before it.
            String next = row(killed.batchId() + 1).status();
            assertTrue(next.equals("OPEN") || next.equals("SUBMITTED"), "the next batch waits behind it: " + next);
            assertEquals(killed.batchId() - 1, vault.lastBatchId());
            anvil.rpc("evm_setAutomine", true);
            anvil.mine();
        });
    }

    @Test
    void killedAfterTheReceiptBeforeStoringItConfirmedItIsConfirmedWithoutSendingAgain() throws Exception {
        Killed killed = killAt(Point.AFTER_RECEIPT);

        assertEquals("SUBMITTED", killed.row().status(), "not yet CONFIRMED");
        TransactionReceipt receipt = operator.receipt(killed.row().txHash()).orElseThrow();
        assertTrue(receipt.isStatusOK());
        // Pipelined: a later batch may have been sent and settled behind it before the kill.
        assertTrue(vault.settledBatch(killed.batchId(), operator.blockNumber()), "settled on chain");
        assertTrue(vault.lastBatchId() >= killed.batchId());

        restartAndSettleEverything(killed, () -> {
        });
        assertEquals(killed.row().txHash(), row(killed.batchId()).txHash(), "not sent again");
    }

    /**
     * Starts the child venue stopping at {@code point}, waits for its marker, kills it with SIGKILL and waits for it
     * to be gone; returns the batch it stopped at as the database holds it.
     */
    private Killed killAt(Point point) throws Exception {
        child = Child.start(dir, childEnvironment(), point);
        Matcher marker = child.awaitMarker();
        assertEquals(point.name(), marker.group(1));
        long batchId = Long.parseLong(marker.group(2));
        assertEquals(1, batchId, "the first batch reaches the point first");

        child.process.destroyForcibly(); // SIGKILL on Linux
        int exit = child.process.onExit().get(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS).exitValue();
        assertEquals(KILLED_BY_SIGKILL, exit, "killed by SIGKILL");
        long sent = 0;
        for (StoredBatch batch : batches()) {
            if (batch.txHash() != null && operator.knows(batch.txHash())) {
                sent++;
            }
        }
        return new Killed(batchId, row(batchId), sent, operator.pendingNonce().longValueExact());
    }

    /**
     * The venue again, in this JVM and without a hook, on the database and chain the killed one left, trading one
     * more round; {@code whileBatchesWait} runs once a batch after the killed one is recorded. Then every batch must
     * be settled exactly once.
     */
    private void restartAndSettleEverything(Killed killed, ChainStep whileBatchesWait) throws Exception {
        ConfigSource config = ConfigSource.load(null, childEnvironment());
        SettlementComponent settlement = SettlementComponent.from(config);
        Venue venue = await(Venue.start(config, List.of(settlement)));
        try {
            long last = trade(venue, 1);
            awaitTrue("a batch recorded after the restart", () -> batches().size() > killed.batchId());
            whileBatchesWait.run();
            awaitTrue("every result in a confirmed batch", () -> settlement.verticle().confirmedThrough() >= last);

            List<StoredBatch> batches = batches();
            List<SettlementVault.BatchSettledEvent> settled =
                vault.batchesSettled(BigInteger.ZERO, operator.blockNumber());
            assertEquals(batches.size(), settled.size(), "one BatchSettled per batch");
            for (int i = 0; i < batches.size(); i++) {
                StoredBatch batch = batches.get(i);
                assertEquals(i + 1, batch.batchId());
                assertEquals("CONFIRMED", batch.status(), batch.toString());
                assertEquals(i + 1, settled.get(i).batchId());
                assertEquals(batch.txHash(), settled.get(i).position().transactionHash(),
                    "batch " + batch.batchId() + " settled by the transaction it stored");
            }
            assertEquals(batches.size(), vault.lastBatchId());
            assertEquals(batches.size() - killed.batchesSent(),
                operator.minedNonce().longValueExact() - killed.sentByOperator(),
                "one transaction since the kill for each batch not sent before it, none for the others");
            assertBalancesEqual(venue, settlement.config());
        } finally {
            await(venue.stop());
        }
    }

    /** The fixture's settings on the test's database rather than an embedded one of the venue's own. */
    private Map<String, String> childEnvironment() {
        Map<String, String> env = environment(anvil.rpcUrl(), 1);
        env.remove("XEX_DB_EMBEDDED_DIR");
        env.put("XEX_DB_URL", "postgresql://xex:xex@" + database.embedded().host() + ":" + database.embedded().port()
            + "/" + database.embedded().database());
        return env;
    }

    private List<StoredBatch> batches() {
        List<StoredBatch> batches = new ArrayList<>();
        for (Row row : database.query("SELECT batch_id, status, tx_hash FROM settlement_batches ORDER BY batch_id")) {
            batches.add(new StoredBatch(row.getLong(0), row.getString(1), row.getString(2)));
        }
        return batches;
    }

    private StoredBatch row(long batchId) {
        return batches().stream().filter(batch -> batch.batchId() == batchId).findFirst()
            .orElseThrow(() -> new AssertionError("no batch " + batchId + " in settlement_batches"));
    }

    /** Checks and chain steps while the restarted venue's batches wait. */
    @FunctionalInterface
    private interface ChainStep {
        void run() throws Exception;
    }

    /** The venue in a child JVM: its stdout read line by line for the marker, its stderr in a file. */
    private static final class Child {
        private static final int KEPT_LINES = 30;

        final Process process;
        final CompletableFuture<Matcher> marker = new CompletableFuture<>();
        private final Path stderr;
        private final Deque<String> lastLines = new ArrayDeque<>();

        private Child(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
        }

        static Child start(Path dir, Map<String, String> env, Point stopAt) throws IOException {
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            Path stderr = dir.resolve("venue-" + stopAt + ".stderr");
            ProcessBuilder builder = new ProcessBuilder(java.toString(), "-Xmx256m",
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-D" + FaultPointVenue.STOP_AT + "=" + stopAt.name(),
                "-cp", System.getProperty("java.class.path"), FaultPointVenue.class.getName())
                .directory(dir.toFile())
                .redirectError(stderr.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("XEX_"));
            builder.environment().putAll(env);
            Child child = new Child(builder.start(), stderr);
            Thread reader = new Thread(child::readStdout, "venue-" + stopAt + "-stdout");
            reader.setDaemon(true);
            reader.start();
            return child;
        }

        Matcher awaitMarker() throws Exception {
            try {
                return marker.get(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError(e.getCause().getMessage(), e.getCause());
            } catch (TimeoutException e) {
                throw new AssertionError("no " + FaultPointVenue.MARKER + " line within " + CHILD_TIMEOUT_SECONDS
                    + " s; stdout: " + lastLines() + "; stderr: " + stderrTail(), e);
            }
        }

        /** Reads every line, so that the pipe never fills; completes {@link #marker} at the marker line. */
        private void readStdout() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    keep(line);
                    Matcher found = MARKER.matcher(line);
                    if (found.find()) {
                        marker.complete(found);
                    }
                }
            } catch (IOException e) {
                marker.completeExceptionally(e);
            } finally {
                marker.completeExceptionally(new IllegalStateException("the venue ended before the fault point; stdout: "
                    + lastLines() + "; stderr: " + stderrTail()));
            }
        }

        private synchronized void keep(String line) {
            lastLines.addLast(line);
            if (lastLines.size() > KEPT_LINES) {
                lastLines.removeFirst();
            }
        }

        private synchronized String lastLines() {
            return String.join("\n", lastLines);
        }

        private String stderrTail() {
            try {
                List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - KEPT_LINES), lines.size()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
