package io.xex.matching;

import java.util.Arrays;

/**
 * Live orders by order id: open addressing over the orders themselves, linear probing, deletion by
 * backward shift. Keeping only the order in the table (its id is in the order) means a lookup touches
 * one table slot and the order it needed anyway, instead of a key array, a value array and the order.
 *
 * <p>Owned by the matching thread; not thread-safe.
 */
final class OrderIndex {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Order[] table;
    private int mask;
    private int shift;
    private int size;

    OrderIndex(int expected) {
        allocate(Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1);
    }

    private void allocate(int capacity) {
        table = new Order[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
    }

    private int slot(long orderId) {
        return (int) ((orderId * GOLDEN) >>> shift);
    }

    int size() {
        return size;
    }

    Order get(long orderId) {
        Order[] table = this.table;
        int i = slot(orderId);
        Order order;
        while ((order = table[i]) != null) {
            if (order.id == orderId) {
                return order;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Adds an order whose id is not in the index. */
    void add(Order order) {
        if (size * 2 >= table.length) {
            grow();
        }
        int i = slot(order.id);
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = order;
        size++;
    }

    void remove(Order order) {
        Order[] table = this.table;
        int i = slot(order.id);
        Order at;
        while ((at = table[i]) != null) {
            if (at == order) {
                table[i] = null;
                size--;
                closeGap(i);
                return;
            }
            i = (i + 1) & mask;
        }
    }

    private void closeGap(int gap) {
        Order[] table = this.table;
        int i = (gap + 1) & mask;
        Order order;
        while ((order = table[i]) != null) {
            int home = slot(order.id);
            if (((i - home) & mask) >= ((i - gap) & mask)) {
                table[gap] = order;
                table[i] = null;
                gap = i;
            }
            i = (i + 1) & mask;
        }
    }

    void clear() {
        Arrays.fill(table, null);
        size = 0;
    }

    private void grow() {
        Order[] old = table;
        allocate(old.length * 2);
        size = 0;
        for (Order order : old) {
            if (order != null) {
                add(order);
            }
        }
    }
}
