package io.xex.runtime.history;

import io.xex.matching.OrderType;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;

/**
 * One thing that happened to one of an account's orders, or one refused order request, as a value: the
 * account's execution reports, in order, are a pure function of the durable command results (see
 * {@link ExecutionReports}). Prices are ticks, quantities lots, fees quote units.
 *
 * <p>For a TRADE, {@code lastPrice}, {@code lastQuantity}, {@code tradeId}, {@code fee} and {@code maker}
 * describe the fill; they are 0 and false otherwise. {@code reason} is the engine's reject number for a
 * REJECTED report and the done reason's number for CANCELLED and EXPIRED, else 0. A refused cancel or
 * amend names the order as the request did and has no side, type or time in force ({@code null}); a
 * refused new order has order id 0.
 */
public record ExecutionReport(long accountId, long sequence, long timestampNs, ExecKind kind, long orderId,
                              String clientOrderId, int instrumentId, Side side, OrderType type,
                              TimeInForce timeInForce, long price, long quantity, long remaining, long lastPrice,
                              long lastQuantity, long tradeId, long fee, boolean maker, int reason) {

    /** Lots traded so far. */
    public long filled() {
        return quantity - remaining;
    }
}
