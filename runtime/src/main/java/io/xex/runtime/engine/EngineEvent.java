package io.xex.runtime.engine;

import io.xex.matching.Command;
import io.xex.matching.DoneReason;
import io.xex.matching.OrderType;
import io.xex.matching.OrderView;
import io.xex.matching.RejectReason;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;
import io.xex.matching.TradingState;

/**
 * An engine outcome as an immutable value, copied out of the engine's callbacks on the matching thread so
 * that it can wait for durability and then cross to other threads. Each carries the sequence number of the
 * command that caused it.
 */
public sealed interface EngineEvent {
    long sequence();

    /** An order as it stood when the event happened. */
    record OrderState(long orderId, long accountId, String clientOrderId, int instrumentId, Side side, OrderType type,
                      TimeInForce timeInForce, long price, long quantity, long remaining, long quoteBudget) {
        static OrderState of(OrderView order) {
            return new OrderState(order.orderId(), order.accountId(), order.clientOrderId(), order.instrumentId(),
                order.side(), order.type(), order.timeInForce(), order.price(), order.quantity(), order.remaining(),
                order.quoteBudget());
        }

        public long filled() {
            return quantity - remaining;
        }
    }

    record Rejected(long sequence, Command command, RejectReason reason) implements EngineEvent {
    }

    record AccountCreated(long sequence, long accountId) implements EngineEvent {
    }

    record OrderAccepted(long sequence, OrderState order) implements EngineEvent {
    }

    record Trade(long sequence, long tradeId, OrderState taker, OrderState maker, long price, long quantity,
                 long takerFee, long makerFee) implements EngineEvent {
    }

    record OrderRested(long sequence, OrderState order) implements EngineEvent {
    }

    record OrderReduced(long sequence, OrderState order, long previousRemaining) implements EngineEvent {
    }

    record OrderAmended(long sequence, OrderState order, long previousPrice, long previousQuantity,
                        boolean priorityKept) implements EngineEvent {
    }

    record OrderDone(long sequence, OrderState order, DoneReason reason) implements EngineEvent {
    }

    record BalanceChanged(long sequence, long accountId, int asset, long available, long locked)
        implements EngineEvent {
    }

    record InstrumentStatus(long sequence, int instrumentId, TradingState state, long referencePrice, long entryLow,
                            long entryHigh, long executionLow, long executionHigh) implements EngineEvent {
    }
}
