package io.xex.runtime.session;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.xex.matching.Command;
import io.xex.matching.TradingState;
import io.xex.runtime.calendar.MarketCalendar;
import io.xex.runtime.config.InstrumentCatalog;
import io.xex.runtime.config.InstrumentCatalog.Instrument;
import io.xex.runtime.engine.EngineProxy;
import io.xex.runtime.feed.FeedConfig;
import io.xex.runtime.feed.ReferenceFeed;
import io.xex.runtime.feed.SimulatedFeed;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Keeps every instrument's trading state and reference price in step with the underlying market: at start and
 * at each of the calendar's opens and closes it sets {@link TradingState#OPEN} or
 * {@link TradingState#CLOSED_UNDERLYING}, and while the underlying is open it steps the simulated feed every
 * {@code feed.tickMs} and turns its moves into {@link Command.SetReferencePrice}, at most one per instrument per
 * {@code feed.publishMs} and only when the price moved by a tick.
 *
 * <p>An instrument an operator has put in {@link TradingState#HALTED} or {@link TradingState#CANCEL_ONLY} is left
 * alone at a boundary; a halt of the volatility guard (which would end by itself, back to the state before it) is
 * replaced by the session's state, so that a guard halt across a close does not end in OPEN. Between boundaries
 * nothing is changed: an operator's resume takes effect until the next boundary.
 *
 * <p>Confined to its own event-loop context: every field is written there, by timers and future callbacks.
 */
final class MarketSessionVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(MarketSessionVerticle.class.getName());
    /** After the engine could not be asked or told at a boundary, when to try again. */
    static final long RETRY_MS = 1_000;
    private static final long UNKNOWN = -1;

    /** What the session needs of one instrument, read on the matching thread. */
    record EngineView(TradingState state, boolean haltedByGuard, long referencePrice) {
    }

    private final FeedConfig config;
    private final MarketCalendar calendar;
    private final InstantSource clock;
    private final Function<io.vertx.core.Vertx, SessionTimers> timersFactory;
    private final InstrumentCatalog catalog;
    private final EngineProxy engine;
    /** Instruments by the underlying they follow: their own underlying, or their base without one. */
    private final Map<String, List<Instrument>> byUnderlying = new LinkedHashMap<>();
    private final long[] publishedTicks;
    private final long[] publishedAtMs;

    private SessionTimers timers;
    private SimulatedFeed feed;
    private boolean open;
    private long boundaryTimer = UNKNOWN;
    private long tickTimer = UNKNOWN;

    MarketSessionVerticle(FeedConfig config, MarketCalendar calendar, InstantSource clock,
                          Function<io.vertx.core.Vertx, SessionTimers> timersFactory, InstrumentCatalog catalog,
                          EngineProxy engine) {
        this.config = config;
        this.calendar = calendar;
        this.clock = clock;
        this.timersFactory = timersFactory;
        this.catalog = catalog;
        this.engine = engine;
        for (Instrument instrument : catalog.instruments()) {
            byUnderlying.computeIfAbsent(underlying(instrument), u -> new ArrayList<>()).add(instrument);
        }
        publishedTicks = new long[catalog.instruments().size()];
        publishedAtMs = new long[catalog.instruments().size()];
        Arrays.fill(publishedTicks, UNKNOWN);
        Arrays.fill(publishedAtMs, Long.MIN_VALUE);
    }

    static String underlying(Instrument instrument) {
        return instrument.underlying() != null ? instrument.underlying() : instrument.base();
    }

    /**
     * Reads the engine's states and reference prices, starts the feed from those prices (at a first start the
     * configured {@code instrument.<X>.referencePrice}, later where the journal left them), and applies the
     * session of now; done once those states are durable.
     */
    @Override
    public Future<?> start() {
        timers = timersFactory.apply(vertx);
        return view().compose(view -> {
            if (config.kind() == FeedConfig.Kind.SIMULATED) {
                feed = new SimulatedFeed(calendar, startPrices(view), config.volatilityBps(), config.seed());
                feed.subscribe(this::onPrice);
            }
            return apply(view);
        });
    }

    @Override
    public Future<?> stop() {
        cancel();
        return Future.succeededFuture();
    }

    /** The feed, or {@code null} with {@code feed.kind = none}. */
    ReferenceFeed feed() {
        return feed;
    }

    private Map<String, BigDecimal> startPrices(List<EngineView> view) {
        Map<String, BigDecimal> prices = new LinkedHashMap<>();
        byUnderlying.forEach((underlying, instruments) -> {
            for (Instrument instrument : instruments) {
                long reference = view.get(instrument.id()).referencePrice();
                if (reference > 0) {
                    prices.put(underlying, instrument.tickSize().multiply(BigDecimal.valueOf(reference)));
                    return;
                }
            }
        });
        return prices;
    }

    private Future<List<EngineView>> view() {
        int count = catalog.instruments().size();
        return engine.query(e -> {
            List<EngineView> views = new ArrayList<>(count);
            for (int id = 0; id < count; id++) {
                views.add(new EngineView(e.tradingState(id), e.haltedByGuard(id), e.referencePrice(id)));
            }
            return views;
        }).map(answer -> answer.value());
    }

    /** A calendar boundary: applies the session of now, or tries again shortly if the engine could not be reached. */
    private void onBoundary() {
        boundaryTimer = UNKNOWN;
        view().compose(this::apply).onFailure(e -> {
            LOG.log(System.Logger.Level.WARNING, "market session: boundary not applied, again in " + RETRY_MS
                + " ms: " + e.getMessage());
            if (boundaryTimer != UNKNOWN) {
                timers.cancel(boundaryTimer);
            }
            boundaryTimer = timers.at(clock.instant().plusMillis(RETRY_MS), this::onBoundary);
        });
    }

    /**
     * Sets each instrument the session's state unless an operator decided otherwise, starts or stops the feed's
     * steps, publishes the feed's prices at an open, and arms the timer for the next boundary.
     */
    private Future<Void> apply(List<EngineView> view) {
        Instant now = clock.instant();
        open = calendar.isOpen(now);
        TradingState target = open ? TradingState.OPEN : TradingState.CLOSED_UNDERLYING;
        List<Future<?>> submitted = new ArrayList<>();
        for (Instrument instrument : catalog.instruments()) {
            EngineView engineView = view.get(instrument.id());
            if (follows(engineView, target)) {
                submitted.add(engine.submit(new Command.SetTradingState(instrument.id(), target)));
            }
        }
        if (boundaryTimer != UNKNOWN) {
            timers.cancel(boundaryTimer);
        }
        boundaryTimer = timers.at(open ? calendar.nextClose(now) : calendar.nextOpen(now), this::onBoundary);
        if (open && feed != null) {
            for (Instrument instrument : catalog.instruments()) {
                publishedTicks[instrument.id()] = view.get(instrument.id()).referencePrice();
                publishedAtMs[instrument.id()] = Long.MIN_VALUE;
                publish(instrument);
            }
            if (tickTimer == UNKNOWN) {
                tickTimer = timers.every(config.tickMs(), this::onTick);
            }
        } else if (tickTimer != UNKNOWN) {
            timers.cancel(tickTimer);
            tickTimer = UNKNOWN;
        }
        return Future.all(submitted).mapEmpty();
    }

    /** Whether an instrument in this state takes the session's {@code target} state. */
    private static boolean follows(EngineView view, TradingState target) {
        return switch (view.state()) {
            case OPEN, CLOSED_UNDERLYING -> view.state() != target;
            case HALTED -> view.haltedByGuard();
            case CANCEL_ONLY -> false;
        };
    }

    private void onTick() {
        if (feed != null) {
            feed.tick(clock.instant());
        }
    }

    private void onPrice(String underlying, BigDecimal price, Instant at) {
        for (Instrument instrument : byUnderlying.getOrDefault(underlying, List.of())) {
            publish(instrument);
        }
    }

    /**
     * Journals the feed's price for the instrument while the underlying is open, when it is a tick or more from
     * the last one published and {@code feed.publishMs} has passed since.
     */
    private void publish(Instrument instrument) {
        BigDecimal price = feed.price(underlying(instrument));
        if (!open || price == null) {
            return;
        }
        int id = instrument.id();
        long ticks = ReferenceFeed.ticks(price, instrument.tickSize(), catalog.engine().instruments().get(id).maxPrice());
        long nowMs = clock.millis();
        if (ticks == publishedTicks[id]
            || (publishedAtMs[id] != Long.MIN_VALUE && nowMs - publishedAtMs[id] < config.publishMs())) {
            return;
        }
        publishedTicks[id] = ticks;
        publishedAtMs[id] = nowMs;
        engine.submit(new Command.SetReferencePrice(id, ticks)).onFailure(e -> {
            if (publishedTicks[id] == ticks) {
                publishedTicks[id] = UNKNOWN;
            }
        });
    }

    private void cancel() {
        if (timers == null) {
            return;
        }
        if (boundaryTimer != UNKNOWN) {
            timers.cancel(boundaryTimer);
            boundaryTimer = UNKNOWN;
        }
        if (tickTimer != UNKNOWN) {
            timers.cancel(tickTimer);
            tickTimer = UNKNOWN;
        }
    }
}
