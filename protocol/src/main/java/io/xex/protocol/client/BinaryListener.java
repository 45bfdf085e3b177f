package io.xex.protocol.client;

import io.xex.protocol.sbe.BusinessRejectDecoder;
import io.xex.protocol.sbe.ExecutionReportDecoder;
import io.xex.protocol.sbe.MassCancelAckDecoder;
import io.xex.protocol.sbe.MassQuoteAckDecoder;
import io.xex.protocol.sbe.ThrottleRejectDecoder;

/**
 * What a {@link BinaryClient} receives, on the client's context. Every method does nothing by default.
 * Decoders passed in are flyweights over the receive buffer, valid only during the call: copy what you keep.
 * A listener may call the client (send, disconnect) from any of these methods; it should not throw (an
 * exception is handed to the context's exception handler and reading goes on).
 */
public interface BinaryListener {

    /**
     * An execution report of the session's account. Reports arrive exactly once each and in seqNo order,
     * retransmitted ones ({@code possRetrans() == TRUE}) included: live reports that overtake a gap are held
     * until it is filled.
     */
    default void onExecutionReport(ExecutionReportDecoder report) {
    }

    /** A request refused before the engine saw it (unsequenced: lost if the connection drops). */
    default void onBusinessReject(BusinessRejectDecoder reject) {
    }

    /** A request refused because the session is over its message rate; nothing was done. */
    default void onThrottleReject(ThrottleRejectDecoder reject) {
    }

    default void onMassQuoteAck(MassQuoteAckDecoder ack) {
    }

    default void onMassCancelAck(MassCancelAckDecoder ack) {
    }

    /**
     * The server refused to retransmit reports {@code fromSeqNo} to {@code fromSeqNo + count - 1}. If
     * {@code skipped}, those reports cannot be had and delivery went on after them (reconcile another way,
     * e.g. the REST order history); otherwise (server busy or history unavailable) they are asked again on
     * the next keep-alive check.
     */
    default void onRetransmitReject(long fromSeqNo, long count, int errorCode, String reason, boolean skipped) {
    }

    /** The server ended the session flow (its Terminate); {@link #onDisconnected()} follows. */
    default void onTerminate(int errorCode, String reason) {
    }

    /**
     * An established connection is gone: closed by either side, terminated, or silent for two keep-alive
     * intervals. Reconnect with {@link BinaryClient#reconnect()}. Not called when {@code connect()} fails.
     */
    default void onDisconnected() {
    }

    /** The socket's write queue, full before, has drained: sends are accepted again. */
    default void onWritable() {
    }
}
