package io.xex.protocol.client;

import io.xex.protocol.ProtocolCode;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Given established connections, reports, heartbeats and retransmissions: the exact deliveries and requests. */
class SequenceTrackerTest {
    /** A report is modelled as its seqNo in 8 bytes, at an offset, to check the bytes delivered are its own. */
    private static final int OFFSET = 3;

    private final List<String> events = new ArrayList<>();
    private final SequenceTracker.Output output = new SequenceTracker.Output() {
        @Override
        public void deliver(DirectBuffer buffer, int offset, int length) {
            assertEquals(8, length);
            events.add("deliver " + buffer.getLong(offset));
        }

        @Override
        public void requestRetransmit(long fromSeqNo, int count) {
            events.add("request " + fromSeqNo + "+" + count);
        }
    };

    private SequenceTracker tracker = new SequenceTracker(0, output);

    @Test
    void reportsInOrderAreDeliveredAtOnce() {
        assertTrue(tracker.onEstablished(1));
        live(1, 2, 3);
        assertEquals(List.of("deliver 1", "deliver 2", "deliver 3"), events);
        assertEquals(3, tracker.lastSeqNo());
        assertFalse(tracker.hasGap());
    }

    @Test
    void aGapAtEstablishIsAskedInChunksOfAtMost1000OneAtATime() {
        tracker = new SequenceTracker(2, output);
        assertTrue(tracker.onEstablished(2506));
        assertEquals(List.of("request 3+1000"), take());
        live(2506, 2507);
        assertEquals(List.of(), take(), "live reports after the gap are held");
        assertEquals(2, tracker.heldCount());

        retransmit(3, 1000);
        assertEquals(deliveries(3, 1002, "request 1003+1000"), take());
        retransmit(1003, 1000);
        assertEquals(deliveries(1003, 2002, "request 2003+503"), take());
        live(2508);
        assertEquals(List.of(), take(), "a live report between two batches waits too");
        retransmit(2003, 503);
        assertEquals(deliveries(2003, 2508, null), take());
        assertEquals(2508, tracker.lastSeqNo());
        assertEquals(0, tracker.heldCount());
        assertFalse(tracker.hasGap());
    }

    @Test
    void aSeqNoJumpOnALiveReportAsksTheMissingOnesOnly() {
        tracker.onEstablished(1);
        live(1, 4, 5);
        assertEquals(List.of("deliver 1", "request 2+2"), take());
        retransmit(2, 2);
        assertEquals(List.of("deliver 2", "deliver 3", "deliver 4", "deliver 5"), take());
    }

    @Test
    void aRequestStopsBeforeTheFirstHeldReport() {
        tracker.onEstablished(1);
        live(3, 4);
        tracker.onSequence(10);
        assertEquals(List.of("request 1+2"), take());
        retransmit(1, 2);
        assertEquals(List.of("deliver 1", "deliver 2", "deliver 3", "deliver 4", "request 5+5"), take());
        retransmit(5, 5);
        assertEquals(deliveries(5, 9, null), take());
    }

    @Test
    void theServersHeartbeatRevealsLostReports() {
        tracker.onEstablished(1);
        live(1);
        tracker.onSequence(2);
        assertEquals(List.of("deliver 1"), take());
        tracker.onSequence(4);
        assertEquals(List.of("request 2+2"), take());
    }

    @Test
    void duplicatesAreDroppedLiveOrRetransmittedOrHeld() {
        tracker.onEstablished(1);
        live(1, 2, 2, 1, 5, 5);
        assertEquals(List.of("deliver 1", "deliver 2", "request 3+2"), take());
        tracker.onRetransmission(4);
        report(2, true);
        report(3, true);
        report(4, true);
        report(5, true);
        assertEquals(List.of("deliver 3", "deliver 4", "deliver 5"), take());
        live(6);
        assertEquals(List.of("deliver 6"), take());
    }

    @Test
    void aRetransmissionOfFewerReportsThanAskedIsFollowedByAnotherRequest() {
        tracker.onEstablished(11);
        assertEquals(List.of("request 1+10"), take());
        retransmit(1, 4);
        assertEquals(deliveries(1, 4, "request 5+6"), take());
        tracker.onRetransmission(0);
        assertEquals(List.of("request 5+6"), take(), "an empty retransmission ends the request too");
    }

    @Test
    void aLiveReportEndsABatchCutShortAndTheRestIsAskedAgain() {
        tracker.onEstablished(11);
        assertEquals(List.of("request 1+10"), take());
        tracker.onRetransmission(10);
        report(1, true);
        report(2, true);
        live(11);
        assertEquals(List.of("deliver 1", "deliver 2", "request 3+8"), take());
    }

    @Test
    void onlyOneRequestIsOutAtATime() {
        tracker.onEstablished(5);
        live(8);
        tracker.onSequence(20);
        assertEquals(List.of("request 1+4"), take());
    }

    @Test
    void aBusyOrUnavailableRejectIsRetriedOnTheNextTick() {
        tracker.onEstablished(6);
        assertEquals(List.of("request 1+5"), take());
        assertFalse(tracker.onRetransmitReject(ProtocolCode.RETRANSMIT_BUSY.code()));
        live(6);
        assertEquals(List.of(), take(), "nothing asked before the retry");
        tracker.retry();
        assertEquals(List.of("request 1+5"), take());
        assertFalse(tracker.onRetransmitReject(ProtocolCode.RETRANSMIT_UNAVAILABLE.code()));
        tracker.retry();
        tracker.retry();
        assertEquals(List.of("request 1+5"), take());
        retransmit(1, 5);
        assertEquals(deliveries(1, 6, null), take());
    }

    @Test
    void anyOtherRejectSkipsTheRangeSoDeliveryGoesOn() {
        tracker.onEstablished(1);
        live(1, 1500);
        assertEquals(List.of("deliver 1", "request 2+1000"), take());
        assertTrue(tracker.onRetransmitReject(ProtocolCode.RETRANSMIT_OUT_OF_RANGE.code()));
        assertEquals(List.of("request 1002+498"), take());
        assertEquals(1001, tracker.lastSeqNo());
        assertTrue(tracker.onRetransmitReject(ProtocolCode.RETRANSMIT_TOO_LARGE.code()));
        assertEquals(List.of("deliver 1500"), take());
        assertFalse(tracker.hasGap());
    }

    @Test
    void aRejectWithoutARequestOutChangesNothing() {
        tracker.onEstablished(1);
        assertFalse(tracker.onRetransmitReject(ProtocolCode.RETRANSMIT_OUT_OF_RANGE.code()));
        live(1);
        assertEquals(List.of("deliver 1"), take());
    }

    @Test
    void aDisconnectVoidsTheRequestAndTheNextEstablishAsksAgainKeepingHeldReports() {
        tracker.onEstablished(1);
        live(1, 5);
        assertEquals(List.of("deliver 1", "request 2+3"), take());
        tracker.onRetransmission(3);
        report(2, true);
        tracker.onDisconnected();
        tracker.onSequence(9);
        assertEquals(List.of("deliver 2"), take(), "no request without a connection");

        assertTrue(tracker.onEstablished(7));
        assertEquals(List.of("request 3+2"), take());
        retransmit(3, 2);
        assertEquals(List.of("deliver 3", "deliver 4", "deliver 5", "request 6+3"), take());
    }

    @Test
    void anEstablishAckBelowWhatWasDeliveredIsRefused() {
        tracker = new SequenceTracker(10, output);
        assertFalse(tracker.onEstablished(10));
        assertFalse(tracker.onEstablished(3));
        assertTrue(tracker.onEstablished(11));
        assertEquals(List.of(), take());
        assertEquals(10, tracker.lastSeqNo());
    }

    @Test
    void retransmittedReportsOutsideABatchAreDeliveredInOrderToo() {
        tracker.onEstablished(1);
        report(2, true);
        report(1, true);
        assertEquals(List.of("request 1+1", "deliver 1", "deliver 2"), take());
    }

    @Test
    void heldReportsSurviveGrowingAndCompactingTheirStore() {
        tracker.onEstablished(1);
        for (long seqNo = 2; seqNo <= 65; seqNo++) {
            live(seqNo);
        }
        for (long seqNo = 67; seqNo <= 130; seqNo++) {
            live(seqNo);
        }
        live(1);
        events.removeIf(e -> e.startsWith("request"));
        assertEquals(deliveries(1, 65, null), take());
        assertEquals(64, tracker.heldCount());
        live(132);
        live(66);
        assertEquals(deliveries(66, 130, null), take());
        live(131);
        assertEquals(List.of("deliver 131", "deliver 132"), take());
    }

    @Test
    void anyArrivalOrderWithDuplicatesIsDeliveredOnceInOrder() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            tracker = new SequenceTracker(0, output);
            int n = 1 + random.nextInt(300);
            List<Long> arrivals = new ArrayList<>();
            for (long seqNo = 1; seqNo <= n; seqNo++) {
                arrivals.add(seqNo);
                if (random.nextInt(5) == 0) {
                    arrivals.add(1 + (long) random.nextInt(n));
                }
            }
            Collections.shuffle(arrivals, random);
            for (long seqNo : arrivals) {
                report(seqNo, random.nextBoolean());
            }
            assertEquals(deliveries(1, n, null), take(), "round " + round);
            assertEquals(n, tracker.lastSeqNo());
            assertEquals(0, tracker.heldCount());
        }
    }

    private void live(long... seqNos) {
        for (long seqNo : seqNos) {
            report(seqNo, false);
        }
    }

    private void retransmit(long fromSeqNo, int count) {
        tracker.onRetransmission(count);
        for (long seqNo = fromSeqNo; seqNo < fromSeqNo + count; seqNo++) {
            report(seqNo, true);
        }
    }

    private void report(long seqNo, boolean possRetrans) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[OFFSET + 8 + 5]);
        buffer.setMemory(0, buffer.capacity(), (byte) 0x5A);
        buffer.putLong(OFFSET, seqNo);
        tracker.onReport(seqNo, possRetrans, buffer, OFFSET, 8);
        buffer.putLong(OFFSET, -1);
    }

    private List<String> take() {
        List<String> taken = List.copyOf(events);
        events.clear();
        return taken;
    }

    private static List<String> deliveries(long from, long to, String then) {
        List<String> expected = new ArrayList<>();
        for (long seqNo = from; seqNo <= to; seqNo++) {
            expected.add("deliver " + seqNo);
        }
        if (then != null) {
            expected.add(then);
        }
        return expected;
    }
}
