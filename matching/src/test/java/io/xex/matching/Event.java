package io.xex.matching;

/** What a {@link RecordingListener} turns each callback into, so that tests compare whole event lists. */
sealed interface Event {

    record Rejected(String command, RejectReason reason) implements Event {
    }

    record AccountCreated(long accountId) implements Event {
    }

    record Accepted(long orderId, Side side, OrderType type, TimeInForce timeInForce, long price, long quantity)
        implements Event {
    }

    record Trade(long tradeId, long takerOrderId, long makerOrderId, long price, long quantity, long takerFee,
                 long makerFee) implements Event {
    }

    record Rested(long orderId, long price, long remaining) implements Event {
    }

    record Reduced(long orderId, long previousRemaining, long remaining) implements Event {
    }

    record Amended(long orderId, long previousPrice, long previousQuantity, long price, long quantity,
                   long remaining, boolean priorityKept) implements Event {
    }

    record Done(long orderId, DoneReason reason, long filled, long remaining) implements Event {
    }

    record Balance(long accountId, int asset, long available, long locked) implements Event {
    }

    record Status(int instrumentId, TradingState state, long referencePrice, long entryLow, long entryHigh,
                  long executionLow, long executionHigh) implements Event {
    }
}
