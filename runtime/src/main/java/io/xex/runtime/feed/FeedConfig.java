package io.xex.runtime.feed;

import io.xex.runtime.config.ConfigException;
import io.xex.runtime.config.ConfigSource;

import java.security.SecureRandom;
import java.util.Locale;

/**
 * The reference feed's settings ({@code feed.*} in xex-defaults.properties), checked before anything starts.
 *
 * @param kind          which feed: {@link Kind#SIMULATED} or {@link Kind#NONE}
 * @param tickMs        how often the simulated feed steps while the underlying is open
 * @param publishMs     the least time between two reference prices journaled for one instrument
 * @param seed          the simulated feed's random seed
 * @param volatilityBps the largest move of one simulated step, in basis points of the price
 */
public record FeedConfig(Kind kind, long tickMs, long publishMs, long seed, int volatilityBps) {
    public static final long DEFAULT_TICK_MS = 1_000;
    public static final long DEFAULT_PUBLISH_MS = 5_000;
    public static final int DEFAULT_VOLATILITY_BPS = 3;
    public static final int MAX_VOLATILITY_BPS = 1_000;

    /** {@code feed.kind}. */
    public enum Kind {
        /** {@link SimulatedFeed}: a seeded random walk that moves only while the underlying is open. */
        SIMULATED,
        /** No feed: trading states still follow the calendar, reference prices move only by trades while closed. */
        NONE
    }

    public FeedConfig {
        if (tickMs < 1 || publishMs < 1 || volatilityBps < 1 || volatilityBps > MAX_VOLATILITY_BPS) {
            throw new ConfigException("feed: need tickMs >= 1, publishMs >= 1, volatilityBps 1 to "
                + MAX_VOLATILITY_BPS);
        }
    }

    public static FeedConfig from(ConfigSource config) {
        String kind = config.string("feed.kind");
        Kind parsed = switch (kind.toLowerCase(Locale.ROOT)) {
            case "simulated" -> Kind.SIMULATED;
            case "none" -> Kind.NONE;
            default -> throw config.invalid("feed.kind", kind, "simulated or none");
        };
        String seed = config.optionalString("feed.seed");
        long parsedSeed;
        if (seed == null || seed.isBlank()) {
            parsedSeed = new SecureRandom().nextLong();
        } else {
            parsedSeed = config.longValue("feed.seed", Long.MIN_VALUE, Long.MAX_VALUE);
        }
        return new FeedConfig(parsed, config.longValue("feed.tickMs", 10, 3_600_000),
            config.longValue("feed.publishMs", 10, 3_600_000), parsedSeed,
            config.intValue("feed.volatilityBps", 1, MAX_VOLATILITY_BPS));
    }
}
