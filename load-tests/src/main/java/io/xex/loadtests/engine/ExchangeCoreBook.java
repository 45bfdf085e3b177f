package io.xex.loadtests.engine;

import exchange.core2.collections.objpool.ObjectsPool;
import exchange.core2.core.common.CoreSymbolSpecification;
import exchange.core2.core.common.MatcherEventType;
import exchange.core2.core.common.MatcherTradeEvent;
import exchange.core2.core.common.OrderAction;
import exchange.core2.core.common.OrderType;
import exchange.core2.core.common.SymbolType;
import exchange.core2.core.common.cmd.CommandResultCode;
import exchange.core2.core.common.cmd.OrderCommand;
import exchange.core2.core.common.config.LoggingConfiguration;
import exchange.core2.core.orderbook.IOrderBook;
import exchange.core2.core.orderbook.OrderBookDirectImpl;
import exchange.core2.core.orderbook.OrderBookEventsHelper;
import io.xex.matching.replay.OrderStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.Map;

/**
 * The anchor: exchange-core 0.5.3's {@link OrderBookDirectImpl}, one book per symbol, driven directly on the
 * calling thread (no Disruptor pipeline, no risk engine) over an {@link OrderStream}.
 *
 * <p>Every {@link OrderCommand} is built once, up front, so that a pass only calls
 * {@link IOrderBook#processCommand}. The books write into a command its {@code matcherEvent} (the head of
 * its chain of trade, reduce and reject events) and, for cancels and reduces, its {@code action}, which is
 * never read back for those. {@link #freshEngine()} and {@link #resetEngine()} clear the chains before the
 * clock starts; until then they stay attached to their commands, so {@link #writeTape} and
 * {@link #trades()} read the tape after the pass.
 *
 * <p>Owned by one thread; not thread-safe.
 */
public final class ExchangeCoreBook {

    /** The header line of a trade tape (shared/bench/README.md §3). */
    public static final String TAPE_HEADER = "taker_order_id,maker_order_id,price,qty";

    private static final LoggingConfiguration QUIET =
        new LoggingConfiguration(EnumSet.noneOf(LoggingConfiguration.LoggingLevel.class));

    private final OrderStream stream;
    private final OrderCommand[] commands;
    private final CoreSymbolSpecification[] specs;
    private final IOrderBook[] books;
    private ObjectsPool pool;
    private long rejectedCancels;
    private long rejectedReduces;

    /** Builds the commands for every line of {@code stream}; call {@link #freshEngine()} before applying them. */
    public ExchangeCoreBook(OrderStream stream) {
        this.stream = stream;
        this.commands = new OrderCommand[stream.size()];
        for (int i = 0; i < commands.length; i++) {
            commands[i] = command(stream, i);
        }
        int symbols = stream.symbols().size();
        this.specs = new CoreSymbolSpecification[symbols];
        for (int s = 0; s < symbols; s++) {
            // A currency pair with both scales 1: prices are raw ticks and sizes raw lots; no fees, no margin.
            specs[s] = new CoreSymbolSpecification(s, SymbolType.CURRENCY_EXCHANGE_PAIR, 2 * s + 1, 2 * s + 2,
                1, 1, 0, 0, 0, 0);
        }
        this.books = new IOrderBook[symbols];
    }

    private static OrderCommand command(OrderStream stream, int i) {
        long uid = stream.account(i);
        OrderCommand cmd = switch (stream.op(i)) {
            case OrderStream.OP_NEW -> {
                long price = stream.price(i);
                yield OrderCommand.newOrder(
                    stream.timeInForce(i) == OrderStream.TIF_IOC ? OrderType.IOC : OrderType.GTC,
                    stream.orderId(i), uid, price, price, stream.quantity(i),
                    stream.side(i) == OrderStream.SIDE_BUY ? OrderAction.BID : OrderAction.ASK);
            }
            case OrderStream.OP_CANCEL -> OrderCommand.cancel(stream.orderId(i), uid);
            case OrderStream.OP_REDUCE -> OrderCommand.reduce(stream.orderId(i), uid, stream.quantity(i));
            default -> throw new IllegalArgumentException("command " + i + ": unknown op " + stream.op(i));
        };
        cmd.symbol = stream.symbol(i);
        return cmd;
    }

    /**
     * A brand-new engine: a new object pool sized as exchange-core's own {@code MatchingEngineRouter} sizes
     * it, one new book per symbol, and every command reset. Allocates.
     */
    public void freshEngine() {
        pool = new ObjectsPool(Map.of(
            ObjectsPool.DIRECT_ORDER, 1024 * 1024,
            ObjectsPool.DIRECT_BUCKET, 1024 * 64,
            ObjectsPool.ART_NODE_4, 1024 * 32,
            ObjectsPool.ART_NODE_16, 1024 * 16,
            ObjectsPool.ART_NODE_48, 1024 * 8,
            ObjectsPool.ART_NODE_256, 1024 * 4));
        resetEngine();
    }

    /**
     * As near a reset as exchange-core's API allows: the books have no clear operation, so new books are
     * built over the existing object pool, which keeps whatever orders, buckets and tree nodes earlier passes
     * returned to it. Resets every command. Call {@link #freshEngine()} once first.
     */
    public void resetEngine() {
        if (pool == null) {
            throw new IllegalStateException("freshEngine() was never called");
        }
        for (int s = 0; s < books.length; s++) {
            books[s] = new OrderBookDirectImpl(specs[s], pool, OrderBookEventsHelper.NON_POOLED_EVENTS_HELPER, QUIET);
        }
        for (OrderCommand cmd : commands) {
            cmd.matcherEvent = null;
            cmd.resultCode = CommandResultCode.VALID_FOR_MATCHING_ENGINE;
        }
        rejectedCancels = 0;
        rejectedReduces = 0;
    }

    /** Applies command {@code i} (0-based) to its symbol's book. */
    public void apply(int i) {
        OrderCommand cmd = commands[i];
        CommandResultCode result = IOrderBook.processCommand(books[cmd.symbol], cmd);
        if (result != CommandResultCode.SUCCESS) {
            byte op = stream.op(i);
            if (op == OrderStream.OP_CANCEL) {
                rejectedCancels++;
            } else if (op == OrderStream.OP_REDUCE) {
                rejectedReduces++;
            } else {
                throw new IllegalStateException("command " + i + ": exchange-core answered " + result);
            }
        }
    }

    /** Applies every command in order. */
    public void runAll() {
        for (int i = 0, n = commands.length; i < n; i++) {
            apply(i);
        }
    }

    /** Cancels rejected (order not live) since the last fresh engine or reset. */
    public long rejectedCancels() {
        return rejectedCancels;
    }

    /** Reduces rejected (order not live) since the last fresh engine or reset. */
    public long rejectedReduces() {
        return rejectedReduces;
    }

    /** Trades in the event chains of the commands applied since the last fresh engine or reset. */
    public long trades() {
        long trades = 0;
        for (OrderCommand cmd : commands) {
            for (MatcherTradeEvent e = cmd.matcherEvent; e != null; e = e.nextEvent) {
                if (e.eventType == MatcherEventType.TRADE) {
                    trades++;
                }
            }
        }
        return trades;
    }

    /**
     * Writes the trade tape (shared/bench/README.md §3) of the commands applied since the last fresh engine
     * or reset: each command's TRADE events, in chain order, as taker = the command's order, maker = the
     * matched order, the event's price and size.
     */
    public void writeTape(OutputStream out) throws IOException {
        StringBuilder line = new StringBuilder(64);
        out.write((TAPE_HEADER + "\n").getBytes(StandardCharsets.US_ASCII));
        for (OrderCommand cmd : commands) {
            for (MatcherTradeEvent e = cmd.matcherEvent; e != null; e = e.nextEvent) {
                if (e.eventType == MatcherEventType.TRADE) {
                    line.setLength(0);
                    line.append(cmd.orderId).append(',').append(e.matchedOrderId).append(',')
                        .append(e.price).append(',').append(e.size).append('\n');
                    out.write(line.toString().getBytes(StandardCharsets.US_ASCII));
                }
            }
        }
    }
}
