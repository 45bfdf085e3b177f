package io.xex.settlement.netting;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A batch's movements narrowed to the assets of one chain. */
class NetMovementsTest {
    /** Assets 0 and 1 on one chain, 2 and 3 on another; a trade of each pair, a fee, and a withdrawal of each. */
    private static final NetMovements BATCH = new NetMovements(5, 9,
        List.of(new Leg(0, 0, 3), new Leg(0, 2, 1),
            new Leg(1, 0, -503), new Leg(1, 1, 7), new Leg(1, 2, 200), new Leg(1, 3, -4),
            new Leg(2, 0, 500), new Leg(2, 1, -7), new Leg(2, 2, -201), new Leg(2, 3, 4)),
        List.of(new Leg(1, 0, 50), new Leg(2, 3, 2)));

    @Test
    void onlyKeepsTheChainsAssetsAndTheWholeSequenceRange() {
        assertEquals(new NetMovements(5, 9,
                List.of(new Leg(0, 2, 1), new Leg(1, 2, 200), new Leg(1, 3, -4), new Leg(2, 2, -201), new Leg(2, 3, 4)),
                List.of(new Leg(2, 3, 2))),
            BATCH.only(Set.of(2, 3)));
        assertEquals(new NetMovements(5, 9,
                List.of(new Leg(0, 0, 3), new Leg(1, 0, -503), new Leg(1, 1, 7), new Leg(2, 0, 500), new Leg(2, 1, -7)),
                List.of(new Leg(1, 0, 50))),
            BATCH.only(Set.of(0, 1)));
        assertEquals(BATCH, BATCH.only(Set.of(0, 1, 2, 3)));
    }

    @Test
    void aBatchWithNothingForTheChainIsEmptyButCoversItsSequences() {
        NetMovements none = BATCH.only(Set.of(4));
        assertTrue(none.isEmpty());
        assertEquals(List.of(5L, 9L), List.of(none.firstSequence(), none.lastSequence()));
    }
}
