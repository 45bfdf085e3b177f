package io.xex.runtime.session;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xex.runtime.VenueComponent;
import io.xex.runtime.calendar.CalendarConfig;
import io.xex.runtime.calendar.MarketCalendar;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.feed.FeedConfig;
import io.xex.runtime.feed.ReferenceFeed;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.function.Function;

/**
 * The underlying market's session as a part of the venue (SPEC §4 and §9): deploys a {@link MarketSessionVerticle}
 * that sets every instrument OPEN while the underlying trades and CLOSED_UNDERLYING otherwise, at start and at each
 * boundary of the {@link MarketCalendar}, leaving an operator's HALTED and CANCEL_ONLY alone, and journals the
 * reference feed's prices while the underlying is open. Settings are read when it is constructed.
 */
public final class MarketSessionComponent implements VenueComponent {
    private final FeedConfig config;
    private final MarketCalendar calendar;
    private final InstantSource clock;
    private final Function<Vertx, SessionTimers> timers;
    private MarketSessionVerticle verticle;
    private Vertx vertx;

    /**
     * @param clock  the time the calendar is asked about
     * @param timers the timers of the calendar's boundaries and the feed's steps ({@link SessionTimers#vertx} in a
     *               venue)
     */
    public MarketSessionComponent(FeedConfig config, MarketCalendar calendar, InstantSource clock,
                                  Function<Vertx, SessionTimers> timers) {
        this.config = config;
        this.calendar = calendar;
        this.clock = clock;
        this.timers = timers;
    }

    /** Reads {@code feed.*} and {@code calendar.*} (failing fast on a bad one); the system clock, Vert.x timers. */
    public static MarketSessionComponent from(ConfigSource config) {
        InstantSource clock = InstantSource.system();
        return new MarketSessionComponent(FeedConfig.from(config), new MarketCalendar(CalendarConfig.from(config)),
            clock, vertx -> SessionTimers.vertx(vertx, clock));
    }

    @Override
    public Future<Void> start(Services services) {
        vertx = services.vertx();
        verticle = new MarketSessionVerticle(config, calendar, clock, timers, services.catalog(),
            services.engine().proxy());
        return vertx.deployVerticle(verticle).mapEmpty();
    }

    @Override
    public Future<Void> stop() {
        if (verticle == null || verticle.deploymentID() == null) {
            return Future.succeededFuture();
        }
        return vertx.undeploy(verticle.deploymentID());
    }

    public MarketCalendar calendar() {
        return calendar;
    }

    /**
     * The reference feed once started, or {@code null} ({@code feed.kind = none}); confined to the session's
     * context, like its listeners.
     */
    public ReferenceFeed feed() {
        return verticle == null ? null : verticle.feed();
    }

    @Override
    public List<String> describe() {
        Instant now = clock.instant();
        String session = calendar.isOpen(now)
            ? "underlying open, closes " + calendar.nextClose(now)
            : "underlying closed, opens " + calendar.nextOpen(now);
        String feed = config.kind() == FeedConfig.Kind.SIMULATED
            ? "simulated reference feed (feed.seed = " + config.seed() + "), step every " + config.tickMs()
                + " ms, published at most every " + config.publishMs() + " ms"
            : "no reference feed (feed.kind = none)";
        return List.of("market      : " + session + "; " + feed + "   (docs/issuer.md)");
    }
}
