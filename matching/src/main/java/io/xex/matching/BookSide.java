package io.xex.matching;

import java.util.Arrays;

/**
 * One side of a book: its price levels in a sorted array with the best level last, so that the levels
 * that change most often sit where inserting and removing moves the fewest entries. Keys are the price
 * for bids and the negated price for asks, so that both sides sort ascending towards their best.
 *
 * <p>Owned by the matching thread; not thread-safe.
 */
final class BookSide {
    /** Levels nearest the best that a lookup scans before it searches. */
    private static final int NEAR_BEST = 32;

    final Side side;
    private final boolean bid;
    private long[] keys;
    private Level[] levels;
    private int count;

    BookSide(Side side, int capacity) {
        this.side = side;
        this.bid = side == Side.BUY;
        keys = new long[Math.max(1, capacity)];
        levels = new Level[Math.max(1, capacity)];
    }

    private long key(long price) {
        return bid ? price : -price;
    }

    /** The best level, or {@code null} if the side is empty. */
    Level best() {
        return count == 0 ? null : levels[count - 1];
    }

    int levelCount() {
        return count;
    }

    /** The level at depth {@code i}, 0 being the best. */
    Level levelAt(int depth) {
        return levels[count - 1 - depth];
    }

    /** The level at {@code price}, taken from {@code pool} and inserted if there is none. */
    Level levelFor(long price, LevelPool pool) {
        long key = key(price);
        int at = find(key);
        if (at >= 0) {
            return levels[at];
        }
        int insertAt = -at - 1;
        if (count == keys.length) {
            keys = Arrays.copyOf(keys, count * 2);
            levels = Arrays.copyOf(levels, count * 2);
        }
        System.arraycopy(keys, insertAt, keys, insertAt + 1, count - insertAt);
        System.arraycopy(levels, insertAt, levels, insertAt + 1, count - insertAt);
        Level level = pool.take(price);
        keys[insertAt] = key;
        levels[insertAt] = level;
        count++;
        return level;
    }

    /**
     * The index of {@code key}, or {@code -(insertion point) - 1}. Most orders arrive near the best price,
     * so the few levels nearest the best are scanned first; a binary search covers the rest.
     */
    private int find(long key) {
        int i = count - 1;
        int scanTo = Math.max(0, count - NEAR_BEST);
        for (; i >= scanTo; i--) {
            long k = keys[i];
            if (k <= key) {
                return k == key ? i : -(i + 1) - 1;
            }
        }
        int low = 0;
        int high = i;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            long k = keys[mid];
            if (k < key) {
                low = mid + 1;
            } else if (k > key) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -low - 1;
    }

    /** Removes an empty level; it is the caller's to return to the pool. */
    void remove(Level level) {
        int last = count - 1;
        if (levels[last] == level) {
            levels[last] = null;
            count = last;
            return;
        }
        int at = find(key(level.price));
        if (at >= 0 && levels[at] == level) {
            System.arraycopy(keys, at + 1, keys, at, last - at);
            System.arraycopy(levels, at + 1, levels, at, last - at);
            levels[last] = null;
            count = last;
            return;
        }
        throw new IllegalStateException("level " + level.price + " not on the " + side + " side");
    }

    /** Empties the side, returning its levels and orders to the pools. */
    void clear(LevelPool levelPool, OrderPool orderPool) {
        for (int i = 0; i < count; i++) {
            Level level = levels[i];
            Order order = level.head;
            while (order != null) {
                Order next = order.next;
                orderPool.release(order);
                order = next;
            }
            levelPool.release(level);
            levels[i] = null;
        }
        count = 0;
    }
}
