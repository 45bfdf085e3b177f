package io.xex.gateway.market;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xex.gateway.Listings;
import io.xex.gateway.Listings.Listing;
import io.xex.gateway.Messages;
import io.xex.matching.Side;
import io.xex.matching.TradingState;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;
import io.xex.runtime.engine.EngineProxy;
import io.xex.runtime.engine.QueryAnswer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The venue's market data and account events, built from the engine's durable results (never from
 * anything a crash could take back): a price-level mirror of every book with per-symbol update ids and
 * checksums, recent trades, 24-hour tickers, trading statuses; and each account's executions and balance
 * changes. It starts from a {@link Seed} read on the matching thread and then follows every result after
 * the seed's sequence; results at or below it are already in the seed.
 *
 * <p>Each result batch becomes at most one book delta, one trades message and one status message per
 * symbol, built once and handed to the {@link Outbox} for every subscriber.
 *
 * <p>Confined to the gateway's context; not thread-safe.
 */
public final class MarketData {
    public static final String BOOK = "book.";
    public static final String TRADES = "trades.";
    public static final String TICKER = "ticker.";
    public static final String STATUS = "status.";
    public static final String EXECUTIONS = "executions";
    public static final String BALANCES = "balances";

    private record Tracked(int instrumentId, Side side, long price, long remaining) {
    }

    private final Listings listings;
    private final Outbox outbox;
    private final int recentTradesKept;
    private final LongSupplier clockMs;
    private final BookMirror[] books;
    private final Ticker[] tickers;
    private final List<ArrayDeque<JsonObject>> recentTrades = new ArrayList<>();
    private final JsonObject[] statuses;
    private final Map<Long, Tracked> resting = new HashMap<>();
    private final BitSet tickersChanged = new BitSet();
    private final List<List<JsonObject>> batchTrades = new ArrayList<>();
    private final BitSet statusChanged = new BitSet();
    /** Results at or below this sequence are in the seed; -1 until seeded. */
    private long seedSequence = -1;

    public MarketData(Listings listings, Outbox outbox, int recentTradesKept, LongSupplier clockMs) {
        this.listings = listings;
        this.outbox = outbox;
        this.recentTradesKept = recentTradesKept;
        this.clockMs = clockMs;
        int n = listings.all().size();
        books = new BookMirror[n];
        tickers = new Ticker[n];
        statuses = new JsonObject[n];
        for (int i = 0; i < n; i++) {
            tickers[i] = new Ticker();
            recentTrades.add(new ArrayDeque<>());
            batchTrades.add(new ArrayList<>());
        }
    }

    /**
     * Reads the books and statuses from the engine; completes once seeded, with the seed's sequence. Call
     * after subscribing to the engine's results, so that nothing after the seed is missed.
     */
    public Future<Long> start(EngineProxy engine) {
        int n = listings.all().size();
        return engine.query(e -> Seed.read(e, n)).map(this::seed);
    }

    private long seed(QueryAnswer<Seed> answer) {
        long sequence = answer.sequence();
        Seed seed = answer.value();
        for (Listing listing : listings.all()) {
            int id = listing.id();
            BookMirror book = new BookMirror(listing, sequence);
            for (Seed.Resting order : seed.orders().get(id)) {
                resting.put(order.orderId(), new Tracked(id, order.side(), order.price(), order.remaining()));
                book.change(order.side(), order.price(), order.remaining(), sequence);
            }
            book.takeDelta();
            books[id] = book;
            Seed.Status status = seed.statuses().get(id);
            statuses[id] = status(listing, status.state(), status.referencePrice(), status.bands().entryLow(),
                status.bands().entryHigh(), status.bands().executionLow(), status.bands().executionHigh(), sequence);
        }
        seedSequence = sequence;
        return sequence;
    }

    /** Adds a trade that happened before the seed (from history), oldest first. */
    public void addPastTrade(int instrumentId, long tradeId, long timestampNs, long price, long quantity, Side takerSide) {
        Listing listing = listings.byId(instrumentId);
        long timeMs = Messages.millis(timestampNs);
        remember(instrumentId, Messages.publicTrade(listing, tradeId, price, quantity, takerSide.name(), timeMs));
        tickers[instrumentId].onTrade(tradeId, timeMs, price, quantity, listing.notional(price, quantity));
    }

    /** Follows one batch of durable results, in sequence order. */
    public void onResults(List<CommandResult> results) {
        if (seedSequence < 0) {
            return; // before the seed's answer arrives, every result delivered is at or below its sequence
        }
        for (CommandResult result : results) {
            if (result.sequence() <= seedSequence) {
                continue;
            }
            long timeMs = Messages.millis(result.timestampNs());
            for (EngineEvent event : result.events()) {
                apply(result.sequence(), timeMs, event);
            }
        }
        for (int id = 0; id < books.length; id++) {
            if (books[id].hasChanges()) {
                tickersChanged.set(id);
                outbox.toChannel(BOOK + listings.byId(id).symbol(), "delta", books[id].takeDelta());
            }
        }
        for (int id = 0; id < books.length; id++) {
            List<JsonObject> trades = batchTrades.get(id);
            if (!trades.isEmpty()) {
                outbox.toChannel(TRADES + listings.byId(id).symbol(), "update", new JsonObject()
                    .put("symbol", listings.byId(id).symbol()).put("trades", new JsonArray(new ArrayList<>(trades))));
                trades.clear();
            }
        }
        for (int id = statusChanged.nextSetBit(0); id >= 0; id = statusChanged.nextSetBit(id + 1)) {
            outbox.toChannel(STATUS + listings.byId(id).symbol(), "update", statuses[id]);
        }
        statusChanged.clear();
    }

    private void apply(long sequence, long timeMs, EngineEvent event) {
        switch (event) {
            case EngineEvent.OrderAccepted e -> execution(sequence, timeMs, "ACCEPTED", e.order(), null, null);
            case EngineEvent.OrderRested e -> {
                track(sequence, e.order(), true);
                execution(sequence, timeMs, "RESTED", e.order(), null, null);
            }
            case EngineEvent.OrderReduced e -> {
                track(sequence, e.order(), false);
                execution(sequence, timeMs, "REDUCED", e.order(), null, null);
            }
            case EngineEvent.OrderAmended e -> {
                track(sequence, e.order(), false);
                execution(sequence, timeMs, "AMENDED", e.order(), null, new JsonObject()
                    .put("previousPrice", listings.byId(e.order().instrumentId()).price(e.previousPrice()))
                    .put("previousQuantity", listings.byId(e.order().instrumentId()).quantity(e.previousQuantity()))
                    .put("priorityKept", e.priorityKept()));
            }
            case EngineEvent.OrderDone e -> {
                untrack(sequence, e.order().orderId());
                execution(sequence, timeMs, "DONE", e.order(), e.reason(), null);
            }
            case EngineEvent.Trade e -> trade(sequence, timeMs, e);
            case EngineEvent.BalanceChanged e -> {
                if (outbox.wants(e.accountId(), BALANCES)) {
                    outbox.toAccount(e.accountId(), BALANCES, sequence,
                        Messages.balance(listings, e.asset(), e.available(), e.locked()).put("updateId", sequence));
                }
            }
            case EngineEvent.InstrumentStatus e -> {
                statuses[e.instrumentId()] = status(listings.byId(e.instrumentId()), e.state(), e.referencePrice(),
                    e.entryLow(), e.entryHigh(), e.executionLow(), e.executionHigh(), sequence);
                statusChanged.set(e.instrumentId());
            }
            case EngineEvent.Rejected e -> {
                // answered to the requester; nothing public changes
            }
            case EngineEvent.AccountCreated e -> {
                // nothing public
            }
        }
    }

    private void trade(long sequence, long timeMs, EngineEvent.Trade trade) {
        EngineEvent.OrderState maker = trade.maker();
        int id = maker.instrumentId();
        Listing listing = listings.byId(id);
        track(sequence, maker, false);
        track(sequence, trade.taker(), false);
        JsonObject json = Messages.publicTrade(listing, trade.tradeId(), trade.price(), trade.quantity(),
            trade.taker().side().name(), timeMs);
        remember(id, json);
        batchTrades.get(id).add(json);
        tickers[id].onTrade(trade.tradeId(), timeMs, trade.price(), trade.quantity(),
            listing.notional(trade.price(), trade.quantity()));
        tickersChanged.set(id);
        tradeExecution(sequence, timeMs, trade, true);
        tradeExecution(sequence, timeMs, trade, false);
    }

    private void tradeExecution(long sequence, long timeMs, EngineEvent.Trade trade, boolean taker) {
        EngineEvent.OrderState own = taker ? trade.taker() : trade.maker();
        if (outbox.wants(own.accountId(), EXECUTIONS)) {
            outbox.toAccount(own.accountId(), EXECUTIONS, sequence, new JsonObject()
                .put("type", "TRADE").put("updateId", sequence).put("fill", Messages.fill(listings, trade, taker, timeMs))
                .put("order", Messages.order(listings, own, null)));
        }
    }

    private void execution(long sequence, long timeMs, String type, EngineEvent.OrderState order,
                           io.xex.matching.DoneReason done, JsonObject extra) {
        if (!outbox.wants(order.accountId(), EXECUTIONS)) {
            return;
        }
        JsonObject json = new JsonObject().put("type", type).put("updateId", sequence).put("time", timeMs)
            .put("order", Messages.order(listings, order, done));
        if (extra != null) {
            json.mergeIn(extra);
        }
        outbox.toAccount(order.accountId(), EXECUTIONS, sequence, json);
    }

    /** Moves a resting order's quantity to where the event says it is; {@code rests}: the order rests now. */
    private void track(long sequence, EngineEvent.OrderState order, boolean rests) {
        Tracked before = resting.get(order.orderId());
        if (before == null && !rests) {
            return;
        }
        BookMirror book = books[order.instrumentId()];
        if (before != null) {
            book.change(before.side(), before.price(), -before.remaining(), sequence);
        }
        book.change(order.side(), order.price(), order.remaining(), sequence);
        resting.put(order.orderId(), new Tracked(order.instrumentId(), order.side(), order.price(), order.remaining()));
    }

    private void untrack(long sequence, long orderId) {
        Tracked before = resting.remove(orderId);
        if (before != null) {
            books[before.instrumentId()].change(before.side(), before.price(), -before.remaining(), sequence);
        }
    }

    private void remember(int instrumentId, JsonObject trade) {
        ArrayDeque<JsonObject> recent = recentTrades.get(instrumentId);
        recent.addLast(trade);
        while (recent.size() > recentTradesKept) {
            recent.removeFirst();
        }
    }

    private static JsonObject status(Listing listing, TradingState state, long referencePrice, long entryLow,
                                     long entryHigh, long executionLow, long executionHigh, long sequence) {
        return new JsonObject()
            .put("symbol", listing.symbol())
            .put("state", state.name())
            .put("referencePrice", referencePrice == 0 ? null : listing.price(referencePrice))
            .put("entryBand", Messages.band(listing, entryLow, entryHigh))
            .put("executionBand", Messages.band(listing, executionLow, executionHigh))
            .put("updateId", sequence);
    }

    // ---------------------------------------------------------------------------------------------
    // Snapshots, for subscriptions and REST

    /** The book down to {@code depth} levels a side (0: all), with its update id and checksum. */
    public JsonObject book(Listing listing, int depth) {
        return books[listing.id()].snapshot(depth);
    }

    /** The most recent trades, newest last, at most {@code limit}. */
    public JsonObject trades(Listing listing, int limit) {
        ArrayDeque<JsonObject> recent = recentTrades.get(listing.id());
        JsonArray out = new JsonArray();
        int skip = Math.max(0, recent.size() - limit);
        Iterator<JsonObject> it = recent.iterator();
        for (int i = 0; it.hasNext(); i++) {
            JsonObject trade = it.next();
            if (i >= skip) {
                out.add(trade);
            }
        }
        return new JsonObject().put("symbol", listing.symbol()).put("trades", out);
    }

    public JsonObject status(Listing listing) {
        return statuses[listing.id()];
    }

    /** Last price, best bid and ask, and the rolling 24 hours. */
    public JsonObject ticker(Listing listing) {
        int id = listing.id();
        Ticker ticker = tickers[id];
        long[] day = ticker.window(clockMs.getAsLong());
        var bid = books[id].best(Side.BUY);
        var ask = books[id].best(Side.SELL);
        return new JsonObject()
            .put("symbol", listing.symbol())
            .put("last", ticker.lastPrice() == 0 ? null : listing.price(ticker.lastPrice()))
            .put("bid", bid == null ? null : listing.price(bid.getKey()))
            .put("bidQuantity", bid == null ? null : listing.quantity(bid.getValue()))
            .put("ask", ask == null ? null : listing.price(ask.getKey()))
            .put("askQuantity", ask == null ? null : listing.quantity(ask.getValue()))
            .put("open24h", day[0] == 0 ? null : listing.price(day[0]))
            .put("high24h", day[1] == 0 ? null : listing.price(day[1]))
            .put("low24h", day[2] == 0 ? null : listing.price(day[2]))
            .put("volume24h", listing.quantity(day[3]))
            .put("quoteVolume24h", listing.quote(day[4]))
            .put("updateId", books[id].updateId());
    }

    /** Pushes the ticker of every symbol that traded or changed its book since the last call (on a timer). */
    public void pushTickers() {
        for (int id = tickersChanged.nextSetBit(0); id >= 0; id = tickersChanged.nextSetBit(id + 1)) {
            outbox.toChannel(TICKER + listings.byId(id).symbol(), "update", ticker(listings.byId(id)));
        }
        tickersChanged.clear();
    }
}
