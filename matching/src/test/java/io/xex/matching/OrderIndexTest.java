package io.xex.matching;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** {@link OrderIndex} against {@link HashMap}: random adds, gets and removes, checked after every operation. */
class OrderIndexTest {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5})
    void randomOperationsAgreeWithAHashMap(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        OrderIndex index = new OrderIndex(1);
        Map<Long, Order> expected = new HashMap<>();
        List<Long> live = new ArrayList<>();
        for (int step = 0; step < 20_000; step++) {
            int op = random.nextInt(10);
            if (op < 5 || live.isEmpty()) {
                long id = switch (random.nextInt(3)) {
                    case 0 -> random.nextLong(1, 1_000_000);
                    case 1 -> random.nextLong(1, 1_000) << 20;
                    default -> -random.nextLong(1, 1_000_000);
                };
                if (expected.containsKey(id)) {
                    continue;
                }
                Order order = order(id);
                index.add(order);
                expected.put(id, order);
                live.add(id);
            } else if (op < 8) {
                long id = live.remove(random.nextInt(live.size()));
                index.remove(expected.remove(id));
                assertNull(index.get(id), "seed " + seed + " step " + step + ": removed " + id);
            } else {
                long id = live.get(random.nextInt(live.size()));
                assertSame(expected.get(id), index.get(id), "seed " + seed + " step " + step + ": get " + id);
            }
            assertEquals(expected.size(), index.size(), "seed " + seed + " step " + step);
        }
        for (Map.Entry<Long, Order> entry : expected.entrySet()) {
            assertSame(entry.getValue(), index.get(entry.getKey()));
        }
    }

    @Test
    void clustersThatWrapAroundTheEndSurviveRemovalsInAnyPosition() {
        OrderIndex index = new OrderIndex(8); // 32 slots: room for twice the expected count, rounded up
        int capacity = 32;
        int shift = 64 - Integer.numberOfTrailingZeros(capacity);
        List<Order> wrapping = new ArrayList<>();
        for (long id = 1; wrapping.size() < 6; id++) {
            int slot = (int) ((id * GOLDEN) >>> shift);
            if (slot == capacity - 1 || slot == 0) {
                wrapping.add(order(id));
            }
        }
        wrapping.forEach(index::add);
        for (int remove : new int[] {0, 3, 5, 1, 4, 2}) {
            Order gone = wrapping.get(remove);
            index.remove(gone);
            assertNull(index.get(gone.id));
            wrapping.set(remove, null);
            for (Order order : wrapping) {
                if (order != null) {
                    assertSame(order, index.get(order.id), "after removing " + gone.id);
                }
            }
        }
        assertEquals(0, index.size());
    }

    private static Order order(long id) {
        Order order = new Order();
        order.id = id;
        return order;
    }
}
