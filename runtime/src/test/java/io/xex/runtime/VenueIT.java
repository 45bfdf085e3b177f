package io.xex.runtime;

import io.vertx.core.Future;
import io.xex.matching.Command;
import io.xex.matching.OrderType;
import io.xex.matching.Side;
import io.xex.matching.StpMode;
import io.xex.matching.TimeInForce;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;
import io.xex.runtime.engine.EngineStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The whole venue on an embedded PostgreSQL: acknowledgements, order ids, clean restart, history. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class VenueIT {
    static final int USDT = 0;
    static final int TSLA = 1;
    static final int TSLAX = 0;

    @TempDir
    Path dir;

    private ConfigSource config() {
        Map<String, String> env = new HashMap<>();
        env.put("XEX_DB_EMBEDDED_DIR", dir.resolve("pg").toString());
        env.put("XEX_OPS_PORT", "0");
        env.put("XEX_OPS_ADMINTOKEN", "test-token");
        env.put("XEX_INSTRUMENTS", "TSLAx,NVDAx");
        env.put("XEX_SNAPSHOT_EVERYCOMMANDS", "50");
        return ConfigSource.load(null, env);
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    @Test
    void acknowledgedCommandsSurviveACleanRestartWithTheSameStateHash() throws Exception {
        Venue venue = await(Venue.start(config()));
        List<CommandResult> acks = new ArrayList<>();
        try {
            acks.add(await(venue.runtime().proxy().submit(new Command.CreateAccount(1, 10, 20))));
            acks.add(await(venue.runtime().proxy().submit(new Command.CreateAccount(2, 10, 20, StpMode.NONE))));
            acks.add(await(venue.runtime().proxy().submit(new Command.Deposit(1, USDT, 1_000_000_000_000L))));
            acks.add(await(venue.runtime().proxy().submit(new Command.Deposit(2, TSLA, 1_000_000_000L))));
            List<Future<CommandResult>> orders = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                orders.add(venue.runtime().proxy().submit(Command.PlaceOrder.limit(2, 1, TSLAX, Side.SELL,
                    TimeInForce.GTC, 42_000 + i % 10, 100)));
                orders.add(venue.runtime().proxy().submit(new Command.PlaceOrder(1, 1, "c-" + i, TSLAX, Side.BUY,
                    OrderType.LIMIT, TimeInForce.IOC, 42_005, 70, 0)));
            }
            for (Future<CommandResult> order : orders) {
                acks.add(await(order));
            }
        } finally {
            EngineStatus before = await(venue.runtime().proxy().status());
            await(venue.stop());
            assertEquals(before.sequence(), before.durableSequence(), "a clean stop leaves nothing undurable");
            assertEquals(204, before.sequence());

            Venue again = await(Venue.start(config()));
            try {
                EngineStatus after = await(again.runtime().proxy().status());
                assertEquals(before.sequence(), after.sequence());
                assertEquals(before.stateHashHex(), after.stateHashHex());
                assertTrue(again.runtime().recoverySummary().contains("snapshot at 204"), again.runtime().recoverySummary());
            } finally {
                await(again.stop());
            }
        }
        // every acknowledgement carries a distinct, gap-free sequence number in submission order per submitter,
        // and a placed order's id is the sequence number of the command that placed it
        for (int i = 0; i < acks.size(); i++) {
            assertEquals(i + 1, acks.get(i).sequence());
            if (acks.get(i).command() instanceof Command.PlaceOrder place) {
                assertEquals(acks.get(i).sequence(), place.orderId());
                EngineEvent.OrderAccepted accepted = acks.get(i).events().stream()
                    .filter(e -> e instanceof EngineEvent.OrderAccepted).map(EngineEvent.OrderAccepted.class::cast)
                    .findFirst().orElseThrow(() -> new AssertionError("not accepted"));
                assertEquals(acks.get(i).sequence(), accepted.order().orderId());
            }
        }
        long trades = acks.stream().flatMap(a -> a.events().stream()).filter(e -> e instanceof EngineEvent.Trade).count();
        assertTrue(trades > 50, "trades " + trades);
    }

    @Test
    void recoveryStopsAtAGapAndDropsTheUnacknowledgedEntriesAfterIt() throws Exception {
        Venue venue = await(Venue.start(config()));
        try {
            await(venue.runtime().proxy().submit(new Command.CreateAccount(1, 0, 0)));
            await(venue.runtime().proxy().submit(new Command.CreateAccount(2, 0, 0)));
        } finally {
            await(venue.stop());
        }
        // as if a later batch (4, 5) had committed while the batch holding 3 never did, and the process died
        io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
        try {
            io.xex.runtime.db.Database database = await(io.xex.runtime.db.Database.start(vertx,
                io.xex.runtime.db.DbConfig.from(config())));
            try {
                await(new io.xex.runtime.store.JournalStore(database.pool()).append(new long[] {4, 5}, new long[] {4, 5},
                    new byte[][] {io.xex.matching.codec.CommandCodec.encode(new Command.CreateAccount(4, 0, 0)),
                        io.xex.matching.codec.CommandCodec.encode(new Command.CreateAccount(5, 0, 0))}, 2));
            } finally {
                await(database.close());
            }
        } finally {
            await(vertx.close());
        }
        Venue again = await(Venue.start(config()));
        try {
            assertEquals(2, await(again.runtime().proxy().status()).sequence(), "recovered up to the gap");
            CommandResult next = await(again.runtime().proxy().submit(new Command.CreateAccount(3, 0, 0)));
            assertEquals(3, next.sequence(), "the removed numbers are used again");
            assertEquals(List.of(new EngineEvent.AccountCreated(3, 3)), next.events());
        } finally {
            await(again.stop());
        }
    }

    @Test
    void aComponentThatFailsToStartFailsTheVenueOnlyOnceTheDatabaseIsClosed() throws Exception {
        VenueComponent failing = new ServicesComponent() {
            @Override
            public Future<Void> start(Services services) {
                return Future.failedFuture(new IllegalStateException("refused by the test"));
            }
        };
        ExecutionException failure = assertThrows(ExecutionException.class,
            () -> await(Venue.start(config(), List.of(failing))));
        assertEquals("refused by the test", failure.getCause().getMessage());
        assertTrue(Files.notExists(dir.resolve("pg").resolve("postmaster.pid")),
            "the embedded PostgreSQL stopped before the failure was reported");

        Venue again = await(Venue.start(config()));
        await(again.stop());
    }
}
