package io.xex.matching;

/**
 * One price level: a FIFO queue of resting orders with their total remaining quantity. Pooled.
 *
 * <p>Owned by the matching thread; not thread-safe.
 */
final class Level {
    long price;
    long quantity;
    int orderCount;
    Order head;
    Order tail;
    /** Next free level while pooled. */
    Level nextFree;

    void append(Order order) {
        order.level = this;
        order.next = null;
        order.prev = tail;
        if (tail == null) {
            head = order;
        } else {
            tail.next = order;
        }
        tail = order;
        quantity += order.remaining;
        orderCount++;
    }

    /** Unlinks an order; the caller has already taken its remaining quantity off {@link #quantity}. */
    void unlink(Order order) {
        Order prev = order.prev;
        Order next = order.next;
        if (prev == null) {
            head = next;
        } else {
            prev.next = next;
        }
        if (next == null) {
            tail = prev;
        } else {
            next.prev = prev;
        }
        order.prev = null;
        order.next = null;
        order.level = null;
        orderCount--;
    }

    boolean isEmpty() {
        return orderCount == 0;
    }
}
