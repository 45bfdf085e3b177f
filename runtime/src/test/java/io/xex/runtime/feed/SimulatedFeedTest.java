package io.xex.runtime.feed;

import io.xex.runtime.calendar.MarketCalendar;
import io.xex.runtime.config.ConfigException;
import io.xex.runtime.config.ConfigSource;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatedFeedTest {
    private static final MarketCalendar NYSE = MarketCalendar.nyse();
    /** Monday 2 June 2025: the session is 13:30Z to 20:00Z (EDT). */
    private static final Instant BEFORE_OPEN = Instant.parse("2025-06-02T13:29:59Z");
    private static final Instant OPEN = Instant.parse("2025-06-02T13:30:00Z");
    private static final Instant CLOSE = Instant.parse("2025-06-02T20:00:00Z");
    private static final Instant SATURDAY = Instant.parse("2025-06-07T16:00:00Z");
    private static final BigDecimal TSLA = new BigDecimal("420.00");
    private static final BigDecimal NVDA = new BigDecimal("180.00");

    record Move(String underlying, BigDecimal price, Instant at) {
    }

    private static SimulatedFeed feed(long seed) {
        Map<String, BigDecimal> start = new LinkedHashMap<>();
        start.put("TSLA", TSLA);
        start.put("NVDA", NVDA);
        return new SimulatedFeed(NYSE, start, 3, seed);
    }

    @Test
    void startsAtTheGivenPricesAndPricesOnlyItsUnderlyings() {
        SimulatedFeed feed = feed(1);

        assertEquals(0, TSLA.compareTo(feed.price("TSLA")));
        assertEquals(0, NVDA.compareTo(feed.price("NVDA")));
        assertNull(feed.price("AAPL"));
        assertEquals(List.of("NVDA", "TSLA"), List.copyOf(feed.underlyings()));
    }

    @Test
    void movesOnlyWhileTheUnderlyingIsOpen() {
        SimulatedFeed feed = feed(7);
        List<Move> moves = new ArrayList<>();
        feed.subscribe((underlying, price, at) -> moves.add(new Move(underlying, price, at)));

        for (Instant closed : List.of(SATURDAY, BEFORE_OPEN, CLOSE, CLOSE.plus(Duration.ofHours(3)),
            Instant.parse("2025-07-04T15:00:00Z"))) {
            assertFalse(feed.tick(closed), closed + " is outside a session");
        }
        assertEquals(List.of(), moves, "frozen while closed");
        assertEquals(0, TSLA.compareTo(feed.price("TSLA")));

        for (int s = 0; s < 100; s++) {
            assertTrue(feed.tick(OPEN.plusSeconds(s)));
        }
        assertFalse(moves.isEmpty(), "moves while open");
        assertTrue(moves.stream().allMatch(m -> NYSE.isOpen(m.at())), moves.toString());
        assertNotEquals(0, TSLA.compareTo(feed.price("TSLA")));
        Move last = moves.getLast();
        assertEquals(last.price(), feed.price(last.underlying()), "the listener hears the new price");

        BigDecimal atClose = feed.price("TSLA");
        int heard = moves.size();
        for (int s = 0; s < 100; s++) {
            feed.tick(CLOSE.plusSeconds(s));
        }
        assertEquals(atClose, feed.price("TSLA"), "the last session's price holds through the night");
        assertEquals(heard, moves.size());
    }

    @Test
    void theSameSeedGivesTheSameWalkWhateverOrderThePricesCameIn() {
        SimulatedFeed one = feed(42);
        Map<String, BigDecimal> reversed = new LinkedHashMap<>();
        reversed.put("NVDA", NVDA);
        reversed.put("TSLA", TSLA);
        SimulatedFeed two = new SimulatedFeed(NYSE, reversed, 3, 42);
        SimulatedFeed other = feed(43);

        List<BigDecimal> walkOne = new ArrayList<>();
        List<BigDecimal> walkTwo = new ArrayList<>();
        List<BigDecimal> walkOther = new ArrayList<>();
        for (int s = 0; s < 1_000; s++) {
            Instant t = OPEN.plusSeconds(s);
            one.tick(t);
            two.tick(t);
            other.tick(t);
            walkOne.add(one.price("TSLA"));
            walkOne.add(one.price("NVDA"));
            walkTwo.add(two.price("TSLA"));
            walkTwo.add(two.price("NVDA"));
            walkOther.add(other.price("TSLA"));
            walkOther.add(other.price("NVDA"));
        }
        assertEquals(walkOne, walkTwo);
        assertNotEquals(walkOne, walkOther);
    }

    @Test
    void eachStepIsAtMostVolatilityBpsOfThePrice() {
        SimulatedFeed feed = feed(3);
        BigDecimal previous = feed.price("TSLA");
        for (int s = 0; s < 5_000; s++) {
            feed.tick(OPEN.plusSeconds(s));
            BigDecimal price = feed.price("TSLA");
            BigDecimal limit = previous.multiply(new BigDecimal("0.0003"));
            assertTrue(price.subtract(previous).abs().compareTo(limit) <= 0, previous + " -> " + price);
            previous = price;
        }
    }

    @Test
    void aPriceNeverReachesZero() {
        SimulatedFeed feed = new SimulatedFeed(NYSE, Map.of("PENNY", new BigDecimal("0.05"), "DUST",
            new BigDecimal("0.000001")), FeedConfig.MAX_VOLATILITY_BPS, 11);
        for (int s = 0; s < 20_000; s++) {
            feed.tick(OPEN.plusSeconds(s % 23_000));
            assertTrue(feed.price("PENNY").signum() > 0, "step " + s + ": " + feed.price("PENNY"));
        }
        assertEquals(new BigDecimal("0.000001"), feed.price("DUST"), "a step smaller than a unit is no step");
        assertThrows(IllegalArgumentException.class,
            () -> new SimulatedFeed(NYSE, Map.of("ZERO", BigDecimal.ZERO), 3, 1));
        assertThrows(IllegalArgumentException.class, () -> new SimulatedFeed(NYSE, Map.of("X", TSLA), 0, 1));
    }

    @Test
    void pricesBecomeTicksOnTheGridWithinTheEnginesRange() {
        BigDecimal cent = new BigDecimal("0.01");
        assertEquals(42_012, ReferenceFeed.ticks(new BigDecimal("420.123456"), cent, 100_000_000));
        assertEquals(42_012, ReferenceFeed.ticks(new BigDecimal("420.125"), cent, 100_000_000), "half even");
        assertEquals(42_014, ReferenceFeed.ticks(new BigDecimal("420.135"), cent, 100_000_000), "half even");
        assertEquals(1, ReferenceFeed.ticks(new BigDecimal("0.000001"), cent, 100_000_000), "at least a tick");
        assertEquals(500, ReferenceFeed.ticks(new BigDecimal("9999"), cent, 500), "at most maxPrice");
        assertEquals(84, ReferenceFeed.ticks(new BigDecimal("420.1"), new BigDecimal("5"), 1_000), "a tick of 5");

        SimulatedFeed feed = feed(5);
        for (int s = 0; s < 2_000; s++) {
            feed.tick(OPEN.plusSeconds(s));
            BigDecimal price = feed.price("TSLA");
            long ticks = ReferenceFeed.ticks(price, cent, 100_000_000);
            assertEquals(price.setScale(2, RoundingMode.HALF_EVEN), cent.multiply(BigDecimal.valueOf(ticks)));
        }
    }

    @Test
    void configurationHasDefaultsAndIsChecked() {
        FeedConfig defaults = FeedConfig.from(ConfigSource.load(null, Map.of()));
        assertEquals(FeedConfig.Kind.SIMULATED, defaults.kind());
        assertEquals(FeedConfig.DEFAULT_TICK_MS, defaults.tickMs());
        assertEquals(FeedConfig.DEFAULT_PUBLISH_MS, defaults.publishMs());
        assertEquals(FeedConfig.DEFAULT_VOLATILITY_BPS, defaults.volatilityBps());

        FeedConfig set = FeedConfig.from(ConfigSource.load(null, Map.of("XEX_FEED_KIND", "none", "XEX_FEED_SEED", "-9",
            "XEX_FEED_TICKMS", "250", "XEX_FEED_PUBLISHMS", "750", "XEX_FEED_VOLATILITYBPS", "10")));
        assertEquals(new FeedConfig(FeedConfig.Kind.NONE, 250, 750, -9, 10), set);

        for (Map<String, String> bad : List.of(Map.of("XEX_FEED_KIND", "live"), Map.of("XEX_FEED_TICKMS", "0"),
            Map.of("XEX_FEED_VOLATILITYBPS", "1001"), Map.of("XEX_FEED_SEED", "x"))) {
            assertThrows(ConfigException.class, () -> FeedConfig.from(ConfigSource.load(null, bad)), bad.toString());
        }
    }
}
