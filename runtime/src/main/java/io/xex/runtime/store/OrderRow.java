package io.xex.runtime.store;

/**
 * An order's state after the command at {@code updatedSequence}, for table {@code orders}. Prices are ticks,
 * quantities lots; {@code clientOrderId} may be null.
 */
public record OrderRow(long orderId, long accountId, String clientOrderId, int instrumentId, String side, String type,
                       String timeInForce, long price, long quantity, long filled, String status, long createdSequence,
                       long updatedSequence, long updatedNs) {
}
