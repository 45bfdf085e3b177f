package io.xex.matching.replay;

import io.xex.matching.AssetSpec;
import io.xex.matching.Command;
import io.xex.matching.DoneReason;
import io.xex.matching.EngineConfig;
import io.xex.matching.EngineListener;
import io.xex.matching.InstrumentSpec;
import io.xex.matching.MatchingEngine;
import io.xex.matching.OrderView;
import io.xex.matching.RejectReason;
import io.xex.matching.Side;
import io.xex.matching.StpMode;
import io.xex.matching.TimeInForce;
import io.xex.matching.TradingState;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Runs an {@link OrderStream} through the {@link MatchingEngine}, configured the way the bench format
 * asks (shared/bench/README.md §2): no self-trade prevention, unlimited balances, no bands, tick and lot
 * of one unit. It is the same engine the venue runs; only its configuration differs.
 *
 * <p>Commands are built once, up front, so a pass allocates nothing but what the engine itself would.
 * Trades are recorded into a reusable array for the tape.
 *
 * <p>Confined to the thread that calls it; not thread-safe.
 */
public final class Replayer {
    /** Prices and quantities of unseen streams may exceed the shipped ones; these bounds leave room. */
    static final long MAX_PRICE = 1_000_000_000L;
    static final long MAX_QUANTITY = 1_000_000_000L;
    /**
     * Sized for the live orders of the shipped streams (at most 11,727), not for the stream: tables that
     * fit the cache matter more than never growing; the pools grow by themselves if a stream needs more.
     */
    static final int INITIAL_ORDER_CAPACITY = 1 << 14;

    private final OrderStream stream;
    private final EngineConfig config;
    private final Command[] commands;
    private final Command[] accounts;
    private final Recorder recorder = new Recorder();
    private MatchingEngine engine;

    public Replayer(OrderStream stream) {
        this.stream = stream;
        this.config = configFor(stream);
        this.commands = new Command[stream.size()];
        for (int i = 0; i < commands.length; i++) {
            commands[i] = commandFor(stream, i);
        }
        this.accounts = new Command[stream.maxAccount()];
        for (int a = 1; a <= stream.maxAccount(); a++) {
            accounts[a - 1] = new Command.CreateAccount(a, 0, 0, StpMode.NONE);
        }
        freshEngine();
    }

    /** The engine configuration for a stream: one instrument per symbol, quoted in one asset. */
    static EngineConfig configFor(OrderStream stream) {
        List<AssetSpec> assets = new ArrayList<>();
        assets.add(new AssetSpec("USDT", 0));
        List<InstrumentSpec> instruments = new ArrayList<>();
        for (String symbol : stream.symbols()) {
            int base = assets.size();
            assets.add(new AssetSpec(symbol, 0));
            instruments.add(new InstrumentSpec(symbol, base, 0, 1, 1, 1, MAX_QUANTITY, 0, MAX_PRICE, null,
                TradingState.OPEN, 0));
        }
        return new EngineConfig(assets, instruments, 0, false, Integer.MAX_VALUE, INITIAL_ORDER_CAPACITY);
    }

    private static Command commandFor(OrderStream stream, int i) {
        long orderId = stream.orderId(i);
        long account = stream.account(i);
        return switch (stream.op(i)) {
            case OrderStream.OP_NEW -> Command.PlaceOrder.limit(account, orderId, stream.symbol(i),
                stream.side(i) == OrderStream.SIDE_BUY ? Side.BUY : Side.SELL,
                stream.timeInForce(i) == OrderStream.TIF_GTC ? TimeInForce.GTC : TimeInForce.IOC,
                stream.price(i), stream.quantity(i));
            case OrderStream.OP_CANCEL -> new Command.CancelOrder(account, orderId, null);
            case OrderStream.OP_REDUCE -> new Command.ReduceOrder(account, orderId, stream.quantity(i));
            default -> throw new IllegalStateException("op " + stream.op(i));
        };
    }

    /** Builds a brand-new engine, as the anchor measured (allocates). */
    public void freshEngine() {
        engine = new MatchingEngine(config, recorder);
        startPass();
    }

    /** Clears the engine's state but keeps its pools: a fresh engine without allocation. */
    public void resetEngine() {
        engine.reset();
        startPass();
    }

    private void startPass() {
        recorder.clear();
        for (int a = 0; a < accounts.length; a++) {
            engine.apply(0, 0, accounts[a]);
        }
    }

    /** Applies command {@code i} (0-based); its sequence number is {@code i + 1}. */
    public void apply(int i) {
        engine.apply(i + 1, 0, commands[i]);
    }

    /** Applies every command in order. */
    public void runAll() {
        MatchingEngine engine = this.engine;
        Command[] commands = this.commands;
        for (int i = 0; i < commands.length; i++) {
            engine.apply(i + 1, 0, commands[i]);
        }
    }

    /** Trades since the last fresh or reset engine. */
    public long trades() {
        return recorder.trades;
    }

    public MatchingEngine engine() {
        return engine;
    }

    public OrderStream stream() {
        return stream;
    }

    /** Trade {@code t} (0-based) as taker id, maker id, price, quantity, written into {@code into}. */
    void trade(int t, long[] into) {
        System.arraycopy(recorder.tape, t * 4, into, 0, 4);
    }

    long[] tape() {
        return recorder.tape;
    }

    int cancelsRejected() {
        return recorder.cancelsRejected;
    }

    int reducesRejected() {
        return recorder.reducesRejected;
    }

    int reducedToZero() {
        return recorder.reducedToZero;
    }

    /** Records trades and counts rejects; its arrays grow in the first pass and are reused after. */
    private static final class Recorder implements EngineListener {
        long[] tape = new long[4 << 16];
        int trades;
        int cancelsRejected;
        int reducesRejected;
        int reducedToZero;

        void clear() {
            trades = 0;
            cancelsRejected = 0;
            reducesRejected = 0;
            reducedToZero = 0;
        }

        @Override
        public void onTrade(long sequence, long timestampNs, long tradeId, OrderView taker, OrderView maker,
                            long price, long quantity, long takerFee, long makerFee) {
            int at = trades * 4;
            if (at == tape.length) {
                tape = Arrays.copyOf(tape, tape.length * 2);
            }
            tape[at] = taker.orderId();
            tape[at + 1] = maker.orderId();
            tape[at + 2] = price;
            tape[at + 3] = quantity;
            trades++;
        }

        @Override
        public void onRejected(long sequence, long timestampNs, Command command, RejectReason reason) {
            if (command instanceof Command.CancelOrder) {
                cancelsRejected++;
            } else if (command instanceof Command.ReduceOrder) {
                reducesRejected++;
            }
        }

        @Override
        public void onOrderDone(long sequence, long timestampNs, OrderView order, DoneReason reason) {
            if (reason == DoneReason.REDUCED_TO_ZERO) {
                reducedToZero++;
            }
        }
    }
}
