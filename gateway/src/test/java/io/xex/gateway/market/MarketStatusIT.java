package io.xex.gateway.market;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.xex.gateway.RestClient;
import io.xex.gateway.TestVenue;
import io.xex.matching.Command;
import io.xex.matching.TradingState;
import io.xex.matching.codec.CommandCodec;
import io.xex.runtime.Conditions;
import io.xex.runtime.ServicesComponent;
import io.xex.runtime.calendar.CalendarConfig;
import io.xex.runtime.calendar.MarketCalendar;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.feed.FeedConfig;
import io.xex.runtime.session.MarketSessionComponent;
import io.xex.runtime.session.SessionTimers;
import io.xex.runtime.store.JournalEntry;
import io.xex.runtime.store.JournalStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The market session in a whole venue (embedded PostgreSQL, the durable engine, the gateway on a real socket) on a
 * clock the test moves: the instruments are CLOSED_UNDERLYING before the open and OPEN at it, reference prices from
 * the simulated feed are journaled while the underlying is open (throttled) and not while it is closed, an
 * operator's HALT outlives the boundaries, and {@code /api/v1/market-status} tells the calendar's next open and
 * close. The session's timers fire when the test moves the clock past them.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MarketStatusIT {
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** Monday 2 June 2025, 09:00 in New York: the session is 13:30Z to 20:00Z. */
    private static final Instant START = Instant.parse("2025-06-02T13:00:00Z");
    private static final Instant OPEN = Instant.parse("2025-06-02T13:30:00Z");
    private static final Instant CLOSE = Instant.parse("2025-06-02T20:00:00Z");
    private static final Instant NEXT_OPEN = Instant.parse("2025-06-03T13:30:00Z");
    private static final Instant NEXT_CLOSE = Instant.parse("2025-06-03T20:00:00Z");
    private static final Instant SATURDAY = Instant.parse("2025-06-07T15:00:00Z");
    private static final long PUBLISH_MS = 2_000;

    @TempDir
    static Path dir;
    static final TestClock clock = new TestClock(START);
    static final ManualTimers timers = new ManualTimers(clock);
    static final JournalReader journal = new JournalReader();
    static TestVenue venue;
    static RestClient rest;
    static int tsla;
    static int nvda;

    /** A clock only the test moves. */
    static final class TestClock implements InstantSource {
        private final AtomicReference<Instant> now;

        TestClock(Instant start) {
            now = new AtomicReference<>(start);
        }

        @Override
        public Instant instant() {
            return now.get();
        }

        void set(Instant instant) {
            now.set(instant);
        }
    }

    /**
     * Timers that fire when the test moves the clock past them, each on the context that set it; a periodic one
     * fires once per move, however far the clock went (like a late Vert.x timer).
     */
    static final class ManualTimers implements SessionTimers {
        private record Timer(long id, Instant due, long periodMs, Runnable task, Context context) {
        }

        private final TestClock clock;
        private final Map<Long, Timer> live = new HashMap<>();
        private long nextId = 1;

        ManualTimers(TestClock clock) {
            this.clock = clock;
        }

        @Override
        public synchronized long at(Instant at, Runnable task) {
            return add(at, 0, task);
        }

        @Override
        public synchronized long every(long periodMs, Runnable task) {
            return add(clock.instant().plusMillis(periodMs), periodMs, task);
        }

        private long add(Instant due, long periodMs, Runnable task) {
            long id = nextId++;
            live.put(id, new Timer(id, due, periodMs, task, Vertx.currentContext()));
            return id;
        }

        @Override
        public synchronized void cancel(long id) {
            live.remove(id);
        }

        /** Moves the clock to {@code to} and runs every timer due by then; completes once they have run. */
        Future<Void> advanceTo(Instant to) {
            List<Timer> due = new ArrayList<>();
            synchronized (this) {
                clock.set(to);
                for (Timer timer : live.values()) {
                    if (!timer.due().isAfter(to)) {
                        due.add(timer);
                    }
                }
                due.sort(Comparator.comparing(Timer::due).thenComparing(Timer::id));
                for (Timer timer : due) {
                    if (timer.periodMs() > 0) {
                        live.put(timer.id(), new Timer(timer.id(), to.plusMillis(timer.periodMs()), timer.periodMs(),
                            timer.task(), timer.context()));
                    }
                }
            }
            List<Future<Void>> ran = new ArrayList<>();
            for (Timer timer : due) {
                Promise<Void> promise = Promise.promise();
                timer.context().runOnContext(v -> {
                    boolean still;
                    synchronized (this) {
                        still = timer.periodMs() > 0 ? live.containsKey(timer.id()) : live.remove(timer.id()) != null;
                    }
                    if (still) {
                        timer.task().run();
                    }
                    promise.complete();
                });
                ran.add(promise.future());
            }
            return Future.all(ran).mapEmpty();
        }
    }

    /** Reads the venue's journal from its database, once started. */
    static final class JournalReader extends ServicesComponent {

        List<Command> commands() throws Exception {
            List<Command> commands = new ArrayList<>();
            for (JournalEntry entry : TestVenue.await(new JournalStore(services().database()).read(1, 1_000_000))) {
                commands.add(CommandCodec.decode(entry.command()));
            }
            return commands;
        }

        List<Command.SetReferencePrice> referencePrices(int instrumentId) throws Exception {
            return commands().stream().filter(c -> c instanceof Command.SetReferencePrice p
                && p.instrumentId() == instrumentId).map(Command.SetReferencePrice.class::cast).toList();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        ConfigSource config = TestVenue.config(dir, Map.of("XEX_FEED_SEED", "7", "XEX_FEED_TICKMS", "1000",
            "XEX_FEED_PUBLISHMS", Long.toString(PUBLISH_MS), "XEX_FEED_VOLATILITYBPS", "50",
            "XEX_GATEWAY_LIMITS_REQUESTSPERSECONDPERIP", "1000000"));
        MarketSessionComponent session = new MarketSessionComponent(FeedConfig.from(config),
            new MarketCalendar(CalendarConfig.from(config)), clock, vertx -> timers);
        venue = TestVenue.start(config, clock::millis, List.of(session, journal));
        rest = new RestClient(venue.port());
        tsla = venue.instrumentId("TSLAx/USDT");
        nvda = venue.instrumentId("NVDAx/USDT");
    }

    @AfterAll
    static void stop() {
        if (rest != null) {
            rest.close();
        }
        if (venue != null) {
            venue.close();
        }
    }

    @Test
    @Order(1)
    void beforeTheOpenTheInstrumentsAreClosedUnderlyingAndNoReferencePriceIsJournaled() throws Exception {
        assertEquals(TradingState.CLOSED_UNDERLYING, state(tsla), "instrument.default.state = OPEN, then the session");
        assertEquals(TradingState.CLOSED_UNDERLYING, state(nvda));
        assertTrue(journal.commands().containsAll(List.of(
            new Command.SetTradingState(tsla, TradingState.CLOSED_UNDERLYING),
            new Command.SetTradingState(nvda, TradingState.CLOSED_UNDERLYING))));
        assertEquals(List.of(), journal.referencePrices(tsla));

        JsonObject status = rest.awaitJson("/api/v1/market-status", "both CLOSED_UNDERLYING",
            s -> allStates(s, "CLOSED_UNDERLYING"));
        assertEquals(START.toEpochMilli(), status.getLong("serverTime"));
        JsonObject first = status.getJsonArray("symbols").getJsonObject(0);
        assertEquals("TSLAx/USDT", first.getString("symbol"));
        assertEquals(Boolean.FALSE, first.getBoolean("underlyingOpen"));
        assertEquals(OPEN.toEpochMilli(), first.getLong("nextOpen"));
        assertEquals(CLOSE.toEpochMilli(), first.getLong("nextClose"));
        assertTrue(first.containsKey("closure"), first.encode());
        assertNull(first.getString("closure"), "a trading day, before its open");
    }

    @Test
    @Order(2)
    void atTheOpenTheyOpenAndTheFeedsPricesAreJournaledAtMostOncePerPublishMs() throws Exception {
        await(timers.advanceTo(OPEN.minusSeconds(1)));
        assertEquals(TradingState.CLOSED_UNDERLYING, state(tsla), "not a moment early");

        await(timers.advanceTo(OPEN));
        awaitState(tsla, TradingState.OPEN);
        awaitState(nvda, TradingState.OPEN);
        JsonObject status = rest.awaitJson("/api/v1/market-status", "both OPEN", s -> allStates(s, "OPEN"));
        JsonObject first = status.getJsonArray("symbols").getJsonObject(0);
        assertEquals(Boolean.TRUE, first.getBoolean("underlyingOpen"));
        assertEquals(NEXT_OPEN.toEpochMilli(), first.getLong("nextOpen"));
        assertEquals(CLOSE.toEpochMilli(), first.getLong("nextClose"));
        assertNull(first.getString("closure"));

        long referenceAtOpen = reference(tsla);
        // Each step's SetReferencePrice is submitted while the timer runs; a question to the engine after the steps
        // is answered once they are durable, so the journal then holds them.
        for (int s = 1; s <= 10; s++) {
            await(timers.advanceTo(OPEN.plusSeconds(s)));
        }
        long referenceNow = reference(tsla);
        List<Command.SetReferencePrice> published = journal.referencePrices(tsla);
        assertFalse(published.isEmpty(), "the feed moved TSLA by a tick or more in 10 steps of up to 50 bps");
        assertTrue(published.size() <= 10_000 / PUBLISH_MS, "at most one per " + PUBLISH_MS + " ms: " + published);
        for (int i = 1; i < published.size(); i++) {
            assertTrue(published.get(i).price() != published.get(i - 1).price(), "only moves: " + published);
        }
        assertTrue(published.getFirst().price() != referenceAtOpen, "a move of a tick or more");
        assertEquals(published.getLast().price(), referenceNow);
        assertFalse(journal.referencePrices(nvda).isEmpty());
    }

    @Test
    @Order(3)
    void atTheCloseTheyCloseButAnOperatorsHaltStaysAndNothingIsPublishedWhileClosed() throws Exception {
        await(venue.engine().submit(new Command.SetTradingState(tsla, TradingState.HALTED)));

        await(timers.advanceTo(CLOSE));
        awaitState(nvda, TradingState.CLOSED_UNDERLYING);
        assertEquals(TradingState.HALTED, state(tsla), "the operator's halt is not overridden");
        int tslaPrices = journal.referencePrices(tsla).size();
        int nvdaPrices = journal.referencePrices(nvda).size();
        long nvdaReference = reference(nvda);

        for (int s = 1; s <= 10; s++) {
            await(timers.advanceTo(CLOSE.plusSeconds(s)));
        }
        state(nvda); // answered once every command submitted before it is durable
        assertEquals(tslaPrices, journal.referencePrices(tsla).size(), "no reference price while closed");
        assertEquals(nvdaPrices, journal.referencePrices(nvda).size());
        assertEquals(nvdaReference, reference(nvda));

        JsonObject status = rest.awaitJson("/api/v1/market-status", "NVDA CLOSED_UNDERLYING",
            s -> "CLOSED_UNDERLYING".equals(s.getJsonArray("symbols").getJsonObject(1).getString("state")));
        JsonObject first = status.getJsonArray("symbols").getJsonObject(0);
        assertEquals("HALTED", first.getString("state"));
        assertEquals(Boolean.FALSE, first.getBoolean("underlyingOpen"));
        assertEquals(NEXT_OPEN.toEpochMilli(), first.getLong("nextOpen"));
        assertEquals(NEXT_CLOSE.toEpochMilli(), first.getLong("nextClose"));

        await(timers.advanceTo(NEXT_OPEN));
        awaitState(nvda, TradingState.OPEN);
        assertEquals(TradingState.HALTED, state(tsla), "nor at the next open");
    }

    @Test
    @Order(4)
    void onAWeekendTheStatusSaysWhy() throws Exception {
        await(timers.advanceTo(SATURDAY));
        awaitState(nvda, TradingState.CLOSED_UNDERLYING);

        JsonObject first = rest.json("/api/v1/market-status").getJsonArray("symbols").getJsonObject(0);
        assertEquals(Boolean.FALSE, first.getBoolean("underlyingOpen"));
        assertEquals("weekend", first.getString("closure"));
        assertEquals(Instant.parse("2025-06-09T13:30:00Z").toEpochMilli(), first.getLong("nextOpen"));
        assertEquals(Instant.parse("2025-06-09T20:00:00Z").toEpochMilli(), first.getLong("nextClose"));
    }

    private static boolean allStates(JsonObject status, String state) {
        Set<String> states = new HashSet<>();
        status.getJsonArray("symbols").forEach(o -> states.add(((JsonObject) o).getString("state")));
        return states.equals(Set.of(state));
    }

    /** The engine's state of an instrument, answered once every command before the question is durable. */
    private static TradingState state(int instrumentId) throws Exception {
        return await(venue.engine().query(e -> e.tradingState(instrumentId))).value();
    }

    private static long reference(int instrumentId) throws Exception {
        return await(venue.engine().query(e -> e.referencePrice(instrumentId))).value();
    }

    private static void awaitState(int instrumentId, TradingState expected) {
        Conditions.awaitTrue(BOUND, () -> "instrument " + instrumentId + " " + expected, () -> {
            try {
                return state(instrumentId) == expected;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static <T> T await(Future<T> future) throws Exception {
        return TestVenue.await(future);
    }
}
