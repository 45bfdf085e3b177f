package io.xex.protocol.client;

import io.xex.protocol.ProtocolCode;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.Arrays;

/**
 * Decides, for the sequenced messages (execution reports) of one session, what to deliver, what to hold and
 * what to ask again, so that the listener sees every seqNo once and in order.
 *
 * <ul>
 *   <li>A report with seqNo {@code lastSeqNo + 1} is delivered at once, then any held reports that follow
 *       it without a gap.</li>
 *   <li>A report at or below {@code lastSeqNo}, or already held, is dropped as a duplicate.</li>
 *   <li>A report above {@code lastSeqNo + 1} is copied and held until the gap before it is filled.</li>
 *   <li>Missing seqNos below the highest one known to exist (from the EstablishmentAck, a report, or the
 *       server's Sequence heartbeat) are asked with one RetransmitRequest at a time (the server serves one
 *       per session), of at most {@link #MAX_RETRANSMIT_COUNT}, starting at {@code lastSeqNo + 1} and
 *       stopping before the first held report. A request is done once as many retransmitted reports as
 *       its Retransmission announced have arrived (or a live report ends the batch short); the next one
 *       follows.</li>
 *   <li>A RetransmitReject saying busy or unavailable is asked again on {@link #retry()} (the client calls
 *       it on its keep-alive tick); any other reject means those reports cannot be had: the range is
 *       skipped so that delivery goes on.</li>
 * </ul>
 *
 * <p>Pure logic without I/O or clock: outcomes leave through {@link Output}. Not thread-safe: confined to
 * the client's context.
 */
final class SequenceTracker {
    /** The most reports one RetransmitRequest may ask (the server's limit). */
    static final int MAX_RETRANSMIT_COUNT = 1000;

    /** Where the tracker's decisions go. */
    interface Output {
        /** Delivers a report (its SBE message, from the message header), valid only during the call. */
        void deliver(DirectBuffer buffer, int offset, int length);

        /** Sends a RetransmitRequest. */
        void requestRetransmit(long fromSeqNo, int count);
    }

    private final Output output;

    /** The highest seqNo delivered; every one below it was delivered once, in order. */
    private long lastSeqNo;
    /** The highest seqNo known to exist. */
    private long highestKnown;
    /** Whether requests may be sent: between established and disconnected. */
    private boolean connected;
    /** A request is out and its reports have not all arrived. */
    private boolean requestInFlight;
    private long requestFrom;
    private int requestCount;
    /** Retransmitted reports still expected from the current Retransmission; -1 before its header. */
    private long retransmitRemaining = -1;
    /** A retryable reject came; the next request waits for {@link #retry()}. */
    private boolean retryDue;

    // Held reports, sorted by seqNo from heldHead to heldTail; their bytes are in heldBytes.
    private long[] heldSeqNos = new long[64];
    private int[] heldOffsets = new int[64];
    private int[] heldLengths = new int[64];
    private int heldHead;
    private int heldTail;
    private final ExpandableArrayBuffer heldBytes = new ExpandableArrayBuffer(4096);
    private int heldBytesLimit;

    SequenceTracker(long lastSeqNo, Output output) {
        if (lastSeqNo < 0) {
            throw new IllegalArgumentException("lastSeqNo below 0: " + lastSeqNo);
        }
        this.output = output;
        this.lastSeqNo = lastSeqNo;
        this.highestKnown = lastSeqNo;
    }

    long lastSeqNo() {
        return lastSeqNo;
    }

    /** Reports held for a gap before them. */
    int heldCount() {
        return heldTail - heldHead;
    }

    /** Whether seqNos known to exist are missing (asked or not). */
    boolean hasGap() {
        return highestKnown > lastSeqNo;
    }

    /**
     * The session is established on a new connection; the server's live reports start at {@code nextSeqNo}.
     *
     * @return false if {@code nextSeqNo} is not above what was already delivered (another or a reset
     *     session): nothing changes and the connection should be dropped
     */
    boolean onEstablished(long nextSeqNo) {
        if (nextSeqNo <= lastSeqNo) {
            return false;
        }
        connected = true;
        requestInFlight = false;
        retransmitRemaining = -1;
        retryDue = false;
        known(nextSeqNo - 1);
        requestGap();
        return true;
    }

    /** The connection is gone: a request in flight is void. Held reports stay held. */
    void onDisconnected() {
        connected = false;
        requestInFlight = false;
        retransmitRemaining = -1;
        retryDue = false;
    }

    /** The server's heartbeat: every seqNo below {@code nextSeqNo} was sent. */
    void onSequence(long nextSeqNo) {
        known(nextSeqNo - 1);
        requestGap();
    }

    /** A Retransmission header: {@code count} retransmitted reports follow. */
    void onRetransmission(long count) {
        if (!requestInFlight) {
            return;
        }
        retransmitRemaining = count;
        if (count <= 0) {
            requestDone();
        }
    }

    /**
     * A RetransmitReject for the request in flight.
     *
     * @return true if the request's range was skipped (those reports cannot be had), false if it will be
     *     asked again on {@link #retry()} or no request was in flight
     */
    boolean onRetransmitReject(int errorCode) {
        if (!requestInFlight) {
            return false;
        }
        requestInFlight = false;
        retransmitRemaining = -1;
        if (retryable(errorCode)) {
            retryDue = true;
            return false;
        }
        lastSeqNo = Math.max(lastSeqNo, requestFrom + requestCount - 1);
        drainHeld();
        requestGap();
        return true;
    }

    /** What {@link #onRetransmitReject} would return, without doing it: whether it skips the range. */
    boolean rejectSkips(int errorCode) {
        return requestInFlight && !retryable(errorCode);
    }

    private static boolean retryable(int errorCode) {
        return errorCode == ProtocolCode.RETRANSMIT_BUSY.code()
            || errorCode == ProtocolCode.RETRANSMIT_UNAVAILABLE.code();
    }

    /** Asks again after a retryable reject, if one came. */
    void retry() {
        if (retryDue) {
            retryDue = false;
            requestGap();
        }
    }

    /** An execution report; its bytes are copied if it must be held. */
    void onReport(long seqNo, boolean possRetrans, DirectBuffer buffer, int offset, int length) {
        boolean retransmitted = possRetrans && retransmitRemaining > 0;
        known(seqNo);
        if (seqNo == lastSeqNo + 1) {
            lastSeqNo = seqNo;
            output.deliver(buffer, offset, length);
            drainHeld();
        } else if (seqNo > lastSeqNo) {
            hold(seqNo, buffer, offset, length);
        }
        if (retransmitted) {
            if (--retransmitRemaining == 0) {
                requestDone();
            }
        } else if (!possRetrans && retransmitRemaining > 0) {
            // Live reports never come inside a batch: this one ended it short.
            requestDone();
        } else {
            requestGap();
        }
    }

    private void requestDone() {
        requestInFlight = false;
        retransmitRemaining = -1;
        requestGap();
    }

    private void known(long seqNo) {
        if (seqNo > highestKnown) {
            highestKnown = seqNo;
        }
    }

    /** Sends the next request if something is missing, none is out, and the connection is up. */
    private void requestGap() {
        if (!connected || requestInFlight || retryDue || !hasGap()) {
            return;
        }
        long from = lastSeqNo + 1;
        long end = heldCount() > 0 ? heldSeqNos[heldHead] : highestKnown + 1;
        requestInFlight = true;
        requestFrom = from;
        requestCount = (int) Math.min(MAX_RETRANSMIT_COUNT, end - from);
        retransmitRemaining = -1;
        output.requestRetransmit(requestFrom, requestCount);
    }

    private void drainHeld() {
        while (heldCount() > 0 && heldSeqNos[heldHead] <= lastSeqNo + 1) {
            int at = heldHead++;
            if (heldSeqNos[at] == lastSeqNo + 1) {
                lastSeqNo = heldSeqNos[at];
                output.deliver(heldBytes, heldOffsets[at], heldLengths[at]);
            }
        }
        if (heldCount() == 0) {
            heldHead = 0;
            heldTail = 0;
            heldBytesLimit = 0;
        }
    }

    private void hold(long seqNo, DirectBuffer buffer, int offset, int length) {
        int insertAt;
        if (heldCount() == 0 || seqNo > heldSeqNos[heldTail - 1]) {
            insertAt = heldTail;
        } else {
            int found = Arrays.binarySearch(heldSeqNos, heldHead, heldTail, seqNo);
            if (found >= 0) {
                return;
            }
            insertAt = -found - 1;
        }
        if (heldTail == heldSeqNos.length) {
            insertAt -= makeRoom();
        }
        int moved = heldTail - insertAt;
        if (moved > 0) {
            System.arraycopy(heldSeqNos, insertAt, heldSeqNos, insertAt + 1, moved);
            System.arraycopy(heldOffsets, insertAt, heldOffsets, insertAt + 1, moved);
            System.arraycopy(heldLengths, insertAt, heldLengths, insertAt + 1, moved);
        }
        heldBytes.putBytes(heldBytesLimit, buffer, offset, length);
        heldSeqNos[insertAt] = seqNo;
        heldOffsets[insertAt] = heldBytesLimit;
        heldLengths[insertAt] = length;
        heldBytesLimit += length;
        heldTail++;
    }

    /**
     * Makes room for one more entry: moves the entries to the front, and grows the arrays if still full.
     *
     * @return how far the entries moved towards the front
     */
    private int makeRoom() {
        int shift = heldHead;
        int count = heldCount();
        if (shift > 0) {
            System.arraycopy(heldSeqNos, heldHead, heldSeqNos, 0, count);
            System.arraycopy(heldOffsets, heldHead, heldOffsets, 0, count);
            System.arraycopy(heldLengths, heldHead, heldLengths, 0, count);
            heldHead = 0;
            heldTail = count;
        }
        if (heldTail == heldSeqNos.length) {
            int capacity = heldSeqNos.length * 2;
            heldSeqNos = Arrays.copyOf(heldSeqNos, capacity);
            heldOffsets = Arrays.copyOf(heldOffsets, capacity);
            heldLengths = Arrays.copyOf(heldLengths, capacity);
        }
        return shift;
    }
}
