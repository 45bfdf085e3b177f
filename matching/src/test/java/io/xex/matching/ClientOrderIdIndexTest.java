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

/**
 * {@link ClientOrderIdIndex} against a {@link HashMap} keyed by (account, client order id): random adds,
 * gets and removes, with growth from the smallest capacity, checked after every operation.
 */
class ClientOrderIdIndexTest {
    /** Strings with equal {@code hashCode()}s: "Aa" and "BB" both hash to 2112, and so on for their concatenations. */
    private static final List<String> SAME_HASH = List.of("Aa", "BB", "AaAa", "AaBB", "BBAa", "BBBB");

    private record Key(long accountId, String clientOrderId) {
    }

    private static Order order(long accountId, String clientOrderId) {
        Order order = new Order();
        order.accountId = accountId;
        order.clientOrderId = clientOrderId;
        return order;
    }

    @Test
    void equalHashCodesAreStillDifferentIds() {
        assertEquals("Aa".hashCode(), "BB".hashCode());
        ClientOrderIdIndex index = new ClientOrderIdIndex(1);
        Order aa = order(1, "Aa");
        Order bb = order(1, "BB");
        index.add(aa);
        assertNull(index.get(1, "BB"));
        index.add(bb);
        assertSame(aa, index.get(1, "Aa"));
        assertSame(bb, index.get(1, "BB"));
        index.remove(aa);
        assertNull(index.get(1, "Aa"));
        assertSame(bb, index.get(1, "BB"));
        assertEquals(1, index.size());
    }

    @Test
    void theSameIdInTwoAccountsIsTwoEntries() {
        ClientOrderIdIndex index = new ClientOrderIdIndex(1);
        Order one = order(1, "x");
        Order two = order(2, "x");
        Order negative = order(-1, "x");
        index.add(one);
        index.add(two);
        index.add(negative);
        assertSame(one, index.get(1, "x"));
        assertSame(two, index.get(2, "x"));
        assertSame(negative, index.get(-1, "x"));
        assertNull(index.get(3, "x"));
        index.remove(two);
        assertSame(one, index.get(1, "x"));
        assertNull(index.get(2, "x"));
        assertSame(negative, index.get(-1, "x"));
    }

    /** accountId × 31 + hashCode is the same for (1, "a") and (2, "B"): the index must still tell them apart. */
    @Test
    void accountAndIdThatMixToTheSameValueAreDifferentKeys() {
        assertEquals(1 * 31 + "a".hashCode(), 2 * 31 + "B".hashCode());
        ClientOrderIdIndex index = new ClientOrderIdIndex(1);
        Order a = order(1, "a");
        Order b = order(2, "B");
        index.add(a);
        assertNull(index.get(2, "B"));
        index.add(b);
        assertSame(a, index.get(1, "a"));
        assertSame(b, index.get(2, "B"));
        assertNull(index.get(1, "B"));
        assertNull(index.get(2, "a"));
        index.remove(a);
        assertNull(index.get(1, "a"));
        assertSame(b, index.get(2, "B"));
    }

    @Test
    void removingAnOrderThatIsNotThereChangesNothing() {
        ClientOrderIdIndex index = new ClientOrderIdIndex(1);
        Order kept = order(1, "kept");
        index.add(kept);
        index.remove(order(1, "absent"));
        assertEquals(1, index.size());
        assertSame(kept, index.get(1, "kept"));
    }

    @Test
    void clearEmptiesTheIndex() {
        ClientOrderIdIndex index = new ClientOrderIdIndex(1);
        for (int i = 0; i < 100; i++) {
            index.add(order(i % 7, "id-" + i));
        }
        assertEquals(100, index.size());
        index.clear();
        assertEquals(0, index.size());
        for (int i = 0; i < 100; i++) {
            assertNull(index.get(i % 7, "id-" + i));
        }
        Order again = order(3, "id-3");
        index.add(again);
        assertSame(again, index.get(3, "id-3"));
    }

    /**
     * Keys that all share the last slot of the initial table (given the index's hashing), and keys that
     * share the first, so that probing wraps around the end and removal has to shift entries back across it.
     */
    @Test
    void aClusterThatWrapsAroundTheEndOfTheTableSurvivesRemovals() {
        ClientOrderIdIndex index = new ClientOrderIdIndex(1);
        int mask = 31;
        List<Order> lastSlot = new ArrayList<>();
        List<Order> firstSlot = new ArrayList<>();
        for (int i = 0; lastSlot.size() < 6 || firstSlot.size() < 6; i++) {
            long accountId = i % 3;
            String id = "k" + i;
            long h = (accountId * 31 + id.hashCode()) * 0x9E3779B97F4A7C15L;
            int slot = (int) (h ^ (h >>> 32)) & mask;
            if (slot == mask && lastSlot.size() < 6) {
                lastSlot.add(order(accountId, id));
            } else if (slot == 0 && firstSlot.size() < 6) {
                firstSlot.add(order(accountId, id));
            }
        }
        List<Order> orders = new ArrayList<>(lastSlot);
        orders.addAll(firstSlot);
        Map<Key, Order> expected = new HashMap<>();
        List<Key> keys = new ArrayList<>();
        for (Order order : orders) {
            index.add(order);
            Key key = new Key(order.accountId, order.clientOrderId);
            expected.put(key, order);
            keys.add(key);
        }
        assertSameContents("cluster", expected, keys, index);
        int[] removalOrder = {0, 3, 5, 6, 11, 8, 1, 2, 4, 7, 9, 10};
        for (int i : removalOrder) {
            index.remove(orders.get(i));
            expected.remove(keys.get(i));
            assertSameContents("after removing " + keys.get(i), expected, keys, index);
        }
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomOperationsAgreeWithHashMap(long seed) {
        randomOperations(seed, keyUniverse(new SplittableRandom(-seed)), 200);
    }

    /** Few keys, so that the table stays small and its clusters wrap around its end again and again. */
    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomOperationsOnASmallTableAgreeWithHashMap(long seed) {
        List<Key> universe = new ArrayList<>(keyUniverse(new SplittableRandom(-seed)));
        SplittableRandom random = new SplittableRandom(seed * 7919);
        for (int i = universe.size() - 1; i > 0; i--) {
            Key swap = universe.get(i);
            int j = random.nextInt(i + 1);
            universe.set(i, universe.get(j));
            universe.set(j, swap);
        }
        randomOperations(seed, universe.subList(0, 24), 12);
    }

    private static void randomOperations(long seed, List<Key> universe, int mustReach) {
        SplittableRandom random = new SplittableRandom(seed);
        ClientOrderIdIndex index = new ClientOrderIdIndex(1 + random.nextInt(8));
        Map<Key, Order> expected = new HashMap<>();
        int maxSize = 0;
        for (int op = 0; op < 20_000; op++) {
            String where = "seed " + seed + " op " + op;
            Key key = universe.get(random.nextInt(universe.size()));
            int kind = random.nextInt(10);
            boolean growing = (op / 2_500) % 2 == 0;
            if (kind < (growing ? 6 : 3)) {
                if (!expected.containsKey(key)) {
                    // A fresh String equal to the key's, as the engine gets a new one with every command.
                    Order order = order(key.accountId(), new String(key.clientOrderId()));
                    index.add(order);
                    expected.put(key, order);
                }
            } else if (kind < 8) {
                Order order = expected.remove(key);
                if (order != null) {
                    index.remove(order);
                }
            } else {
                assertSame(expected.get(key), index.get(key.accountId(), key.clientOrderId()), where + " get " + key);
            }
            assertEquals(expected.size(), index.size(), where + " size");
            assertSame(expected.get(key), index.get(key.accountId(), key.clientOrderId()),
                where + " get " + key + " after the operation");
            maxSize = Math.max(maxSize, expected.size());
            if (expected.size() < 16 || op % 32 == 0) {
                assertSameContents(where, expected, universe, index);
            }
        }
        assertSameContents("seed " + seed + " at the end", expected, universe, index);
        assertTrue(maxSize >= mustReach, "the index held " + maxSize + " entries at most");
    }

    /**
     * Accounts that are negative, zero, far apart or multiples of a large power of two, crossed with ids
     * that share hash codes, differ in one character, or are 36 characters long.
     */
    private static List<Key> keyUniverse(SplittableRandom random) {
        long[] accounts = {0, 1, 2, 3, -1, -2, 1L << 20, 2L << 20, Long.MAX_VALUE, Long.MIN_VALUE, random.nextLong()};
        List<String> ids = new ArrayList<>(SAME_HASH);
        for (char c = 'A'; c <= 'Z'; c++) {
            ids.add(String.valueOf(c));
            ids.add(String.valueOf((char) (c + 32)));
        }
        for (int i = 0; i < 20; i++) {
            ids.add("order-" + i);
            ids.add("x".repeat(34) + (i < 10 ? "0" + i : String.valueOf(i)));
        }
        List<Key> keys = new ArrayList<>();
        for (long account : accounts) {
            for (String id : ids) {
                keys.add(new Key(account, id));
            }
        }
        return keys;
    }

    private static void assertSameContents(String where, Map<Key, Order> expected, List<Key> universe,
                                           ClientOrderIdIndex index) {
        assertEquals(expected.size(), index.size(), where + ": size");
        for (Key key : universe) {
            assertSame(expected.get(key), index.get(key.accountId(), key.clientOrderId()), where + ": get " + key);
        }
    }
}
