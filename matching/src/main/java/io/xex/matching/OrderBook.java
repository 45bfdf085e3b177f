package io.xex.matching;

/**
 * One symbol: its two book sides, its trading state, reference price and the bands derived from it, and
 * the volatility guard's window.
 *
 * <p>Owned by the matching thread; not thread-safe.
 */
final class OrderBook {
    static final long NO_LOWER_BOUND = 0;
    static final long NO_UPPER_BOUND = Long.MAX_VALUE;

    final int instrumentId;
    final InstrumentSpec spec;
    final BandSpec bands;
    final int baseAsset;
    final int quoteAsset;
    /** Quote units for one lot at one tick: value = price × quantity × this. */
    final long quoteUnitsPerTickLot;
    final long lotSize;
    final BookSide bids;
    final BookSide asks;

    TradingState state;
    long referencePrice;
    long entryLow = NO_LOWER_BOUND;
    long entryHigh = NO_UPPER_BOUND;
    long executionLow = NO_LOWER_BOUND;
    long executionHigh = NO_UPPER_BOUND;

    /** When the reference last moved or was set; trades while closed move it by the time since. */
    long referenceMovedNs;
    /** The first trade price of the guard's current window, 0 when no window is open. */
    long guardAnchorPrice;
    long guardAnchorNs;
    /** When a guard halt ends, 0 when there is none; the state to go back to then. */
    long haltEndsNs;
    TradingState stateAfterHalt;

    OrderBook(int instrumentId, InstrumentSpec spec, long quoteUnitsPerTickLot) {
        this.instrumentId = instrumentId;
        this.spec = spec;
        this.bands = spec.bands();
        this.baseAsset = spec.baseAsset();
        this.quoteAsset = spec.quoteAsset();
        this.quoteUnitsPerTickLot = quoteUnitsPerTickLot;
        this.lotSize = spec.lotSize();
        this.bids = new BookSide(Side.BUY, 64);
        this.asks = new BookSide(Side.SELL, 64);
        reset();
    }

    void reset() {
        state = spec.initialState();
        referencePrice = spec.initialReferencePrice();
        referenceMovedNs = 0;
        guardAnchorPrice = 0;
        guardAnchorNs = 0;
        haltEndsNs = 0;
        stateAfterHalt = null;
        updateBands();
    }

    BookSide side(Side side) {
        return side == Side.BUY ? bids : asks;
    }

    /** Derives the band edges from the reference price and the state. */
    void updateBands() {
        if (bands == null || referencePrice == 0) {
            entryLow = NO_LOWER_BOUND;
            entryHigh = NO_UPPER_BOUND;
            executionLow = NO_LOWER_BOUND;
            executionHigh = NO_UPPER_BOUND;
            return;
        }
        boolean closed = state == TradingState.CLOSED_UNDERLYING
            || (stateAfterHalt == TradingState.CLOSED_UNDERLYING);
        int entryBps = closed ? bands.closedEntryBps() : bands.entryBps();
        int executionBps = closed ? bands.closedExecutionBps() : bands.executionBps();
        long entry = referencePrice * entryBps / 10_000;
        long execution = referencePrice * executionBps / 10_000;
        entryLow = Math.max(1, referencePrice - entry);
        entryHigh = Math.min(spec.maxPrice(), referencePrice + entry);
        executionLow = Math.max(1, referencePrice - execution);
        executionHigh = Math.min(spec.maxPrice(), referencePrice + execution);
    }

    /** Value in quote units of {@code quantity} lots at {@code price} ticks. */
    long value(long price, long quantity) {
        return InstrumentSpec.value(price, quantity, quoteUnitsPerTickLot);
    }

    /** The most a buy can cost: its value plus the fee at {@code feeBps}, rounded down. */
    long maxCost(long price, long quantity, int feeBps) {
        long value = value(price, quantity);
        return value + MatchingEngine.fee(value, feeBps);
    }
}
