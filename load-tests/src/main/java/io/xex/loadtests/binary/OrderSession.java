package io.xex.loadtests.binary;

import io.vertx.core.Context;
import io.xex.loadtests.roundtrip.LoadConnection;
import io.xex.protocol.sbe.ExecType;
import io.xex.protocol.sbe.ExecutionReportDecoder;
import io.xex.protocol.sbe.Side;

import java.nio.charset.StandardCharsets;

/**
 * One session of the binary harness, whatever it talks to: request {@code id} of the schedule is a NewOrder whose
 * clOrdId is {@code <run>-<id>}, so the report that answers it names its request, and with it its due time, without
 * a map or a ring of send times (the due time is a function of the request number). The orders are LIMIT IOC
 * {@value #QUANTITY_LOTS} lots (0.100 TSLAx), BUY and SELL in turn, bids 1..{@value #PRICE_STEPS} ticks below the
 * {@value #REFERENCE_TICKS} reference and asks as far above (the WebSocket benchmark's IOC flow): nothing rests or
 * trades, every order is accepted (NEW) and expires (EXPIRED), the book and the balances stay as they were.
 *
 * <p>An ExecutionReport NEW answers its order; REJECTED, a BusinessReject or a ThrottleReject fails it; EXPIRED is its
 * expected end and counts nowhere. Confined to its context; the generator thread only calls {@link #post}.
 */
abstract class OrderSession extends LoadConnection {
    static final long QUANTITY_LOTS = 100;
    static final long REFERENCE_TICKS = 42_000;
    static final int PRICE_STEPS = 100;
    /** The clOrdId field's length: a request number is read from a copy of it. */
    static final int CL_ORD_ID_LENGTH = ExecutionReportDecoder.clOrdIdLength();

    protected final int securityId;
    private final int run;
    private final StringBuilder clOrdId = new StringBuilder(CL_ORD_ID_LENGTH);
    /** A reused copy of a received clOrdId. */
    protected final byte[] received = new byte[CL_ORD_ID_LENGTH];

    /** @param run the run's number, unique in the process: clOrdIds stay unique per account across runs */
    protected OrderSession(int index, Context context, int securityId, int run) {
        super(index, context);
        this.securityId = securityId;
        this.run = run;
    }

    /** Sends a LIMIT IOC order of {@value #QUANTITY_LOTS} lots; false, sending nothing, when back-pressured. */
    protected abstract boolean newOrder(CharSequence clOrdId, Side side, long priceTicks);

    @Override
    protected final boolean send(long id, long k) {
        clOrdId.setLength(0);
        appendClOrdId(clOrdId, run, id);
        int step = Math.floorMod(id * 37, PRICE_STEPS);
        boolean buy = (k & 1) == 0;
        return newOrder(clOrdId, buy ? Side.BUY : Side.SELL, buy ? REFERENCE_TICKS - 1 - step : REFERENCE_TICKS + 1 + step);
    }

    /** An execution report of the session. */
    protected final void onReport(ExecutionReportDecoder report) {
        long nowNs = System.nanoTime();
        ExecType type = report.execType();
        if (type == ExecType.EXPIRED) {
            return;
        }
        report.getClOrdId(received, 0);
        long id = running() ? requestOf(received, run) : -1;
        if (id < 0 || (type != ExecType.NEW && type != ExecType.REJECTED)) {
            unexpected();
        } else if (type == ExecType.NEW) {
            answered(id, nowNs);
        } else {
            failed(id, "REJECTED/" + report.reason(), "ExecutionReport REJECTED reason " + report.reason()
                + " for clOrdId " + clOrdIdText(received));
        }
    }

    /** A BusinessReject or ThrottleReject of the order whose clOrdId was copied into {@link #received}. */
    protected final void onReject(String kind, int code, String text) {
        long id = running() ? requestOf(received, run) : -1;
        if (id < 0) {
            unexpected();
        } else {
            failed(id, kind + "/" + code, kind + " " + code + " for clOrdId " + clOrdIdText(received) + ": " + text);
        }
    }

    /** Appends the clOrdId of request {@code id} of run {@code run}: {@code <run>-<id>}. */
    static void appendClOrdId(StringBuilder to, int run, long id) {
        to.append(run).append('-').append(id);
    }

    /**
     * The request number in a clOrdId of run {@code run} ({@code <run>-<id>}, padded with NUL), or -1 if it is not
     * one.
     */
    static long requestOf(byte[] clOrdId, int run) {
        int p = 0;
        long runRead = 0;
        while (p < clOrdId.length && clOrdId[p] >= '0' && clOrdId[p] <= '9') {
            runRead = runRead * 10 + (clOrdId[p++] - '0');
        }
        if (p == 0 || runRead != run || p == clOrdId.length || clOrdId[p++] != '-') {
            return -1;
        }
        int digits = p;
        long id = 0;
        while (p < clOrdId.length && clOrdId[p] >= '0' && clOrdId[p] <= '9' && p - digits < 18) {
            id = id * 10 + (clOrdId[p++] - '0');
        }
        return p == digits || (p < clOrdId.length && clOrdId[p] != 0) ? -1 : id;
    }

    private static String clOrdIdText(byte[] clOrdId) {
        int length = 0;
        while (length < clOrdId.length && clOrdId[length] != 0) {
            length++;
        }
        return new String(clOrdId, 0, length, StandardCharsets.US_ASCII);
    }
}
