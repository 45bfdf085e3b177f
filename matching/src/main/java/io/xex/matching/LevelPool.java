package io.xex.matching;

/**
 * Free price levels, so that steady-state matching allocates none.
 *
 * <p>Owned by the matching thread; not thread-safe.
 */
final class LevelPool {
    private Level free;

    LevelPool(int capacity) {
        for (int i = 0; i < capacity; i++) {
            Level level = new Level();
            level.nextFree = free;
            free = level;
        }
    }

    Level take(long price) {
        Level level = free;
        if (level == null) {
            level = new Level();
        } else {
            free = level.nextFree;
            level.nextFree = null;
        }
        level.price = price;
        level.quantity = 0;
        level.orderCount = 0;
        level.head = null;
        level.tail = null;
        return level;
    }

    void release(Level level) {
        level.head = null;
        level.tail = null;
        level.nextFree = free;
        free = level;
    }
}
