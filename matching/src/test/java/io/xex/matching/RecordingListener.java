package io.xex.matching;

import java.util.ArrayList;
import java.util.List;

/** Records every callback as an {@link Event}, copying what the pooled order views show at that moment. */
final class RecordingListener implements EngineListener {
    final List<Event> events = new ArrayList<>();

    @Override
    public void onRejected(long sequence, long timestampNs, Command command, RejectReason reason) {
        events.add(new Event.Rejected(command.getClass().getSimpleName(), reason));
    }

    @Override
    public void onAccountCreated(long sequence, long timestampNs, long accountId) {
        events.add(new Event.AccountCreated(accountId));
    }

    @Override
    public void onOrderAccepted(long sequence, long timestampNs, OrderView order) {
        events.add(new Event.Accepted(order.orderId(), order.side(), order.type(), order.timeInForce(), order.price(),
            order.quantity()));
    }

    @Override
    public void onTrade(long sequence, long timestampNs, long tradeId, OrderView taker, OrderView maker, long price,
                        long quantity, long takerFee, long makerFee) {
        events.add(new Event.Trade(tradeId, taker.orderId(), maker.orderId(), price, quantity, takerFee, makerFee));
    }

    @Override
    public void onOrderRested(long sequence, long timestampNs, OrderView order) {
        events.add(new Event.Rested(order.orderId(), order.price(), order.remaining()));
    }

    @Override
    public void onOrderReduced(long sequence, long timestampNs, OrderView order, long previousRemaining) {
        events.add(new Event.Reduced(order.orderId(), previousRemaining, order.remaining()));
    }

    @Override
    public void onOrderAmended(long sequence, long timestampNs, OrderView order, long previousPrice,
                               long previousQuantity, boolean priorityKept) {
        events.add(new Event.Amended(order.orderId(), previousPrice, previousQuantity, order.price(), order.quantity(),
            order.remaining(), priorityKept));
    }

    @Override
    public void onOrderDone(long sequence, long timestampNs, OrderView order, DoneReason reason) {
        events.add(new Event.Done(order.orderId(), reason, order.filled(), order.remaining()));
    }

    @Override
    public void onBalanceChanged(long sequence, long timestampNs, long accountId, int asset, long available,
                                 long locked) {
        events.add(new Event.Balance(accountId, asset, available, locked));
    }

    @Override
    public void onInstrumentStatus(long sequence, long timestampNs, int instrumentId, TradingState state,
                                   long referencePrice, long entryLow, long entryHigh, long executionLow,
                                   long executionHigh) {
        events.add(new Event.Status(instrumentId, state, referencePrice, entryLow, entryHigh, executionLow,
            executionHigh));
    }
}
