package io.xex.protocol.client;

import io.xex.protocol.Framing;
import io.xex.protocol.sbe.AmendOrderEncoder;
import io.xex.protocol.sbe.CancelOnDisconnect;
import io.xex.protocol.sbe.CancelOrderEncoder;
import io.xex.protocol.sbe.EstablishEncoder;
import io.xex.protocol.sbe.MassCancelEncoder;
import io.xex.protocol.sbe.MassQuoteEncoder;
import io.xex.protocol.sbe.MessageHeaderEncoder;
import io.xex.protocol.sbe.NegotiateEncoder;
import io.xex.protocol.sbe.NewOrderEncoder;
import io.xex.protocol.sbe.OrdType;
import io.xex.protocol.sbe.RetransmitRequestEncoder;
import io.xex.protocol.sbe.SequenceEncoder;
import io.xex.protocol.sbe.Side;
import io.xex.protocol.sbe.SideFilter;
import io.xex.protocol.sbe.TerminateEncoder;
import io.xex.protocol.sbe.TimeInForce;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes the client's messages, each with its framing header, into a caller's buffer with reused SBE
 * flyweights: no allocation. Every method writes one frame at {@code offset} and returns its length,
 * framing header included; the buffer must have {@link Framing#MAX_FRAME_LENGTH} bytes free there.
 * Arguments are not validated here (the client does that before encoding).
 *
 * <p>Not thread-safe: one per client.
 */
final class FrameEncoder {
    private static final int MESSAGE_HEADER_LENGTH = MessageHeaderEncoder.ENCODED_LENGTH;

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final NegotiateEncoder negotiate = new NegotiateEncoder();
    private final EstablishEncoder establish = new EstablishEncoder();
    private final SequenceEncoder sequence = new SequenceEncoder();
    private final RetransmitRequestEncoder retransmitRequest = new RetransmitRequestEncoder();
    private final TerminateEncoder terminate = new TerminateEncoder();
    private final NewOrderEncoder newOrder = new NewOrderEncoder();
    private final CancelOrderEncoder cancelOrder = new CancelOrderEncoder();
    private final AmendOrderEncoder amendOrder = new AmendOrderEncoder();
    private final MassCancelEncoder massCancel = new MassCancelEncoder();
    private final MassQuoteEncoder massQuote = new MassQuoteEncoder();

    int negotiate(MutableDirectBuffer buffer, int offset, long uuid, long requestTimestampNs,
                  CancelOnDisconnect cancelOnDisconnect, long codGraceMs, String accessKeyId, byte[] signature) {
        negotiate.wrapAndApplyHeader(buffer, offset + Framing.HEADER_LENGTH, header)
            .uuid(uuid)
            .requestTimestamp(requestTimestampNs)
            .cancelOnDisconnect(cancelOnDisconnect)
            .codGraceMs(codGraceMs)
            .accessKeyId(accessKeyId)
            .putHmacSignature(signature, 0, signature.length);
        return frame(buffer, offset, negotiate.encodedLength());
    }

    int establish(MutableDirectBuffer buffer, int offset, long uuid, long requestTimestampNs,
                  long keepAliveIntervalMs, String accessKeyId, byte[] signature) {
        establish.wrapAndApplyHeader(buffer, offset + Framing.HEADER_LENGTH, header)
            .uuid(uuid)
            .requestTimestamp(requestTimestampNs)
            .keepAliveIntervalMs(keepAliveIntervalMs)
            .accessKeyId(accessKeyId)
            .putHmacSignature(signature, 0, signature.length);
        return frame(buffer, offset, establish.encodedLength());
    }

    /** A client heartbeat: its nextSeqNo is 0 (the client sends nothing sequenced). */
    int sequence(MutableDirectBuffer buffer, int offset) {
        sequence.wrapAndApplyHeader(buffer, offset + Framing.HEADER_LENGTH, header).nextSeqNo(0);
        return frame(buffer, offset, sequence.encodedLength());
    }

    int retransmitRequest(MutableDirectBuffer buffer, int offset, long uuid, long fromSeqNo, int count) {
        retransmitRequest.wrapAndApplyHeader(buffer, offset + Framing.HEADER_LENGTH, header)
            .uuid(uuid)
            .fromSeqNo(fromSeqNo)
            .count(count);
        return frame(buffer, offset, retransmitRequest.encodedLength());
    }

    int terminate(MutableDirectBuffer buffer, int offset, long uuid, int errorCode, String reason) {
        terminate.wrapAndApplyHeader(buffer, offset + Framing.HEADER_LENGTH, header)
            .uuid(uuid)
            .errorCode(errorCode)
            .reason(reason);
        return frame(buffer, offset, terminate.encodedLength());
    }

    /** {@code clOrdId}: null or empty for none. */
    int newOrder(MutableDirectBuffer buffer, int offset, CharSequence clOrdId, long securityId, Side side,
                 OrdType ordType, TimeInForce timeInForce, long price, long quantity, long quoteBudget) {
        newOrder.wrapAndApplyHeader(buffer, offset + Framing.HEADER_LENGTH, header)
            .clOrdId(clOrdId)
            .securityId(securityId)
            .side(side)
            .ordType(ordType)
            .timeInForce(timeInForce)
            .price(price)
            .quantity(quantity)
            .quoteBudget(quoteBudget);
        return frame(buffer, offset, newOrder.encodedLength());
    }

    /** Names the order by {@code orderId}, or by {@code origClOrdId} when {@code orderId} is 0. */
    int cancelOrder(MutableDirectBuffer buffer, int offset, long orderId, CharSequence origClOrdId) {
        cancelOrder.wrapAndApplyHeader(buffer, offset + Framing.HEADER_LENGTH, header)
            .orderId(orderId)
            .origClOrdId(origClOrdId);
        return frame(buffer, offset, cancelOrder.encodedLength());
    }

    int amendOrder(MutableDirectBuffer buffer, int offset, long orderId, CharSequence origClOrdId,
                   long newPrice, long newQuantity) {
        amendOrder.wrapAndApplyHeader(buffer, offset + Framing.HEADER_LENGTH, header)
            .orderId(orderId)
            .origClOrdId(origClOrdId)
            .newPrice(newPrice)
            .newQuantity(newQuantity);
        return frame(buffer, offset, amendOrder.encodedLength());
    }

    int massCancel(MutableDirectBuffer buffer, int offset, long requestId, long securityId, SideFilter side) {
        massCancel.wrapAndApplyHeader(buffer, offset + Framing.HEADER_LENGTH, header)
            .requestId(requestId)
            .securityId(securityId)
            .side(side);
        return frame(buffer, offset, massCancel.encodedLength());
    }

    /** The quotes are {@code count} rows of {@code quotes}, {@link MassQuoteBuilder#FIELDS} longs each. */
    int massQuote(MutableDirectBuffer buffer, int offset, long requestId, TimeInForce timeInForce,
                  long[] quotes, int count) {
        massQuote.wrapAndApplyHeader(buffer, offset + Framing.HEADER_LENGTH, header)
            .requestId(requestId)
            .timeInForce(timeInForce);
        MassQuoteEncoder.QuotesEncoder group = massQuote.quotesCount(count);
        for (int i = 0, at = 0; i < count; i++, at += MassQuoteBuilder.FIELDS) {
            group.next()
                .securityId(quotes[at])
                .bidPrice(quotes[at + 1])
                .bidQuantity(quotes[at + 2])
                .askPrice(quotes[at + 3])
                .askQuantity(quotes[at + 4]);
        }
        return frame(buffer, offset, massQuote.encodedLength());
    }

    private static int frame(MutableDirectBuffer buffer, int offset, int bodyLength) {
        int messageLength = MESSAGE_HEADER_LENGTH + bodyLength;
        Framing.writeHeader(buffer, offset, messageLength);
        return Framing.HEADER_LENGTH + messageLength;
    }
}
