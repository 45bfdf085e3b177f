package io.xex.loadtests.roundtrip;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A schedule's due times, and how its requests are shared out among connections. */
class ScheduleTest {
    private static final long SECOND_NS = 1_000_000_000L;

    @Test
    void requestsAreDueAtFixedIntervalsFromTheStart() {
        Schedule schedule = Schedule.of(1_000, 5 * SECOND_NS, SECOND_NS, 2 * SECOND_NS, 4);

        assertEquals(3_000, schedule.total());
        assertEquals(5 * SECOND_NS, schedule.dueNs(0));
        assertEquals(5 * SECOND_NS + 1_000_000, schedule.dueNs(1));
        assertEquals(List.of(0L, 1L, 1L, 2L, 3_000L), List.of(schedule.dueBy(5 * SECOND_NS - 1),
            schedule.dueBy(5 * SECOND_NS), schedule.dueBy(5 * SECOND_NS + 999_999), schedule.dueBy(5 * SECOND_NS + 1_000_000),
            schedule.dueBy(100 * SECOND_NS)));
        assertEquals(List.of(false, true, true, false), List.of(schedule.measured(6 * SECOND_NS - 1),
            schedule.measured(6 * SECOND_NS), schedule.measured(8 * SECOND_NS - 1), schedule.measured(8 * SECOND_NS)));
    }

    @Test
    void everyRequestBelongsToExactlyOneConnectionInOrder() {
        Schedule schedule = new Schedule(1_000, 0, 0, SECOND_NS, 10, 4);

        List<List<Long>> requests = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            List<Long> own = new ArrayList<>();
            for (long k = 0; k < schedule.shareOf(c); k++) {
                own.add(schedule.requestOf(c, k));
            }
            requests.add(own);
        }

        assertEquals(List.of(List.of(0L, 4L, 8L), List.of(1L, 5L, 9L), List.of(2L, 6L), List.of(3L, 7L)), requests);
    }

    @Test
    void aConnectionsShareIsDueWhenItsRequestsAre() {
        Schedule schedule = new Schedule(1_000, 0, 0, SECOND_NS, 10, 4);

        // by 5 ms, requests 0..5 are due: connection 1 has 1 and 5, connection 3 only 3
        assertEquals(List.of(2L, 2L, 1L, 1L), List.of(schedule.shareDueBy(0, 5_000_000), schedule.shareDueBy(1, 5_000_000),
            schedule.shareDueBy(2, 5_000_000), schedule.shareDueBy(3, 5_000_000)));
        assertEquals(List.of(0L, 1L), List.of(schedule.shareDueBy(1, 0), schedule.shareDueBy(0, 0)));
        assertEquals(List.of(3L, 3L, 2L, 2L), List.of(schedule.shareDueBy(0, SECOND_NS), schedule.shareDueBy(1, SECOND_NS),
            schedule.shareDueBy(2, SECOND_NS), schedule.shareDueBy(3, SECOND_NS)));
    }

    @Test
    void moreConnectionsThanRequestsLeavesSomeWithNone() {
        Schedule schedule = new Schedule(1_000, 0, 0, SECOND_NS, 2, 4);

        assertEquals(List.of(1L, 1L, 0L, 0L), List.of(schedule.shareOf(0), schedule.shareOf(1), schedule.shareOf(2),
            schedule.shareOf(3)));
        assertEquals(0, schedule.shareDueBy(3, SECOND_NS));
    }
}
