package io.xex.matching;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link LongObjectMap} against {@link HashMap}: random puts of new keys, gets and removes, with growth from
 * the smallest capacity, checked after every operation.
 */
class LongObjectMapTest {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    @Test
    void emptyMapHasNothing() {
        LongObjectMap<String> map = new LongObjectMap<>(1);
        assertEquals(0, map.size());
        assertNull(map.get(0));
        assertNull(map.get(-1));
        assertNull(map.remove(42));
        map.forEach(v -> fail("empty map gave " + v));
    }

    @Test
    void zeroAndExtremeKeysAreOrdinaryKeys() {
        LongObjectMap<String> map = new LongObjectMap<>(1);
        long[] keys = {0, -1, 1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 20, -(1L << 20), 1L << 63 >>> 1};
        for (long key : keys) {
            map.putNew(key, "v" + key);
        }
        assertEquals(keys.length, map.size());
        for (long key : keys) {
            assertEquals("v" + key, map.get(key));
        }
        for (long key : keys) {
            assertEquals("v" + key, map.remove(key));
            assertNull(map.get(key));
            assertNull(map.remove(key));
        }
        assertEquals(0, map.size());
    }

    @Test
    void growsFromTheSmallestCapacityAndKeepsEveryEntry() {
        LongObjectMap<Long> map = new LongObjectMap<>(1);
        Map<Long, Long> expected = new HashMap<>();
        for (long i = 0; i < 10_000; i++) {
            long key = i * (1L << 20) - 5_000L * (1L << 20);
            Long value = key;
            map.putNew(key, value);
            expected.put(key, value);
            assertEquals(expected.size(), map.size());
        }
        assertSameContents("growth", expected, map);
    }

    @Test
    void clearEmptiesTheMapAndItCanBeFilledAgain() {
        LongObjectMap<String> map = new LongObjectMap<>(4);
        for (long key = -100; key < 100; key++) {
            map.putNew(key, "a" + key);
        }
        map.clear();
        assertEquals(0, map.size());
        for (long key = -100; key < 100; key++) {
            assertNull(map.get(key), "key " + key + " after clear");
        }
        map.forEach(v -> fail("cleared map gave " + v));
        for (long key = -50; key < 50; key++) {
            map.putNew(key * 7, "b" + key);
        }
        for (long key = -50; key < 50; key++) {
            assertEquals("b" + key, map.get(key * 7));
        }
        assertEquals(100, map.size());
    }

    /**
     * Keys that all share the last slot of the initial table (given the map's Fibonacci hashing), so that
     * probing wraps around the end and removal has to shift entries back across it.
     */
    @Test
    void aClusterThatWrapsAroundTheEndOfTheTableSurvivesRemovals() {
        LongObjectMap<String> map = new LongObjectMap<>(1);
        int capacity = 32;
        int shift = 64 - Integer.numberOfTrailingZeros(capacity);
        List<Long> lastSlot = new ArrayList<>();
        List<Long> firstSlot = new ArrayList<>();
        for (long key = -1_000_000; lastSlot.size() < 6 || firstSlot.size() < 6; key++) {
            int slot = (int) ((key * GOLDEN) >>> shift);
            if (slot == capacity - 1 && lastSlot.size() < 6) {
                lastSlot.add(key);
            } else if (slot == 0 && firstSlot.size() < 6) {
                firstSlot.add(key);
            }
        }
        Map<Long, String> expected = new HashMap<>();
        List<Long> keys = new ArrayList<>(lastSlot);
        keys.addAll(firstSlot);
        for (long key : keys) {
            String value = "v" + key;
            map.putNew(key, value);
            expected.put(key, value);
        }
        assertSameContents("cluster", expected, map);
        // Removing in every position of the cluster: first, middle, last of each run.
        int[] removalOrder = {0, 3, 5, 6, 11, 8, 1, 2, 4, 7, 9, 10};
        for (int index : removalOrder) {
            long key = keys.get(index);
            assertEquals(expected.remove(key), map.remove(key), "remove " + key);
            assertSameContents("after removing " + key, expected, map);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomOperationsAgreeWithHashMap(long seed) {
        randomOperations(seed, 600, 200);
    }

    /** Few keys, so that the table stays small and its clusters wrap around its end again and again. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomOperationsOnASmallTableAgreeWithHashMap(long seed) {
        randomOperations(seed, 24, 12);
    }

    private static void randomOperations(long seed, int universeSize, int mustReach) {
        SplittableRandom random = new SplittableRandom(seed);
        LongObjectMap<String> map = new LongObjectMap<>(1 + random.nextInt(8));
        Map<Long, String> expected = new HashMap<>();
        long[] universe = keyUniverse(random, universeSize);
        int maxSize = 0;
        for (int op = 0; op < 20_000; op++) {
            String where = "seed " + seed + " op " + op;
            long key = universe[random.nextInt(universe.length)];
            int kind = random.nextInt(10);
            // Phases: mostly grow, then mostly shrink, so the map both fills up and empties out.
            boolean growing = (op / 2_500) % 2 == 0;
            if (kind < (growing ? 6 : 3)) {
                if (!expected.containsKey(key)) {
                    String value = "v" + key + "#" + op;
                    map.putNew(key, value);
                    expected.put(key, value);
                }
            } else if (kind < 8) {
                assertEquals(expected.remove(key), map.remove(key), where + " remove " + key);
            } else {
                assertEquals(expected.get(key), map.get(key), where + " get " + key);
            }
            assertEquals(expected.size(), map.size(), where + " size");
            assertEquals(expected.get(key), map.get(key), where + " get " + key + " after the operation");
            maxSize = Math.max(maxSize, expected.size());
            if (expected.size() < 16 || op % 32 == 0) {
                assertSameContents(where, expected, map);
            }
        }
        assertSameContents("seed " + seed + " at the end", expected, map);
        for (long key : universe) {
            assertEquals(expected.get(key), map.get(key), "seed " + seed + " final get " + key);
        }
        assertTrue(maxSize >= mustReach, "the map held " + maxSize + " entries at most");
    }

    /** Keys with patterns that stress hashing: low bits all zero, negatives, consecutive runs, extremes. */
    private static long[] keyUniverse(SplittableRandom random, int size) {
        long[] keys = new long[size];
        for (int i = 0; i < size; i++) {
            keys[i] = switch (i % 6) {
                case 0 -> (long) (i - size / 2) << 20;
                case 1 -> -1L - i;
                case 2 -> i;
                case 3 -> random.nextLong();
                case 4 -> (long) i << 40;
                default -> i % 12 == 5 ? Long.MIN_VALUE + i : Long.MAX_VALUE - i;
            };
        }
        return keys;
    }

    private static <V> void assertSameContents(String where, Map<Long, V> expected, LongObjectMap<V> map) {
        assertEquals(expected.size(), map.size(), where + ": size");
        List<V> seen = new ArrayList<>();
        map.forEach(seen::add);
        assertEquals(expected.size(), seen.size(), where + ": forEach count");
        Map<V, Integer> counts = new HashMap<>();
        for (V value : seen) {
            counts.merge(value, 1, Integer::sum);
        }
        for (Map.Entry<Long, V> entry : expected.entrySet()) {
            assertSame(entry.getValue(), map.get(entry.getKey()), where + ": get " + entry.getKey());
            Integer count = counts.remove(entry.getValue());
            assertEquals(1, count == null ? 0 : count, where + ": forEach visits the value of " + entry.getKey() + " once");
        }
        assertEquals(Map.of(), counts, where + ": forEach gave values that are not in the map");
    }
}
