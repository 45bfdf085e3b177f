package io.xex.runtime;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.xex.matching.Command;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;
import io.xex.matching.codec.CommandCodec;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.db.EmbeddedDatabase;
import io.xex.runtime.engine.CommandRefusedException;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineProxy;
import io.xex.runtime.engine.EngineStatus;
import io.xex.runtime.engine.Refusal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * PostgreSQL going away under a running venue and coming back: commands are held up to
 * {@code journal.pending.max} (their submitters wait), refused at once past it with 502 JOURNAL_UNAVAILABLE, never
 * lost, and acknowledged in sequence order once the database answers again, without a restart of the venue.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DatabaseOutageIT {
    static final int PENDING_MAX = 50;
    static final String ADMIN_TOKEN = "outage-token";
    static final int USDT = 0;
    static final int TSLA = 1;
    static final int TSLAX = 0;
    static final Duration BOUND = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private EmbeddedDatabase database;
    private Venue venue;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (venue != null) {
                await(venue.stop());
            }
        } finally {
            http.shutdownNow();
            if (database != null) {
                database.close();
            }
        }
    }

    @Test
    void commandsAreHeldUpToTheBoundRefusedPastItAndAcknowledgedInOrderWhenTheDatabaseReturns() throws Exception {
        Path data = dir.resolve("pg");
        database = EmbeddedDatabase.start(data, 0, "xex", "xex");
        int dbPort = database.port();
        Map<String, String> env = new HashMap<>();
        env.put("XEX_DB_URL", "postgresql://xex:xex@" + database.host() + ":" + dbPort + "/" + database.database());
        env.put("XEX_DB_CONNECTTIMEOUTMS", "500");
        env.put("XEX_OPS_PORT", "0");
        env.put("XEX_OPS_ADMINTOKEN", ADMIN_TOKEN);
        env.put("XEX_INSTRUMENTS", "TSLAx,NVDAx");
        env.put("XEX_JOURNAL_PENDING_MAX", Integer.toString(PENDING_MAX));
        env.put("XEX_JOURNAL_BATCH_MAX", "8");
        env.put("XEX_JOURNAL_RETRY_INITIALMS", "10");
        env.put("XEX_JOURNAL_RETRY_MAXMS", "200");
        env.put("XEX_HISTORY_RETRY_MAXMS", "200");
        ConfigSource config = ConfigSource.load(null, env);

        venue = await(Venue.start(config));
        EngineProxy proxy = venue.runtime().proxy();
        List<Long> published = Collections.synchronizedList(new ArrayList<>());
        venue.runtime().events().subscribe(results -> results.forEach(r -> published.add(r.sequence())));

        // before: two funded accounts, acknowledged and durable
        await(proxy.submit(new Command.CreateAccount(1, 10, 20)));
        await(proxy.submit(new Command.CreateAccount(2, 10, 20)));
        await(proxy.submit(new Command.Deposit(1, USDT, 1_000_000_000_000L)));
        long before = await(proxy.submit(new Command.Deposit(2, TSLA, 1_000_000_000_000L))).sequence();
        assertEquals(4, before);
        Conditions.awaitTrue(BOUND, () -> "nothing pending after the acknowledgements", () -> proxy.pending() == 0);
        assertEquals(1.0, metric("xex_journal_available"));

        database.close(); // PostgreSQL stops; the venue is not told

        // the first command after it: held, and the journal reports the failure
        List<Future<CommandResult>> held = new ArrayList<>();
        List<Long> completionOrder = Collections.synchronizedList(new ArrayList<>());
        held.add(proxy.submit(order(0)));
        Conditions.awaitTrue(BOUND, () -> "the journal reports the database away",
            () -> metric("xex_journal_available") == 0);
        // up to the bound: held as well
        for (int i = 1; i < PENDING_MAX; i++) {
            held.add(proxy.submit(order(i)));
        }
        // submitted from this one thread, their callbacks share an event loop: they run in the order the journal
        // completes them
        held.forEach(f -> f.onSuccess(r -> completionOrder.add(r.sequence())));
        // past it: refused at once, with a clear error, in the process and over HTTP
        for (int i = 0; i < 5; i++) {
            Future<CommandResult> refused = proxy.submit(order(PENDING_MAX + i));
            assertTrue(refused.failed(), "refused at once");
            CommandRefusedException e = assertInstanceOf(CommandRefusedException.class, refused.cause());
            assertEquals(Refusal.RUNTIME_JOURNAL_UNAVAILABLE, e.refusal());
            assertEquals(502, e.refusal().code());
        }
        HttpResponse<String> overHttp = post(new JsonObject().put("@type", "Deposit").put("accountId", 1)
            .put("asset", USDT).put("amount", 1));
        assertEquals(503, overHttp.statusCode());
        JsonObject error = new JsonObject(overHttp.body()).getJsonObject("error");
        assertEquals(502, error.getInteger("code"));
        assertEquals(Refusal.RUNTIME_JOURNAL_UNAVAILABLE.text(), error.getString("msg"));

        // held means held: the journal tries again and again, and nobody is told anything
        double failures = metric("xex_journal_failures_total");
        Conditions.awaitTrue(BOUND, () -> "three more failed journal writes",
            () -> metric("xex_journal_failures_total") >= failures + 3);
        assertTrue(held.stream().noneMatch(Future::isComplete), "no held command is acknowledged or failed");
        assertEquals(PENDING_MAX, proxy.pending());
        EngineStatus during = await(proxy.status());
        assertEquals(before + PENDING_MAX, during.sequence(), "the engine applied the held commands");
        assertEquals(before, during.durableSequence(), "none of them is durable");
        assertEquals(List.of(1L, 2L, 3L, 4L), List.copyOf(published), "nothing published that is not durable");

        // PostgreSQL back on the same data and port: the venue carries on by itself
        database = EmbeddedDatabase.start(data, dbPort, "xex", "xex");
        for (int i = 0; i < PENDING_MAX; i++) {
            CommandResult result = await(held.get(i));
            assertEquals(before + 1 + i, result.sequence(), "held command " + i);
            assertEquals(order(i).withOrderId(result.sequence()), result.command());
        }
        assertEquals(LongStream.rangeClosed(before + 1, before + PENDING_MAX).boxed().toList(),
            List.copyOf(completionOrder), "acknowledged in sequence order");
        CommandResult after = await(proxy.submit(order(1_000)));
        assertEquals(before + PENDING_MAX + 1, after.sequence(), "the refused commands took no sequence number");
        assertEquals(1.0, metric("xex_journal_available"));
        long last = after.sequence();
        Conditions.awaitTrue(BOUND, () -> "every durable result published, got " + published,
            () -> published.size() == last);
        assertEquals(LongStream.rangeClosed(1, last).boxed().toList(), List.copyOf(published),
            "published in order, without gaps");

        // the journal holds exactly the acknowledged commands
        List<Command> journal = journal();
        assertEquals(last, journal.size());
        for (int i = 0; i < PENDING_MAX; i++) {
            long sequence = before + 1 + i;
            assertEquals(order(i).withOrderId(sequence), journal.get((int) sequence - 1), "journaled at " + sequence);
        }

        // a clean stop and a start again: the same state
        EngineStatus stopped = await(proxy.status());
        await(venue.stop());
        venue = null;
        venue = await(Venue.start(config));
        EngineStatus restarted = await(venue.runtime().proxy().status());
        assertEquals(stopped.sequence(), restarted.sequence());
        assertEquals(stopped.stateHashHex(), restarted.stateHashHex());
    }

    /** An order of account 2 that rests: a sell above the reference price. */
    private static Command.PlaceOrder order(int i) {
        return Command.PlaceOrder.limit(2, 1, TSLAX, Side.SELL, TimeInForce.GTC, 42_100 + i % 50, 100 + i);
    }

    private List<Command> journal() throws Exception {
        List<Command> commands = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT seq, command FROM journal ORDER BY seq")) {
            while (rows.next()) {
                assertEquals(commands.size() + 1, rows.getLong(1), "no gap in the journal");
                commands.add(CommandCodec.decode(rows.getBytes(2)));
            }
        }
        return commands;
    }

    /** A meter's value from {@code /metrics}. */
    private double metric(String name) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(ops("/metrics")).timeout(BOUND).build(),
                HttpResponse.BodyHandlers.ofString());
            for (String line : response.body().split("\n")) {
                if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
                    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                }
            }
            throw new AssertionError(name + " not in /metrics");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private HttpResponse<String> post(JsonObject command) throws Exception {
        return http.send(HttpRequest.newBuilder(ops("/admin/commands"))
            .header("Authorization", "Bearer " + ADMIN_TOKEN).timeout(BOUND)
            .POST(HttpRequest.BodyPublishers.ofString(command.encode())).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI ops(String path) {
        return URI.create("http://127.0.0.1:" + venue.opsPort() + path);
    }

    static <T> T await(Future<T> future) throws Exception {
        try {
            return future.toCompletionStage().toCompletableFuture().get(BOUND.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("failed: " + e.getCause(), e.getCause());
        }
    }
}
