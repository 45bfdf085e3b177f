package io.xex.runtime;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xex.matching.Command;
import io.xex.matching.codec.CommandCodec;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.config.InstrumentCatalog;
import io.xex.runtime.db.TestDatabase;
import io.xex.runtime.engine.EngineEvent;
import io.xex.runtime.engine.JournalReplay;
import io.xex.runtime.ops.AdminJson;
import io.xex.runtime.store.JournalEntry;
import io.xex.runtime.store.JournalStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SIGKILL at random moments. A child JVM runs {@code xex run} ({@link XexMain}) on a PostgreSQL this test owns,
 * so a killed venue leaves its database up, as in production. A driver keeps 16 to 64 commands in flight
 * through {@code POST /admin/commands} and records every acknowledgement; after a seeded-random number of them
 * the child is killed while requests are still open, so that some commands are journaled but not acknowledged
 * and others applied but not journaled. Every other round the test first stalls the journal with a table lock,
 * so that many commands are applied and not journaled at the kill, and then either aborts the blocked write or
 * lets it commit after the venue is dead (see {@link Kill}). After each restart:
 * <ol>
 *   <li>the recovered sequence covers every acknowledged command, and nothing is waiting to be durable;</li>
 *   <li>the journal holds exactly sequences 1..S, and each acknowledged one decodes to the acknowledged
 *       command with the acknowledged timestamp; no more commands are journaled without acknowledgement
 *       than requests lost their answer;</li>
 *   <li>a fresh engine replaying the journal from the start gives, for each acknowledged command, exactly the
 *       acknowledged events, and ends with the state hash the venue reports (state = f(journal): nothing
 *       unacknowledged is half-applied), with the engine's invariants holding.</li>
 * </ol>
 * The rounds share one database, so recoveries start from snapshots ({@code snapshot.everyCommands} is small)
 * and replay a journal tail. At the end a SIGTERM stops the venue cleanly. The seed is printed;
 * {@code -Dxex.crash.seed=N} repeats its kill points and command mix.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CrashRecoveryIT {
    static final String ADMIN_TOKEN = "crash-recovery-token";
    static final int ROUNDS = 8;
    static final int MIN_IN_FLIGHT = 16;
    static final int MAX_IN_FLIGHT = 64;
    static final int MAX_ACKS_BEFORE_KILL = 3_000;
    static final int ACCOUNTS = 16;
    static final int SNAPSHOT_EVERY_COMMANDS = 300;
    static final Duration START_BOUND = Duration.ofSeconds(60);
    static final Duration REQUEST_BOUND = Duration.ofSeconds(30);

    // assets and instruments of XEX_INSTRUMENTS=TSLAx,NVDAx
    static final int USDT = 0;
    static final int TSLAX_ASSET = 1;
    static final int NVDAX_ASSET = 2;
    static final long[] REFERENCE_TICKS = {42_000, 18_000};

    private static final Pattern METRICS_LINE = Pattern.compile("http://127\\.0\\.0\\.1:(\\d+)/metrics");
    private static final Pattern RECOVERY_LINE =
        Pattern.compile("recovered to sequence (\\d+) \\(snapshot at (\\d+), (\\d+) journaled commands replayed\\)");

    @TempDir
    Path dir;

    private TestDatabase database;
    private JournalLock journalLock;
    private Map<String, String> env;
    private Child child;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();

    /** Every acknowledgement, by sequence, over all rounds. */
    private final Map<Long, Ack> acks = new ConcurrentHashMap<>();
    /** What must not happen and happened on a driver thread (a sequence acknowledged twice). */
    private final List<String> driverProblems = Collections.synchronizedList(new ArrayList<>());
    /** Orders the driver saw acknowledged (id, account), to cancel, amend or reduce later. */
    private final List<long[]> orders = Collections.synchronizedList(new ArrayList<>());

    /** One 200 answer: what was sent, and what came back. */
    record Ack(long sequence, long timestampNs, JsonObject sent, JsonObject command, String eventsJson) {
    }

    /** How a round ends; the rounds take turns. */
    enum Kill {
        /** SIGKILL at the chosen acknowledgement, the journal working. */
        AT_ONCE,
        /**
         * At the chosen acknowledgement the test locks the journal table, so the venue's next write waits while
         * its engine goes on applying what is in flight; SIGKILL once half the requests in flight wait so. The
         * blocked write is then aborted, as if it had never been sent: the commands were applied, never journaled.
         */
        JOURNAL_STALLED_WRITE_LOST,
        /**
         * The same, but the blocked write commits when the lock goes, after the venue died: journaled, never
         * acknowledged.
         */
        JOURNAL_STALLED_WRITE_COMMITS
    }

    @AfterEach
    void tearDown() throws SQLException {
        try {
            if (child != null) {
                child.process.destroyForcibly();
                child.process.onExit().join();
            }
            if (journalLock != null) {
                journalLock.close();
            }
        } finally {
            http.shutdownNow();
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    void everyAcknowledgedCommandSurvivesSigkillAndTheRecoveredStateIsAFunctionOfTheJournal() throws Exception {
        long seed = Long.getLong("xex.crash.seed", System.nanoTime());
        System.out.println("CrashRecoveryIT: seed " + seed + " (-Dxex.crash.seed=" + seed + " repeats this run)");
        Random random = new Random(seed);
        long began = System.nanoTime();

        database = TestDatabase.start(dir.resolve("pg"));
        env = new HashMap<>();
        env.put("XEX_DB_URL", "postgresql://xex:xex@" + database.embedded().host() + ":" + database.embedded().port()
            + "/" + database.embedded().database());
        env.put("XEX_OPS_PORT", "0");
        env.put("XEX_OPS_ADMINTOKEN", ADMIN_TOKEN);
        env.put("XEX_INSTRUMENTS", "TSLAx,NVDAx");
        env.put("XEX_SNAPSHOT_EVERYCOMMANDS", Integer.toString(SNAPSHOT_EVERY_COMMANDS));
        journalLock = new JournalLock(database.embedded().jdbcUrl());

        child = Child.start(dir, env, 0);
        int port = child.port.get(START_BOUND.toSeconds(), TimeUnit.SECONDS);
        openAccounts(port);
        List<long[]> recoveries = new ArrayList<>();
        JsonObject status = null;
        long journaledUnacknowledged = 0;
        for (int round = 1; round <= ROUNDS; round++) {
            long roundBegan = System.nanoTime();
            Kill kill = Kill.values()[(round - 1) % Kill.values().length];
            int killAfter = 3 + random.nextInt(MAX_ACKS_BEFORE_KILL);
            int inFlight = MIN_IN_FLIGHT + random.nextInt(MAX_IN_FLIGHT - MIN_IN_FLIGHT + 1);
            Driver driver = new Driver(port, random.nextLong(), inFlight, killAfter, kill);
            CompletableFuture<Void> driving = driver.start();
            CompletableFuture.anyOf(driver.killPoint, driving).get(120, TimeUnit.SECONDS);
            if (driving.isCompletedExceptionally()) {
                driving.join();
            }
            long stalled = 0;
            long durableAtKill = -1;
            if (kill != Kill.AT_ONCE) {
                // the journal cannot write: the engine goes on applying what is in flight, nothing is acknowledged
                int venuePort = port;
                long[] engine = new long[2];
                Conditions.awaitTrue(REQUEST_BOUND, () -> "commands applied and waiting for the journal: "
                    + (engine[0] - engine[1]), () -> {
                        JsonObject now = new JsonObject(get(venuePort, "/admin/engine"));
                        engine[0] = now.getLong("sequence");
                        engine[1] = now.getLong("durableSequence");
                        return engine[0] - engine[1] >= inFlight / 2;
                    });
                stalled = engine[0] - engine[1];
                durableAtKill = engine[1];
                driver.stopped = true;
                child.process.destroyForcibly();
                child.process.onExit().get(30, TimeUnit.SECONDS);
                if (kill == Kill.JOURNAL_STALLED_WRITE_LOST) {
                    terminateBlockedJournalWrites();
                }
                journalLock.release(); // with WRITE_COMMITS, the killed venue's blocked write commits now
            }
            driving.get(60, TimeUnit.SECONDS);
            assertTrue(child.process.onExit().get(30, TimeUnit.SECONDS).exitValue() != 0, "killed, not stopped");
            long killed = System.nanoTime();

            child = Child.start(dir, env, round);
            port = child.port.get(START_BOUND.toSeconds(), TimeUnit.SECONDS);
            recoveries.add(child.recovery.getNow(new long[] {-1, -1, -1}));
            long restarted = System.nanoTime();
            String when = "after kill " + round + " (" + kill + ")";
            status = verify(when, port);
            long sequence = status.getLong("sequence");
            if (kill == Kill.JOURNAL_STALLED_WRITE_LOST) {
                assertEquals(durableAtKill, sequence, when + ": the lost write and everything after it are gone");
            } else if (kill == Kill.JOURNAL_STALLED_WRITE_COMMITS) {
                assertTrue(sequence > durableAtKill, when + ": the write that committed after the kill is recovered");
            }
            long journaledNow = sequence - acks.size();
            long newlyJournaledUnacknowledged = journaledNow - journaledUnacknowledged;
            assertTrue(newlyJournaledUnacknowledged <= driver.lost.get(), when + ": " + newlyJournaledUnacknowledged
                + " more commands journaled without acknowledgement, but only " + driver.lost.get()
                + " requests lost their answer");
            journaledUnacknowledged = journaledNow;
            System.out.printf("CrashRecoveryIT: round %d, %s: %d in flight, kill at acknowledgement %d%s: %d sent,"
                    + " %d answered 200, %d refused, %d lost in flight (%d of them journaled, %d never durable);"
                    + " %s; load %d ms, restart %d ms, checks %d ms%n", round, kill, inFlight, killAfter,
                kill == Kill.AT_ONCE ? "" : " with " + stalled + " applied and not durable", driver.sent,
                driver.acked.get(), driver.refused.get(), driver.lost.get(), newlyJournaledUnacknowledged,
                driver.lost.get() - newlyJournaledUnacknowledged, child.recoveryLine,
                TimeUnit.NANOSECONDS.toMillis(killed - roundBegan), TimeUnit.NANOSECONDS.toMillis(restarted - killed),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restarted));
        }

        // a clean stop (SIGTERM) after all that: exit 0, a snapshot of the last state, nothing more journaled
        child.process.destroy();
        assertEquals(0, child.process.onExit().get(70, TimeUnit.SECONDS).exitValue(), "clean stop on SIGTERM");
        child = null;
        long lastSequence = status.getLong("sequence");
        assertEquals(lastSequence, TestDatabase.await(new JournalStore(database.pool()).lastSequence()));
        assertEquals(lastSequence, database.query("SELECT max(seq) FROM snapshot").getFirst().getLong(0),
            "the clean stop saved a snapshot of the last state");

        // history is complete despite the kills: one row per trade, balance movement and order of the journal
        JournalReplay full = new JournalReplay(InstrumentCatalog.from(ConfigSource.load(null, env)).engine());
        long trades = 0;
        long tradedLots = 0;
        long balanceMoves = 0;
        java.util.Set<Long> orders = new java.util.HashSet<>();
        for (JournalEntry entry : readJournal()) {
            for (EngineEvent event : full.apply(entry)) {
                if (event instanceof EngineEvent.Trade trade) {
                    trades++;
                    tradedLots += trade.quantity();
                } else if (event instanceof EngineEvent.BalanceChanged) {
                    balanceMoves++;
                } else if (event instanceof EngineEvent.OrderAccepted accepted) {
                    orders.add(accepted.order().orderId());
                }
            }
        }
        assertEquals(lastSequence, database.query("SELECT seq FROM history_cursor").getFirst().getLong(0),
            "history is written up to the last command");
        assertEquals(trades, database.query("SELECT count(*) FROM trades").getFirst().getLong(0), "trade rows");
        assertEquals(tradedLots, database.query("SELECT coalesce(sum(quantity), 0) FROM trades").getFirst().getLong(0),
            "traded lots");
        assertEquals(balanceMoves, database.query("SELECT count(*) FROM balance_movements").getFirst().getLong(0),
            "balance movement rows");
        assertEquals(orders.size(), database.query("SELECT count(*) FROM orders").getFirst().getLong(0), "order rows");

        assertTrue(driverProblems.isEmpty(), driverProblems.toString());
        assertTrue(recoveries.stream().anyMatch(r -> r[1] > 0 && r[2] > 0),
            "some recovery started from a snapshot and replayed a journal tail: " + recoveries.stream()
                .map(r -> "seq " + r[0] + " snapshot " + r[1] + " replayed " + r[2]).toList());
        System.out.printf("CrashRecoveryIT: seed %d: %d kills, %d commands journaled, %d acknowledged, %.1f s%n", seed,
            ROUNDS, lastSequence, acks.size(), (System.nanoTime() - began) / 1e9);
    }

    /** The checks after a restart; returns {@code /admin/engine}. */
    private JsonObject verify(String when, int port) throws Exception {
        JsonObject status = new JsonObject(get(port, "/admin/engine"));
        long sequence = status.getLong("sequence");
        assertEquals(sequence, status.getLong("durableSequence"), when + ": recovered state is all durable");
        long highestAck = acks.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
        assertTrue(sequence >= highestAck,
            when + ": recovered to " + sequence + ", but " + highestAck + " was acknowledged");

        List<JournalEntry> journal = readJournal();
        assertEquals(sequence, journal.size(),
            when + ": the journal holds sequences 1.." + sequence + " and nothing else");
        JournalReplay replay = new JournalReplay(InstrumentCatalog.from(ConfigSource.load(null, env)).engine());
        int checked = 0;
        for (JournalEntry entry : journal) {
            List<EngineEvent> events = replay.apply(entry); // fails on a gap
            Ack ack = acks.get(entry.sequence());
            if (ack == null) {
                continue;
            }
            Command journaled = CommandCodec.decode(entry.command());
            Command acknowledged = AdminJson.command(ack.command());
            assertEquals(acknowledged, journaled, when + ": journaled command at " + entry.sequence());
            assertEquals(sent(ack), acknowledged,
                when + ": acknowledged command at " + entry.sequence() + " is what was sent");
            assertEquals(ack.timestampNs(), entry.timestampNs(), when + ": timestamp at " + entry.sequence());
            assertEquals(ack.eventsJson(), ((JsonArray) AdminJson.encode(events)).encode(),
                when + ": the replayed events of " + entry.sequence() + " are the acknowledged ones");
            checked++;
        }
        assertEquals(acks.size(), checked, when + ": every acknowledged command is in the journal");
        assertEquals(status.getString("stateHash"), String.format("%016x", replay.engine().stateHash()),
            when + ": the recovered state hash is that of a fresh replay of the journal");
        replay.engine().checkInvariants();
        System.out.printf("CrashRecoveryIT: %s: sequence %d, state hash %s = replay of the journal; %d acknowledged"
            + " commands and their events found; %d journaled without acknowledgement%n", when, sequence,
            status.getString("stateHash"), checked, sequence - checked);
        return status;
    }

    /** The command that was sent, with the order id the runtime gives a placed order: its sequence. */
    private static Command sent(Ack ack) {
        Command command = AdminJson.command(ack.sent());
        return command instanceof Command.PlaceOrder place ? place.withOrderId(ack.sequence()) : command;
    }

    private List<JournalEntry> readJournal() {
        JournalStore store = new JournalStore(database.pool());
        List<JournalEntry> all = new ArrayList<>();
        while (true) {
            List<JournalEntry> page = TestDatabase.await(store.read(all.size() + 1L, 10_000));
            all.addAll(page);
            if (page.size() < 10_000) {
                return all;
            }
        }
    }

    /** Round 1 only: accounts with plenty of every asset, each acknowledged before the load begins. */
    private void openAccounts(int port) throws Exception {
        for (int account = 1; account <= ACCOUNTS; account++) {
            post(port, new JsonObject().put("@type", "CreateAccount").put("accountId", account)
                .put("makerFeeBps", account % 3).put("takerFeeBps", 5 + account % 4)
                .put("stpMode", account % 2 == 0 ? "EXPIRE_TAKER" : "NONE"));
            for (int asset : new int[] {USDT, TSLAX_ASSET, NVDAX_ASSET}) {
                post(port, new JsonObject().put("@type", "Deposit").put("accountId", account).put("asset", asset)
                    .put("amount", 1_000_000_000_000L));
            }
        }
    }

    private void post(int port, JsonObject command) throws Exception {
        HttpResponse<String> response = http.send(commandRequest(port, command), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        record(command, new JsonObject(response.body()));
    }

    private void record(JsonObject sent, JsonObject result) {
        long sequence = result.getLong("sequence");
        Ack ack = new Ack(sequence, result.getLong("timestampNs"), sent, result.getJsonObject("command"),
            result.getJsonArray("events").encode());
        if (acks.putIfAbsent(sequence, ack) != null) {
            driverProblems.add("sequence " + sequence + " acknowledged twice");
        }
        if ("PlaceOrder".equals(sent.getString("@type"))) {
            orders.add(new long[] {sequence, sent.getLong("accountId")});
        }
    }

    private String get(int port, String path) {
        HttpResponse<String> response;
        try {
            response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).timeout(REQUEST_BOUND).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        assertEquals(200, response.statusCode(), path + ": " + response.body());
        return response.body();
    }

    /** Ends the killed venue's journal write that waits for the lock: its transaction is rolled back. */
    private void terminateBlockedJournalWrites() {
        String blocked = " FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'"
            + " AND query LIKE 'INSERT INTO journal%'";
        int terminated = database.query("SELECT pg_terminate_backend(pid)" + blocked).size();
        assertTrue(terminated > 0, "a journal write was waiting for the lock");
        Conditions.awaitTrue(REQUEST_BOUND, () -> "the blocked journal write ended",
            () -> database.query("SELECT count(*)" + blocked).getFirst().getLong(0) == 0);
    }

    private static HttpRequest commandRequest(int port, JsonObject command) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/admin/commands"))
            .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
            .timeout(REQUEST_BOUND).POST(HttpRequest.BodyPublishers.ofString(command.encode())).build();
    }

    /**
     * Sends a seeded-random mix of commands, {@code inFlight} at a time, until the {@code killAfter}-th
     * acknowledgement of this round, at which it kills the child on the spot or locks the journal (see
     * {@link Kill}); then, once stopped, waits for every request still open to end (acknowledged if its answer
     * made it out, lost otherwise).
     */
    private final class Driver {
        final int port;
        final Random random;
        final int inFlight;
        final int killAfter;
        final Kill kill;
        final CompletableFuture<Void> killPoint = new CompletableFuture<>();
        final Semaphore permits;
        final AtomicInteger acked = new AtomicInteger();
        final AtomicInteger refused = new AtomicInteger();
        final AtomicInteger lost = new AtomicInteger();
        volatile boolean stopped;
        int sent;
        int clientOrderIds;

        Driver(int port, long seed, int inFlight, int killAfter, Kill kill) {
            this.port = port;
            this.random = new Random(seed);
            this.inFlight = inFlight;
            this.killAfter = killAfter;
            this.kill = kill;
            this.permits = new Semaphore(inFlight);
        }

        /** Runs on a thread of its own; completes when every request has ended. */
        CompletableFuture<Void> start() {
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread thread = new Thread(() -> {
                try {
                    run();
                    done.complete(null);
                } catch (Exception | AssertionError e) {
                    done.completeExceptionally(e);
                }
            }, "crash-driver");
            thread.setDaemon(true);
            thread.start();
            return done;
        }

        private void run() throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (!stopped) {
                if (!permits.tryAcquire(REQUEST_BOUND.toSeconds(), TimeUnit.SECONDS)) {
                    throw new AssertionError("a request did not end within " + REQUEST_BOUND);
                }
                if (stopped) {
                    permits.release();
                    break;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("round did not reach " + killAfter + " acknowledgements; acked "
                        + acked.get() + ", refused " + refused.get() + ", lost " + lost.get());
                }
                JsonObject command = next();
                sent++;
                http.sendAsync(commandRequest(port, command), HttpResponse.BodyHandlers.ofString())
                    .whenComplete((response, failure) -> {
                        try {
                            answered(command, response);
                        } finally {
                            permits.release();
                        }
                    });
            }
            if (!permits.tryAcquire(inFlight, REQUEST_BOUND.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("requests still open " + REQUEST_BOUND.toSeconds() + " s after the kill");
            }
        }

        private void answered(JsonObject command, HttpResponse<String> response) {
            if (response == null) {
                lost.incrementAndGet(); // the connection died with the child
                return;
            }
            if (response.statusCode() != 200) {
                refused.incrementAndGet(); // e.g. 503 while the venue is stopping: not an acknowledgement
                return;
            }
            try {
                record(command, new JsonObject(response.body()));
            } catch (RuntimeException e) {
                driverProblems.add("cannot read the acknowledgement " + response.body() + ": " + e);
            }
            if (acked.incrementAndGet() == killAfter) {
                if (kill == Kill.AT_ONCE) {
                    stopped = true;
                    child.process.destroyForcibly(); // SIGKILL, with requests in flight
                } else {
                    try {
                        journalLock.lock();
                    } catch (SQLException e) {
                        killPoint.completeExceptionally(e);
                        return;
                    }
                }
                killPoint.complete(null);
            }
        }

        /** Mostly orders around the reference price, both sides, GTC and IOC; cancels and amendments of them. */
        private JsonObject next() {
            int dice = random.nextInt(100);
            long account = 1 + random.nextInt(ACCOUNTS);
            long[] order = dice >= 60 && dice < 90 ? anOrder() : null;
            if (order != null && dice < 78) {
                return new JsonObject().put("@type", "CancelOrder").put("accountId", order[1]).put("orderId", order[0])
                    .put("clientOrderId", null);
            }
            if (order != null && dice < 84) {
                int instrument = random.nextInt(2);
                return new JsonObject().put("@type", "AmendOrder").put("accountId", order[1]).put("orderId", order[0])
                    .put("clientOrderId", null).put("newPrice", REFERENCE_TICKS[instrument] - 100 + random.nextInt(201))
                    .put("newQuantity", 100 + random.nextInt(900));
            }
            if (order != null) {
                return new JsonObject().put("@type", "ReduceOrder").put("accountId", order[1]).put("orderId", order[0])
                    .put("quantity", 1 + random.nextInt(50));
            }
            if (dice >= 90 && dice < 95) {
                return new JsonObject().put("@type", "Deposit").put("accountId", account)
                    .put("asset", random.nextInt(3)).put("amount", 1 + random.nextInt(1_000_000_000));
            }
            if (dice >= 95 && dice < 98) {
                return new JsonObject().put("@type", "Withdraw").put("accountId", account)
                    .put("asset", random.nextInt(3)).put("amount", 1 + random.nextInt(1_000_000));
            }
            if (dice == 98) {
                return new JsonObject().put("@type", "CancelAll").put("accountId", account)
                    .put("instrumentId", random.nextInt(3) - 1);
            }
            if (dice == 99) {
                int instrument = random.nextInt(2);
                return new JsonObject().put("@type", "SetReferencePrice").put("instrumentId", instrument)
                    .put("price", REFERENCE_TICKS[instrument] - 20 + random.nextInt(41));
            }
            return place(account);
        }

        private JsonObject place(long account) {
            int instrument = random.nextInt(10) < 7 ? 0 : 1;
            boolean buy = random.nextBoolean();
            String type = random.nextInt(30) == 0 ? "MARKET" : "LIMIT";
            String timeInForce = type.equals("MARKET") || random.nextInt(5) < 2 ? "IOC" : "GTC";
            long reference = REFERENCE_TICKS[instrument];
            // GTC orders straddle the reference; IOC orders reach across it to take them
            long price = timeInForce.equals("GTC") ? reference - 100 + random.nextInt(201)
                : buy ? reference + random.nextInt(151) : reference - random.nextInt(151);
            return new JsonObject().put("@type", "PlaceOrder").put("accountId", account)
                .put("orderId", 1 + random.nextInt(1_000)) // a placeholder: the runtime gives the sequence
                .put("clientOrderId", random.nextInt(4) == 0 ? "d-" + ++clientOrderIds : null)
                .put("instrumentId", instrument).put("side", buy ? "BUY" : "SELL").put("type", type)
                .put("timeInForce", timeInForce).put("price", type.equals("MARKET") ? 0 : price)
                .put("quantity", 100 + random.nextInt(901)).put("quoteBudget", 0);
        }

        private long[] anOrder() {
            synchronized (orders) {
                return orders.isEmpty() ? null : orders.get(random.nextInt(orders.size()));
            }
        }
    }

    /** A transaction of the test's that can keep the venue from writing its journal. Used by one thread at a time. */
    private static final class JournalLock implements AutoCloseable {
        private final Connection connection;

        JournalLock(String jdbcUrl) throws SQLException {
            connection = DriverManager.getConnection(jdbcUrl);
            connection.setAutoCommit(false);
        }

        /** Blocks inserts into the journal (after the one in progress, if any) until {@link #release}. */
        void lock() throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("LOCK TABLE journal IN SHARE ROW EXCLUSIVE MODE");
            }
        }

        void release() throws SQLException {
            connection.rollback();
        }

        @Override
        public void close() throws SQLException {
            connection.close();
        }
    }

    /** The venue in a child JVM: its ops port and recovery from its stdout, its stderr in a file. */
    private static final class Child {
        final Process process;
        final CompletableFuture<Integer> port = new CompletableFuture<>();
        final CompletableFuture<long[]> recovery = new CompletableFuture<>();
        final Path stderr;
        volatile String recoveryLine = "(no recovery line)";

        private Child(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
        }

        static Child start(Path dir, Map<String, String> env, int round) throws IOException {
            String java = ProcessHandle.current().info().command().orElseThrow();
            Path stderr = dir.resolve("venue-" + round + ".stderr");
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
                XexMain.class.getName())
                .directory(dir.toFile())
                .redirectError(stderr.toFile());
            builder.environment().keySet().removeIf(key -> key.startsWith("XEX_"));
            builder.environment().putAll(env);
            Child child = new Child(builder.start(), stderr);
            Thread reader = new Thread(child::readStdout, "venue-" + round + "-stdout");
            reader.setDaemon(true);
            reader.start();
            return child;
        }

        /** Reads every line, so that the pipe never fills; completes {@link #port} from the metrics line. */
        private void readStdout() {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
                String line;
                while ((line = lines.readLine()) != null) {
                    Matcher recovered = RECOVERY_LINE.matcher(line);
                    if (recovered.find()) {
                        recoveryLine = recovered.group();
                        recovery.complete(new long[] {Long.parseLong(recovered.group(1)),
                            Long.parseLong(recovered.group(2)), Long.parseLong(recovered.group(3))});
                    }
                    Matcher metrics = METRICS_LINE.matcher(line);
                    if (metrics.find()) {
                        port.complete(Integer.parseInt(metrics.group(1)));
                    }
                }
            } catch (IOException e) {
                port.completeExceptionally(e);
            } finally {
                port.completeExceptionally(new IllegalStateException("the venue ended before it was up; stderr: "
                    + stderrTail()));
            }
        }

        String stderrTail() {
            try {
                List<String> lines = Files.readAllLines(stderr, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
