package io.xex.runtime.feed;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.Set;

/**
 * Where the price of each underlying comes from (SPEC §9: the reference price feed is pluggable): the latest
 * price of an underlying symbol ({@code TSLA}) in quote units, and a listener told of every move. Prices are
 * decimals at this edge; {@link #ticks} is the one place they become an instrument's ticks.
 *
 * <p>A feed is confined to its owner's context: {@link #subscribe} and the listener calls happen there.
 */
public interface ReferenceFeed {

    /** Told of every price move, on the feed's context. */
    @FunctionalInterface
    interface Listener {
        void onPrice(String underlying, BigDecimal price, Instant at);
    }

    /** Ends a {@link #subscribe}. */
    @FunctionalInterface
    interface Subscription {
        void cancel();
    }

    /** The underlyings this feed prices. */
    Set<String> underlyings();

    /** The latest price of {@code underlying} in quote units, or {@code null} when the feed does not price it. */
    BigDecimal price(String underlying);

    /** Calls {@code listener} after every move of any underlying until the subscription is cancelled. */
    Subscription subscribe(Listener listener);

    /**
     * {@code price} in ticks of {@code tickSize}, rounded to the nearest tick (half even) and kept between one
     * tick and {@code maxTicks}, so that the engine accepts it as a reference price.
     */
    static long ticks(BigDecimal price, BigDecimal tickSize, long maxTicks) {
        BigDecimal ticks = price.divide(tickSize, 0, RoundingMode.HALF_EVEN);
        if (ticks.signum() <= 0) {
            return 1;
        }
        return ticks.compareTo(BigDecimal.valueOf(maxTicks)) >= 0 ? maxTicks : ticks.longValueExact();
    }
}
