package io.xex.runtime;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.xex.matching.Command;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.DurableConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A component's durable consumer whose cursor lags behind history and the newest snapshot gets, at start, every
 * result after its cursor exactly as the first run produced them, then the live ones, in order and once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DurableConsumerIT {
    @TempDir
    Path dir;

    /** A component with one consumer whose cursor is fixed; it records what it receives. */
    private static final class Recording extends ServicesComponent implements DurableConsumer {
        final long cursor;
        final List<CommandResult> received = new CopyOnWriteArrayList<>();

        Recording(long cursor) {
            this.cursor = cursor;
        }

        @Override
        public Future<List<DurableConsumer>> durableConsumers(Pool database) {
            return Future.succeededFuture(List.of(this));
        }

        @Override
        public long cursor() {
            return cursor;
        }

        @Override
        public void accept(List<CommandResult> results) {
            received.addAll(results);
        }

    }

    private ConfigSource config() {
        Map<String, String> env = new HashMap<>();
        env.put("XEX_DB_EMBEDDED_DIR", dir.resolve("pg").toString());
        env.put("XEX_OPS_PORT", "0");
        env.put("XEX_INSTRUMENTS", "TSLAx");
        env.put("XEX_SNAPSHOT_EVERYCOMMANDS", "20");
        return ConfigSource.load(null, env);
    }

    @Test
    void aLaggingConsumerGetsEveryResultAfterItsCursorThenTheLiveOnes() throws Exception {
        Recording first = new Recording(0);
        List<CommandResult> acknowledged = new ArrayList<>();
        Venue venue = VenueIT.await(Venue.start(config(), List.of(first)));
        try {
            acknowledged.add(VenueIT.await(venue.runtime().proxy().submit(new Command.CreateAccount(1, 10, 20))));
            acknowledged.add(VenueIT.await(venue.runtime().proxy().submit(new Command.Deposit(1, VenueIT.USDT, 10_000_000_000L))));
            acknowledged.add(VenueIT.await(venue.runtime().proxy().submit(new Command.Deposit(1, VenueIT.TSLA, 10_000_000_000L))));
            for (int i = 0; i < 60; i++) {
                acknowledged.add(VenueIT.await(venue.runtime().proxy().submit(Command.PlaceOrder.limit(1, 1, VenueIT.TSLAX,
                    i % 2 == 0 ? Side.BUY : Side.SELL, TimeInForce.GTC, i % 2 == 0 ? 41_000 + i : 43_000 + i, 100))));
            }
        } finally {
            VenueIT.await(venue.stop());
        }
        Conditions.awaitTrue(Duration.ofSeconds(20), () -> "the live consumer saw every result",
            () -> first.received.size() == acknowledged.size());
        assertEquals(acknowledged, first.received, "live results, in order, once");

        // Its cursor is far behind history and behind the newest snapshots (every 20 commands).
        Recording lagging = new Recording(7);
        Venue again = VenueIT.await(Venue.start(config(), List.of(lagging)));
        try {
            assertEquals(acknowledged.subList(7, acknowledged.size()), lagging.received, "recovered: exactly after 7");
            CommandResult live = VenueIT.await(again.runtime().proxy().submit(new Command.CancelAll(1, -1)));
            Conditions.awaitTrue(Duration.ofSeconds(20), () -> "the live result after recovery",
                () -> lagging.received.size() == acknowledged.size() - 7 + 1);
            assertEquals(live, lagging.received.getLast());
        } finally {
            VenueIT.await(again.stop());
        }
    }
}
