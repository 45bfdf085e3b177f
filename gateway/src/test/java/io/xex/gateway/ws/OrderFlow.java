package io.xex.gateway.ws;

import io.xex.matching.Command;
import io.xex.matching.DoneReason;
import io.xex.matching.OrderType;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;
import io.xex.runtime.engine.EngineProxy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * For tests: a seeded random order flow on one instrument from demo accounts 1..3, sent straight to the
 * engine's proxy: resting orders on both sides across many price levels, crossing orders that fill makers
 * in part or in full, IOC sweeps, amends (new price, lower quantity keeping priority, higher quantity),
 * reductions, cancels and the odd cancel-all. Each step sends a few commands at once (so that the gateway
 * sees results in batches) and waits until all are durable. Prices stay within a few ticks of 420.00,
 * inside the entry and execution bands and far from the volatility guard.
 *
 * <p>Used from one thread at a time; {@link #steps()} may be read from any.
 */
final class OrderFlow {
    /** Bids rest in 419.50..420.05 and asks in 419.95..420.50: they overlap, so new orders often cross. */
    static final long MID = 42_000;
    static final long BUY_LOW = MID - 50;
    static final long BUY_HIGH = MID + 5;
    static final long SELL_LOW = MID - 5;
    static final long SELL_HIGH = MID + 50;
    private static final long[] ACCOUNTS = {1, 2, 3};

    private final EngineProxy engine;
    private final int instrumentId;
    private final Random random;
    private final int maxBatch;
    private final int maxLive;
    /** The flow's resting orders as the engine last reported them. */
    private final Map<Long, EngineEvent.OrderState> live = new LinkedHashMap<>();
    private final AtomicLong steps = new AtomicLong();
    long commands;
    long accepted;
    long trades;
    long partialFills;
    long amends;
    long priorityKeptAmends;
    long reductions;
    long cancels;
    long cancelAlls;
    long rejects;
    long lastSequence;

    OrderFlow(EngineProxy engine, int instrumentId, long seed, int maxBatch, int maxLive) {
        this.engine = engine;
        this.instrumentId = instrumentId;
        this.random = new Random(seed);
        this.maxBatch = maxBatch;
        this.maxLive = maxLive;
    }

    long steps() {
        return steps.get();
    }

    /** Sends 1..maxBatch commands at once and waits until all are durable. */
    void step() throws Exception {
        int n = 1 + random.nextInt(maxBatch);
        List<CompletableFuture<CommandResult>> results = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            results.add(engine.submit(next()).toCompletionStage().toCompletableFuture());
            commands++;
        }
        for (CompletableFuture<CommandResult> result : results) {
            follow(result.get(20, TimeUnit.SECONDS));
        }
        steps.incrementAndGet();
    }

    private Command next() {
        int r = random.nextInt(100);
        if (live.size() > maxLive && r < 60) {
            r = 80; // too many resting orders: cancel one
        }
        EngineEvent.OrderState target = live.isEmpty() ? null : randomLive();
        if (target == null || r < 50) {
            return place();
        }
        if (r < 56) {
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            return Command.PlaceOrder.limit(account(), 1, instrumentId, side, TimeInForce.IOC,
                side == Side.BUY ? MID + 20 : MID - 20, quantity());
        }
        if (r < 74) {
            return amend(target);
        }
        if (r < 87) {
            return new Command.CancelOrder(target.accountId(), target.orderId(), null);
        }
        if (r < 99 || live.size() < maxLive / 2) {
            long by = random.nextInt(4) == 0 ? target.remaining() : 1 + random.nextLong(target.remaining());
            return new Command.ReduceOrder(target.accountId(), target.orderId(), by);
        }
        return new Command.CancelAll(account(), instrumentId);
    }

    private Command place() {
        Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
        long price = side == Side.BUY ? between(BUY_LOW, BUY_HIGH) : between(SELL_LOW, SELL_HIGH);
        return new Command.PlaceOrder(account(), 1, null, instrumentId, side, OrderType.LIMIT, TimeInForce.GTC,
            price, quantity(), 0);
    }

    private Command amend(EngineEvent.OrderState order) {
        long filled = order.filled();
        int kind = random.nextInt(4);
        long price = order.price();
        long quantity = order.quantity();
        if (kind <= 1) {
            long moved = price + (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(6));
            price = order.side() == Side.BUY ? Math.clamp(moved, BUY_LOW, BUY_HIGH) : Math.clamp(moved, SELL_LOW, SELL_HIGH);
            if (price == order.price()) {
                price = order.side() == Side.BUY ? price - 1 : price + 1;
            }
        } else if (kind == 2 && order.remaining() > 1) {
            quantity = filled + Math.max(1, order.remaining() / 2); // lower at the same price: keeps priority
        } else {
            quantity = order.quantity() + 1 + random.nextInt(500);
        }
        return new Command.AmendOrder(order.accountId(), order.orderId(), null, price, quantity);
    }

    private EngineEvent.OrderState randomLive() {
        int index = random.nextInt(live.size());
        for (EngineEvent.OrderState order : live.values()) {
            if (index-- == 0) {
                return order;
            }
        }
        throw new IllegalStateException();
    }

    private long account() {
        return ACCOUNTS[random.nextInt(ACCOUNTS.length)];
    }

    private long between(long low, long high) {
        return low + random.nextLong(high - low + 1);
    }

    /** 0.020 .. 3.000, mostly small. */
    private long quantity() {
        return random.nextInt(5) == 0 ? between(1_000, 3_000) : between(20, 800);
    }

    private void follow(CommandResult result) {
        lastSequence = Math.max(lastSequence, result.sequence());
        for (EngineEvent event : result.events()) {
            switch (event) {
                case EngineEvent.OrderAccepted e -> accepted++;
                case EngineEvent.OrderRested e -> live.put(e.order().orderId(), e.order());
                case EngineEvent.OrderAmended e -> {
                    amends++;
                    if (e.priorityKept()) {
                        priorityKeptAmends++;
                    }
                    live.computeIfPresent(e.order().orderId(), (id, old) -> e.order());
                }
                case EngineEvent.OrderReduced e -> {
                    reductions++;
                    live.computeIfPresent(e.order().orderId(), (id, old) -> e.order());
                }
                case EngineEvent.Trade e -> {
                    trades++;
                    if (e.maker().remaining() > 0) {
                        partialFills++;
                    }
                    live.computeIfPresent(e.maker().orderId(), (id, old) -> e.maker());
                    live.computeIfPresent(e.taker().orderId(), (id, old) -> e.taker());
                }
                case EngineEvent.OrderDone e -> {
                    live.remove(e.order().orderId());
                    if (e.reason() == DoneReason.CANCELLED) {
                        cancels++;
                    } else if (e.reason() == DoneReason.CANCELLED_ALL) {
                        cancelAlls++;
                    }
                }
                case EngineEvent.Rejected e -> rejects++;
                default -> {
                    // balances and statuses: not the flow's business
                }
            }
        }
    }

    @Override
    public String toString() {
        return "OrderFlow{steps=" + steps() + " commands=" + commands + " accepted=" + accepted + " trades=" + trades
            + " partialFills=" + partialFills + " amends=" + amends + " (priority kept " + priorityKeptAmends + ")"
            + " reductions=" + reductions + " cancels=" + cancels + " cancelledByCancelAll=" + cancelAlls
            + " rejects=" + rejects + " live=" + live.size() + "}";
    }
}
