package io.xex.matching;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * An open-addressing map from {@code long} keys to objects: linear probing, deletion by backward shift
 * (no tombstones), no boxing. It allocates only when it grows.
 *
 * <p>Owned by the matching thread; not thread-safe.
 */
final class LongObjectMap<V> {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long[] keys;
    private Object[] values;
    private int mask;
    private int shift;
    private int size;
    private int resizeAt;

    LongObjectMap(int expected) {
        int capacity = Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
        allocate(capacity);
    }

    private void allocate(int capacity) {
        keys = new long[capacity];
        values = new Object[capacity];
        mask = capacity - 1;
        shift = 64 - Integer.numberOfTrailingZeros(capacity);
        resizeAt = capacity / 2;
    }

    private int slot(long key) {
        return (int) ((key * GOLDEN) >>> shift);
    }

    int size() {
        return size;
    }

    @SuppressWarnings("unchecked")
    V get(long key) {
        int i = slot(key);
        Object value;
        while ((value = values[i]) != null) {
            if (keys[i] == key) {
                return (V) value;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Puts a key that is not in the map. */
    void putNew(long key, V value) {
        if (size >= resizeAt) {
            grow();
        }
        int i = slot(key);
        while (values[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
    }

    @SuppressWarnings("unchecked")
    V remove(long key) {
        int i = slot(key);
        Object value;
        while ((value = values[i]) != null) {
            if (keys[i] == key) {
                values[i] = null;
                size--;
                closeGap(i);
                return (V) value;
            }
            i = (i + 1) & mask;
        }
        return null;
    }

    private void closeGap(int gap) {
        int i = (gap + 1) & mask;
        while (values[i] != null) {
            int home = slot(keys[i]);
            if (((i - home) & mask) >= ((i - gap) & mask)) {
                keys[gap] = keys[i];
                values[gap] = values[i];
                values[i] = null;
                gap = i;
            }
            i = (i + 1) & mask;
        }
    }

    @SuppressWarnings("unchecked")
    void forEach(Consumer<? super V> action) {
        for (Object value : values) {
            if (value != null) {
                action.accept((V) value);
            }
        }
    }

    void clear() {
        Arrays.fill(values, null);
        size = 0;
    }

    private void grow() {
        long[] oldKeys = keys;
        Object[] oldValues = values;
        allocate(keys.length * 2);
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldValues[i] != null) {
                int j = slot(oldKeys[i]);
                while (values[j] != null) {
                    j = (j + 1) & mask;
                }
                keys[j] = oldKeys[i];
                values[j] = oldValues[i];
                size++;
            }
        }
    }
}
