package io.xex.matching;

import java.util.ArrayList;
import java.util.List;

/**
 * An engine with a small test market, driven one command at a time. Every command gets the next
 * sequence number and the fixture's clock, which only moves when a test moves it; after every command
 * the engine's invariants are checked.
 *
 * <p>The market: USDT counted in cents (2 decimals) and whole shares (0 decimals), so that one tick is
 * one cent, one lot one share, and an order's value in cents is simply price × quantity.
 */
final class EngineFixture {
    static final int USDT = 0;
    static final int TSLA = 1;
    static final int NVDA = 2;

    static final int TSLAX = 0;
    static final int NVDAX = 1;

    static final long MIN_QUANTITY = 1;
    static final long MAX_QUANTITY = 10_000;
    static final long MIN_NOTIONAL = 50;
    static final long MAX_PRICE = 1_000_000;

    final RecordingListener listener = new RecordingListener();
    final MatchingEngine engine;
    private long sequence;
    private long nowNs = 1_000_000_000L;
    private long nextOrderId = 1;

    /** A market without price bands. */
    EngineFixture() {
        this(null, TradingState.OPEN, 0);
    }

    /** A market whose TSLAx has the given bands, state and reference price; NVDAx has no bands. */
    EngineFixture(BandSpec tslaBands, TradingState tslaState, long tslaReference) {
        List<AssetSpec> assets = List.of(new AssetSpec("USDT", 2), new AssetSpec("TSLAx", 0), new AssetSpec("NVDAx", 0));
        List<InstrumentSpec> instruments = List.of(
            new InstrumentSpec("TSLAx/USDT", TSLA, USDT, 1, 1, MIN_QUANTITY, MAX_QUANTITY, MIN_NOTIONAL, MAX_PRICE,
                tslaBands, tslaState, tslaReference),
            new InstrumentSpec("NVDAx/USDT", NVDA, USDT, 1, 1, MIN_QUANTITY, MAX_QUANTITY, MIN_NOTIONAL, MAX_PRICE,
                null, TradingState.OPEN, 0));
        engine = new MatchingEngine(new EngineConfig(assets, instruments, 0, true, 5, 16), listener);
    }

    /** Applies a command and returns the events it caused, after checking every invariant. */
    List<Event> apply(Command command) {
        listener.events.clear();
        engine.apply(++sequence, nowNs, command);
        engine.checkInvariants();
        return new ArrayList<>(listener.events);
    }

    /** The same without balance events, for tests about order flow. */
    List<Event> flow(Command command) {
        return apply(command).stream().filter(e -> !(e instanceof Event.Balance)).toList();
    }

    /** Opens an account with the given fees and STP mode and funds it with 1,000,000.00 USDT and 1,000 of each share. */
    void fundedAccount(long accountId, int makerFeeBps, int takerFeeBps, StpMode stpMode) {
        apply(new Command.CreateAccount(accountId, makerFeeBps, takerFeeBps, stpMode));
        apply(new Command.Deposit(accountId, USDT, 100_000_000));
        apply(new Command.Deposit(accountId, TSLA, 1_000));
        apply(new Command.Deposit(accountId, NVDA, 1_000));
    }

    void fundedAccount(long accountId) {
        fundedAccount(accountId, 0, 0, StpMode.EXPIRE_TAKER);
    }

    long nextOrderId() {
        return nextOrderId++;
    }

    void advanceNs(long ns) {
        nowNs += ns;
    }

    static Command.PlaceOrder limit(long account, long orderId, int instrument, Side side, TimeInForce tif, long price,
                                    long quantity) {
        return Command.PlaceOrder.limit(account, orderId, instrument, side, tif, price, quantity);
    }

    static Command.PlaceOrder gtc(long account, long orderId, Side side, long price, long quantity) {
        return limit(account, orderId, TSLAX, side, TimeInForce.GTC, price, quantity);
    }

    static Command.PlaceOrder market(long account, long orderId, Side side, long quantity) {
        return new Command.PlaceOrder(account, orderId, null, TSLAX, side, OrderType.MARKET, TimeInForce.IOC, 0,
            quantity, 0);
    }

    static Command.PlaceOrder marketBudget(long account, long orderId, long budget) {
        return new Command.PlaceOrder(account, orderId, null, TSLAX, Side.BUY, OrderType.MARKET, TimeInForce.IOC, 0, 0,
            budget);
    }

    /** Rests a GTC order on TSLAx and returns its id. */
    long rest(long account, Side side, long price, long quantity) {
        long id = nextOrderId();
        apply(gtc(account, id, side, price, quantity));
        return id;
    }
}
