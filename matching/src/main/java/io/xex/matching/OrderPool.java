package io.xex.matching;

/**
 * Free orders, so that steady-state matching allocates none.
 *
 * <p>Owned by the matching thread; not thread-safe.
 */
final class OrderPool {
    private Order free;

    OrderPool(int capacity) {
        for (int i = 0; i < capacity; i++) {
            Order order = new Order();
            order.next = free;
            free = order;
        }
    }

    Order take() {
        Order order = free;
        if (order == null) {
            return new Order();
        }
        free = order.next;
        order.next = null;
        return order;
    }

    void release(Order order) {
        order.clear();
        order.next = free;
        free = order;
    }
}
