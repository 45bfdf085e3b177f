package io.xex.matching;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link BookSide}: price levels kept best first for bids (highest) and asks (lowest). */
class BookSideTest {
    private final LevelPool pool = new LevelPool(4);

    private static List<Long> prices(BookSide side) {
        List<Long> prices = new ArrayList<>();
        for (int depth = 0; depth < side.levelCount(); depth++) {
            prices.add(side.levelAt(depth).price);
        }
        return prices;
    }

    @Test
    void anEmptySideHasNoBest() {
        BookSide side = new BookSide(Side.BUY, 4);
        assertNull(side.best());
        assertEquals(0, side.levelCount());
    }

    @Test
    void bidsAreKeptHighestFirst() {
        BookSide bids = new BookSide(Side.BUY, 16);
        for (long price : new long[] {100, 102, 99, 101, 105, 98, 103}) {
            assertEquals(price, bids.levelFor(price, pool).price);
        }
        assertEquals(List.of(105L, 103L, 102L, 101L, 100L, 99L, 98L), prices(bids));
        assertEquals(105, bids.best().price);
    }

    @Test
    void asksAreKeptLowestFirst() {
        BookSide asks = new BookSide(Side.SELL, 16);
        for (long price : new long[] {100, 102, 99, 101, 105, 98, 103}) {
            assertEquals(price, asks.levelFor(price, pool).price);
        }
        assertEquals(List.of(98L, 99L, 100L, 101L, 102L, 103L, 105L), prices(asks));
        assertEquals(98, asks.best().price);
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void aKnownPriceGivesTheExistingLevel(Side sideOfBook) {
        BookSide side = new BookSide(sideOfBook, 8);
        Level best = side.levelFor(100, pool);
        Level middle = side.levelFor(99, pool);
        Level other = side.levelFor(101, pool);
        assertSame(best, side.levelFor(100, pool));
        assertSame(middle, side.levelFor(99, pool));
        assertSame(other, side.levelFor(101, pool));
        assertEquals(3, side.levelCount());
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void growsPastItsInitialCapacity(Side sideOfBook) {
        BookSide side = new BookSide(sideOfBook, 1);
        List<Level> levels = new ArrayList<>();
        // Alternately a new best, a new worst and a middle price, so each growth happens with a different insert.
        for (int i = 0; i < 200; i++) {
            long price = switch (i % 3) {
                case 0 -> 10_000 + i;
                case 1 -> 1_000 - i;
                default -> 5_000 + i;
            };
            levels.add(side.levelFor(price, pool));
            assertEquals(i + 1, side.levelCount());
        }
        List<Long> expected = levels.stream().map(level -> level.price)
            .sorted(sideOfBook == Side.BUY ? Comparator.reverseOrder() : Comparator.naturalOrder()).toList();
        assertEquals(expected, prices(side));
        for (Level level : levels) {
            assertSame(level, side.levelFor(level.price, pool));
        }
    }

    @ParameterizedTest
    @EnumSource(Side.class)
    void removingTheBestAMiddleAndTheWorstLevelKeepsTheOrder(Side sideOfBook) {
        BookSide side = new BookSide(sideOfBook, 8);
        for (long price = 95; price <= 105; price++) {
            side.levelFor(price, pool);
        }
        boolean bid = sideOfBook == Side.BUY;
        Level best = side.best();
        assertEquals(bid ? 105 : 95, best.price);
        side.remove(best);
        assertEquals(bid ? 104 : 96, side.best().price);

        Level middle = side.levelFor(100, pool);
        side.remove(middle);
        Level worst = side.levelAt(side.levelCount() - 1);
        assertEquals(bid ? 95 : 105, worst.price);
        side.remove(worst);
        assertEquals(bid ? List.of(104L, 103L, 102L, 101L, 99L, 98L, 97L, 96L)
            : List.of(96L, 97L, 98L, 99L, 101L, 102L, 103L, 104L), prices(side));

        Level again = side.levelFor(100, pool);
        assertEquals(100, again.price);
        assertEquals(9, side.levelCount());
        assertEquals(bid ? List.of(104L, 103L, 102L, 101L, 100L, 99L, 98L, 97L, 96L)
            : List.of(96L, 97L, 98L, 99L, 100L, 101L, 102L, 103L, 104L), prices(side));
    }

    @Test
    void removingALevelThatIsNotThereFails() {
        BookSide side = new BookSide(Side.SELL, 4);
        side.levelFor(100, pool);
        side.levelFor(101, pool);
        Level stranger = new LevelPool(1).take(102);
        assertThrows(IllegalStateException.class, () -> side.remove(stranger));
        assertEquals(List.of(100L, 101L), prices(side));
    }

    @Test
    void clearReturnsEveryLevelAndLeavesTheSideEmpty() {
        BookSide side = new BookSide(Side.BUY, 2);
        for (long price = 1; price <= 10; price++) {
            side.levelFor(price, pool);
        }
        side.clear(pool, new OrderPool(0));
        assertEquals(0, side.levelCount());
        assertNull(side.best());
        assertEquals(7, side.levelFor(7, pool).price);
        assertEquals(1, side.levelCount());
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
    void randomOperationsAgreeWithTreeMap(long seed) {
        for (Side sideOfBook : Side.values()) {
            SplittableRandom random = new SplittableRandom(seed * 31 + sideOfBook.ordinal());
            BookSide side = new BookSide(sideOfBook, 1 + random.nextInt(4));
            TreeMap<Long, Level> expected = new TreeMap<>(
                sideOfBook == Side.BUY ? Comparator.<Long>reverseOrder() : Comparator.<Long>naturalOrder());
            long mid = 10_000;
            for (int op = 0; op < 5_000; op++) {
                String where = "seed " + seed + " " + sideOfBook + " op " + op;
                // Prices cluster near a drifting mid, with an occasional far one; phases of adding and removing.
                mid += random.nextInt(-3, 4);
                long price = random.nextInt(10) == 0 ? 1 + random.nextInt(1_000_000) : mid + random.nextInt(-40, 41);
                boolean adding = (op / 500) % 2 == 0 ? random.nextInt(10) < 7 : random.nextInt(10) < 3;
                if (adding || expected.isEmpty()) {
                    Level known = expected.get(price);
                    Level level = side.levelFor(price, pool);
                    if (known != null) {
                        assertSame(known, level, where + ": levelFor a known price " + price);
                    } else {
                        assertEquals(price, level.price, where);
                        expected.put(price, level);
                    }
                } else {
                    Level victim = switch (random.nextInt(3)) {
                        case 0 -> expected.firstEntry().getValue();
                        case 1 -> expected.lastEntry().getValue();
                        default -> new ArrayList<>(expected.values()).get(random.nextInt(expected.size()));
                    };
                    side.remove(victim);
                    expected.remove(victim.price);
                    pool.release(victim);
                }
                assertEquals(expected.size(), side.levelCount(), where + ": level count");
                assertSame(expected.isEmpty() ? null : expected.firstEntry().getValue(), side.best(), where + ": best");
                if (expected.size() < 50 || op % 50 == 0) {
                    int depth = 0;
                    for (Map.Entry<Long, Level> entry : expected.entrySet()) {
                        assertSame(entry.getValue(), side.levelAt(depth), where + ": level at depth " + depth);
                        depth++;
                    }
                }
            }
        }
    }
}
