package io.xex.matching;

import java.util.Arrays;

/**
 * Live orders by (account, client order id): open addressing over the orders themselves, so a lookup
 * allocates nothing and needs no composite key.
 *
 * <p>Owned by the matching thread; not thread-safe.
 */
final class ClientOrderIdIndex {
    private Order[] table;
    private int mask;
    private int size;

    ClientOrderIdIndex(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        table = new Order[capacity];
        mask = capacity - 1;
    }

    private int slot(long accountId, String clientOrderId) {
        long h = (accountId * 31 + clientOrderId.hashCode()) * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    Order get(long accountId, String clientOrderId) {
        int i = slot(accountId, clientOrderId);
        Order order;
        while ((order = table[i]) != null) {
            if (order.accountId == accountId && order.clientOrderId.equals(clientOrderId)) {
                return order;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Adds an order whose client order id is not null and not yet in the index. */
    void add(Order order) {
        if (size * 2 >= table.length) {
            grow();
        }
        int i = slot(order.accountId, order.clientOrderId);
        while (table[i] != null) {
            i = (i + 1) & mask;
        }
        table[i] = order;
        size++;
    }

    void remove(Order order) {
        int i = slot(order.accountId, order.clientOrderId);
        while (table[i] != null) {
            if (table[i] == order) {
                table[i] = null;
                size--;
                closeGap(i);
                return;
            }
            i = (i + 1) & mask;
        }
    }

    private void closeGap(int gap) {
        int i = (gap + 1) & mask;
        while (table[i] != null) {
            int home = slot(table[i].accountId, table[i].clientOrderId);
            if (((i - home) & mask) >= ((i - gap) & mask)) {
                table[gap] = table[i];
                table[i] = null;
                gap = i;
            }
            i = (i + 1) & mask;
        }
    }

    int size() {
        return size;
    }

    void clear() {
        Arrays.fill(table, null);
        size = 0;
    }

    private void grow() {
        Order[] old = table;
        table = new Order[old.length * 2];
        mask = table.length - 1;
        size = 0;
        for (Order order : old) {
            if (order != null) {
                add(order);
            }
        }
    }
}
