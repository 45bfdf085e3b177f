package io.xex.runtime.feed;

import io.xex.runtime.calendar.MarketCalendar;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * The demo's reference feed: a seeded random walk per underlying that moves only while the underlying market is
 * open. Each {@link #tick} during a session moves every underlying by a whole number of micro-units drawn
 * uniformly from {@code ±volatilityBps} of its price (integer arithmetic, no floating point); outside a session
 * the prices stay where the last session left them. The same seed, starting prices and ticks give the same
 * prices. A step is less than the whole price, so a price never reaches zero.
 *
 * <p>Clockless: its owner calls {@link #tick} every {@code feed.tickMs} with the time. Confined to the owner's
 * context; not thread-safe.
 */
public final class SimulatedFeed implements ReferenceFeed {
    /** Prices are kept in units of 10^-6 of the quote. */
    public static final int SCALE = 6;
    private static final long BPS = 10_000;

    private final MarketCalendar calendar;
    private final int volatilityBps;
    private final Random random;
    /** By underlying, in name order, so that the walk does not depend on the order the start prices came in. */
    private final Map<String, Long> micros = new TreeMap<>();
    private final List<Listener> listeners = new ArrayList<>();

    /**
     * @param startPrices   each underlying's first price in quote units, positive
     * @param volatilityBps the largest move of one step in basis points of the price, 1 to 1,000
     * @param seed          the random walk's seed
     */
    public SimulatedFeed(MarketCalendar calendar, Map<String, BigDecimal> startPrices, int volatilityBps, long seed) {
        if (volatilityBps < 1 || volatilityBps > FeedConfig.MAX_VOLATILITY_BPS) {
            throw new IllegalArgumentException("volatilityBps must be 1 to " + FeedConfig.MAX_VOLATILITY_BPS);
        }
        this.calendar = calendar;
        this.volatilityBps = volatilityBps;
        this.random = new Random(seed);
        startPrices.forEach((underlying, price) -> {
            long units = price.setScale(SCALE, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
            if (units <= 0) {
                throw new IllegalArgumentException(underlying + ": a start price must be positive, not " + price);
            }
            micros.put(underlying, units);
        });
    }

    @Override
    public Set<String> underlyings() {
        return Collections.unmodifiableSet(micros.keySet());
    }

    @Override
    public BigDecimal price(String underlying) {
        Long units = micros.get(underlying);
        return units == null ? null : BigDecimal.valueOf(units, SCALE);
    }

    @Override
    public Subscription subscribe(Listener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * One step of the walk at {@code now}: when the market is open every underlying moves (a step may be zero)
     * and the listeners hear of each that changed; when it is closed nothing moves. Returns whether the market
     * was open.
     */
    public boolean tick(Instant now) {
        if (!calendar.isOpen(now)) {
            return false;
        }
        for (Map.Entry<String, Long> entry : micros.entrySet()) {
            long price = entry.getValue();
            long maxStep = price * volatilityBps / BPS;
            long step = maxStep == 0 ? 0 : random.nextLong(2 * maxStep + 1) - maxStep;
            if (step != 0) {
                entry.setValue(price + step);
                BigDecimal moved = BigDecimal.valueOf(price + step, SCALE);
                for (Listener listener : List.copyOf(listeners)) {
                    listener.onPrice(entry.getKey(), moved, now);
                }
            }
        }
        return true;
    }
}
