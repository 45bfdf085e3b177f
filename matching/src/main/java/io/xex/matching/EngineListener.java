package io.xex.matching;

/**
 * Every outcome of the engine leaves through this one interface, called on the engine's thread while a
 * command is applied. Each callback carries the sequence number and timestamp of the command that caused
 * it. {@link OrderView} arguments are valid only during the call. Implementations must not throw and must
 * not call back into the engine.
 */
public interface EngineListener {

    /** A command was refused; nothing changed. */
    default void onRejected(long sequence, long timestampNs, Command command, RejectReason reason) {
    }

    /** A new account exists. */
    default void onAccountCreated(long sequence, long timestampNs, long accountId) {
    }

    /** An order passed every check, its funds are locked, and it is about to match. */
    default void onOrderAccepted(long sequence, long timestampNs, OrderView order) {
    }

    /**
     * A trade between an incoming order and a resting one, at the resting order's price. Fees are in
     * quote units; remaining quantities on both views are already reduced by this trade.
     */
    default void onTrade(long sequence, long timestampNs, long tradeId, OrderView taker, OrderView maker,
                         long price, long quantity, long takerFee, long makerFee) {
    }

    /** A live order is resting on the book after matching (or after an amend). */
    default void onOrderRested(long sequence, long timestampNs, OrderView order) {
    }

    /** A resting order was changed in place without losing priority (a reduction). */
    default void onOrderReduced(long sequence, long timestampNs, OrderView order, long previousRemaining) {
    }

    /**
     * An order was amended; when {@code priorityKept} is false it left its place and matches again, and
     * more events for it follow.
     */
    default void onOrderAmended(long sequence, long timestampNs, OrderView order, long previousPrice,
                                long previousQuantity, boolean priorityKept) {
    }

    /** An order stopped being live; its funds are released. */
    default void onOrderDone(long sequence, long timestampNs, OrderView order, DoneReason reason) {
    }

    /** An account's balance of an asset changed; the new values are given. */
    default void onBalanceChanged(long sequence, long timestampNs, long accountId, int asset, long available,
                                  long locked) {
    }

    /**
     * A symbol's trading state, reference price or bands changed. Band edges are prices in ticks;
     * {@code 0} and {@code Long.MAX_VALUE} mean no bound.
     */
    default void onInstrumentStatus(long sequence, long timestampNs, int instrumentId, TradingState state,
                                    long referencePrice, long entryLow, long entryHigh, long executionLow,
                                    long executionHigh) {
    }

    /** A listener that ignores everything. */
    EngineListener NONE = new EngineListener() {
    };
}
