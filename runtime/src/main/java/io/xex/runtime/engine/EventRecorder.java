package io.xex.runtime.engine;

import io.xex.matching.Command;
import io.xex.matching.DoneReason;
import io.xex.matching.EngineListener;
import io.xex.matching.OrderView;
import io.xex.matching.RejectReason;
import io.xex.matching.TradingState;

import java.util.ArrayList;
import java.util.List;

/**
 * The engine's listener in the runtime: copies each callback into an {@link EngineEvent} for the command
 * being applied, and bumps the engine counters.
 *
 * <p>Owned by the matching thread (during recovery, by the thread that recovers); not thread-safe.
 */
final class EventRecorder implements EngineListener {
    private final EngineCounters counters;
    private final List<EngineEvent> events = new ArrayList<>(16);

    EventRecorder(EngineCounters counters) {
        this.counters = counters;
    }

    /** The events of the command just applied, as an immutable list; the recorder's own list is reused. */
    List<EngineEvent> take() {
        List<EngineEvent> taken = List.copyOf(events);
        events.clear();
        return taken;
    }

    @Override
    public void onRejected(long sequence, long timestampNs, Command command, RejectReason reason) {
        counters.rejected(reason);
        events.add(new EngineEvent.Rejected(sequence, command, reason));
    }

    @Override
    public void onAccountCreated(long sequence, long timestampNs, long accountId) {
        events.add(new EngineEvent.AccountCreated(sequence, accountId));
    }

    @Override
    public void onOrderAccepted(long sequence, long timestampNs, OrderView order) {
        events.add(new EngineEvent.OrderAccepted(sequence, EngineEvent.OrderState.of(order)));
    }

    @Override
    public void onTrade(long sequence, long timestampNs, long tradeId, OrderView taker, OrderView maker, long price,
                        long quantity, long takerFee, long makerFee) {
        counters.traded();
        events.add(new EngineEvent.Trade(sequence, tradeId, EngineEvent.OrderState.of(taker),
            EngineEvent.OrderState.of(maker), price, quantity, takerFee, makerFee));
    }

    @Override
    public void onOrderRested(long sequence, long timestampNs, OrderView order) {
        events.add(new EngineEvent.OrderRested(sequence, EngineEvent.OrderState.of(order)));
    }

    @Override
    public void onOrderReduced(long sequence, long timestampNs, OrderView order, long previousRemaining) {
        events.add(new EngineEvent.OrderReduced(sequence, EngineEvent.OrderState.of(order), previousRemaining));
    }

    @Override
    public void onOrderAmended(long sequence, long timestampNs, OrderView order, long previousPrice,
                               long previousQuantity, boolean priorityKept) {
        events.add(new EngineEvent.OrderAmended(sequence, EngineEvent.OrderState.of(order), previousPrice,
            previousQuantity, priorityKept));
    }

    @Override
    public void onOrderDone(long sequence, long timestampNs, OrderView order, DoneReason reason) {
        events.add(new EngineEvent.OrderDone(sequence, EngineEvent.OrderState.of(order), reason));
    }

    @Override
    public void onBalanceChanged(long sequence, long timestampNs, long accountId, int asset, long available,
                                 long locked) {
        events.add(new EngineEvent.BalanceChanged(sequence, accountId, asset, available, locked));
    }

    @Override
    public void onInstrumentStatus(long sequence, long timestampNs, int instrumentId, TradingState state,
                                   long referencePrice, long entryLow, long entryHigh, long executionLow,
                                   long executionHigh) {
        events.add(new EngineEvent.InstrumentStatus(sequence, instrumentId, state, referencePrice, entryLow, entryHigh,
            executionLow, executionHigh));
    }
}
