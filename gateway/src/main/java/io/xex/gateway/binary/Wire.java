package io.xex.gateway.binary;

import io.xex.matching.OrderType;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;
import io.xex.protocol.Framing;
import io.xex.protocol.sbe.BooleanFlag;
import io.xex.protocol.sbe.BusinessRejectEncoder;
import io.xex.protocol.sbe.CancelOnDisconnect;
import io.xex.protocol.sbe.EstablishmentAckEncoder;
import io.xex.protocol.sbe.EstablishmentRejectEncoder;
import io.xex.protocol.sbe.ExecType;
import io.xex.protocol.sbe.ExecutionReportEncoder;
import io.xex.protocol.sbe.Liquidity;
import io.xex.protocol.sbe.MassCancelAckEncoder;
import io.xex.protocol.sbe.MassQuoteAckEncoder;
import io.xex.protocol.sbe.MessageHeaderEncoder;
import io.xex.protocol.sbe.NegotiationRejectEncoder;
import io.xex.protocol.sbe.NegotiationResponseEncoder;
import io.xex.protocol.sbe.OrdStatus;
import io.xex.protocol.sbe.OrdType;
import io.xex.protocol.sbe.RetransmissionEncoder;
import io.xex.protocol.sbe.RetransmitRejectEncoder;
import io.xex.protocol.sbe.SequenceEncoder;
import io.xex.protocol.sbe.TerminateEncoder;
import io.xex.protocol.sbe.ThrottleRejectEncoder;
import io.xex.runtime.history.ExecutionReport;
import org.agrona.MutableDirectBuffer;

import java.util.ArrayList;
import java.util.List;

/**
 * Encodes the server's messages, framed, at the end of a connection's output, and remembers which connections
 * have something to write until {@link #flush}. One instance per gateway
 * (its encoders are reused flyweights); confined to the gateway's context.
 */
final class Wire {
    /** One quote's outcome in a MassQuoteAck. */
    record QuoteOutcome(long securityId, int bidStatus, long bidOrderId, int askStatus, long askOrderId) {
    }

    private static final int FRAME_MAX = Framing.MAX_FRAME_LENGTH;

    /** Connections with encoded bytes not yet written. */
    private final List<Connection> dirty = new ArrayList<>();

    private final MessageHeaderEncoder header = new MessageHeaderEncoder();
    private final NegotiationResponseEncoder negotiationResponse = new NegotiationResponseEncoder();
    private final NegotiationRejectEncoder negotiationReject = new NegotiationRejectEncoder();
    private final EstablishmentAckEncoder establishmentAck = new EstablishmentAckEncoder();
    private final EstablishmentRejectEncoder establishmentReject = new EstablishmentRejectEncoder();
    private final SequenceEncoder sequence = new SequenceEncoder();
    private final RetransmissionEncoder retransmission = new RetransmissionEncoder();
    private final RetransmitRejectEncoder retransmitReject = new RetransmitRejectEncoder();
    private final TerminateEncoder terminate = new TerminateEncoder();
    private final ExecutionReportEncoder executionReport = new ExecutionReportEncoder();
    private final BusinessRejectEncoder businessReject = new BusinessRejectEncoder();
    private final ThrottleRejectEncoder throttleReject = new ThrottleRejectEncoder();
    private final MassQuoteAckEncoder massQuoteAck = new MassQuoteAckEncoder();
    private final MassCancelAckEncoder massCancelAck = new MassCancelAckEncoder();

    void negotiationResponse(Connection c, long uuid, long requestTimestamp, boolean cod, long graceMs) {
        negotiationResponse.wrapAndApplyHeader(begin(c), body(c), header)
            .uuid(uuid).requestTimestamp(requestTimestamp)
            .cancelOnDisconnect(cod ? CancelOnDisconnect.ON : CancelOnDisconnect.OFF).codGraceMs(graceMs);
        end(c, negotiationResponse.encodedLength());
    }

    void negotiationReject(Connection c, long uuid, long requestTimestamp, int code, String reason) {
        negotiationReject.wrapAndApplyHeader(begin(c), body(c), header)
            .uuid(uuid).requestTimestamp(requestTimestamp).errorCode(code).reason(reason);
        end(c, negotiationReject.encodedLength());
    }

    void establishmentAck(Connection c, long uuid, long requestTimestamp, long keepAliveMs, long nextSeqNo) {
        establishmentAck.wrapAndApplyHeader(begin(c), body(c), header)
            .uuid(uuid).requestTimestamp(requestTimestamp).keepAliveIntervalMs(keepAliveMs).nextSeqNo(nextSeqNo);
        end(c, establishmentAck.encodedLength());
    }

    void establishmentReject(Connection c, long uuid, long requestTimestamp, int code, String reason) {
        establishmentReject.wrapAndApplyHeader(begin(c), body(c), header)
            .uuid(uuid).requestTimestamp(requestTimestamp).errorCode(code).reason(reason);
        end(c, establishmentReject.encodedLength());
    }

    void sequence(Connection c, long nextSeqNo) {
        sequence.wrapAndApplyHeader(begin(c), body(c), header).nextSeqNo(nextSeqNo);
        end(c, sequence.encodedLength());
    }

    void retransmission(Connection c, long uuid, long fromSeqNo, long count) {
        retransmission.wrapAndApplyHeader(begin(c), body(c), header).uuid(uuid).fromSeqNo(fromSeqNo).count(count);
        end(c, retransmission.encodedLength());
    }

    void retransmitReject(Connection c, long uuid, long fromSeqNo, long count, int code, String reason) {
        retransmitReject.wrapAndApplyHeader(begin(c), body(c), header)
            .uuid(uuid).fromSeqNo(fromSeqNo).count(count).errorCode(code).reason(reason);
        end(c, retransmitReject.encodedLength());
    }

    void terminate(Connection c, long uuid, int code, String reason) {
        terminate.wrapAndApplyHeader(begin(c), body(c), header).uuid(uuid).errorCode(code).reason(reason);
        end(c, terminate.encodedLength());
    }

    void businessReject(Connection c, int refTemplateId, String clOrdId, long requestId, long orderId, int code,
                        String reason) {
        businessReject.wrapAndApplyHeader(begin(c), body(c), header)
            .refTemplateId(refTemplateId).clOrdId(ascii(clOrdId)).requestId(requestId).orderId(orderId)
            .errorCode(code).reason(reason);
        end(c, businessReject.encodedLength());
    }

    void throttleReject(Connection c, int refTemplateId, String clOrdId, long requestId, long orderId,
                        long retryAfterMs) {
        throttleReject.wrapAndApplyHeader(begin(c), body(c), header)
            .refTemplateId(refTemplateId).clOrdId(ascii(clOrdId)).requestId(requestId).retryAfterMs(retryAfterMs)
            .orderId(orderId);
        end(c, throttleReject.encodedLength());
    }

    void massCancelAck(Connection c, long requestId, int code, long cancelled) {
        massCancelAck.wrapAndApplyHeader(begin(c), body(c), header)
            .requestId(requestId).errorCode(code).cancelledCount(cancelled);
        end(c, massCancelAck.encodedLength());
    }

    void massQuoteAck(Connection c, long requestId, List<QuoteOutcome> outcomes) {
        MassQuoteAckEncoder.QuotesEncoder quotes = massQuoteAck.wrapAndApplyHeader(begin(c), body(c), header)
            .requestId(requestId).quotesCount(outcomes.size());
        for (QuoteOutcome o : outcomes) {
            quotes.next().securityId(o.securityId()).bidStatus(o.bidStatus()).bidOrderId(o.bidOrderId())
                .askStatus(o.askStatus()).askOrderId(o.askOrderId());
        }
        end(c, massQuoteAck.encodedLength());
    }

    void executionReport(Connection c, long seqNo, boolean possRetrans, ExecutionReport r) {
        executionReport.wrapAndApplyHeader(begin(c), body(c), header)
            .seqNo(seqNo)
            .possRetrans(possRetrans ? BooleanFlag.TRUE : BooleanFlag.FALSE)
            .transactTime(r.timestampNs())
            .engineSeq(r.sequence())
            .orderId(r.orderId())
            .clOrdId(ascii(r.clientOrderId()))
            .securityId(r.instrumentId())
            .side(side(r.side()))
            .ordType(ordType(r.type()))
            .timeInForce(timeInForce(r.timeInForce()))
            .execType(execType(r))
            .ordStatus(ordStatus(r))
            .price(r.price())
            .orderQty(r.quantity())
            .leavesQty(r.remaining())
            .cumQty(r.filled())
            .lastPx(r.lastPrice())
            .lastQty(r.lastQuantity())
            .tradeId(r.tradeId())
            .fee(r.fee())
            .liquidity(r.tradeId() == 0 ? Liquidity.NONE : r.maker() ? Liquidity.MAKER : Liquidity.TAKER)
            .reason(r.reason());
        end(c, executionReport.encodedLength());
    }

    /** Writes what was encoded for every connection since the last flush. */
    void flush(long nowMs) {
        for (int i = 0; i < dirty.size(); i++) {
            dirty.get(i).flush(nowMs);
        }
        dirty.clear();
    }

    private static MutableDirectBuffer begin(Connection c) {
        c.out.checkLimit(c.outLength + FRAME_MAX);
        return c.out;
    }

    private static int body(Connection c) {
        return c.outLength + Framing.HEADER_LENGTH;
    }

    private void end(Connection c, int bodyLength) {
        int messageLength = MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
        Framing.writeHeader(c.out, c.outLength, messageLength);
        c.outLength += Framing.HEADER_LENGTH + messageLength;
        if (!c.dirty) {
            c.dirty = true;
            dirty.add(c);
        }
    }

    /** A client order id as the wire carries it: printable ASCII (anything else as '?'), at most 36. */
    private static String ascii(String clientOrderId) {
        if (clientOrderId == null) {
            return "";
        }
        for (int i = 0; i < clientOrderId.length(); i++) {
            char ch = clientOrderId.charAt(i);
            if (ch < 0x20 || ch > 0x7E) {
                return clientOrderId.replaceAll("[^\\x20-\\x7E]", "?");
            }
        }
        return clientOrderId;
    }

    static io.xex.protocol.sbe.Side side(Side side) {
        return side == null ? io.xex.protocol.sbe.Side.NULL_VAL
            : side == Side.BUY ? io.xex.protocol.sbe.Side.BUY : io.xex.protocol.sbe.Side.SELL;
    }

    private static OrdType ordType(OrderType type) {
        return type == null ? OrdType.NULL_VAL : type == OrderType.LIMIT ? OrdType.LIMIT : OrdType.MARKET;
    }

    private static io.xex.protocol.sbe.TimeInForce timeInForce(TimeInForce tif) {
        if (tif == null) {
            return io.xex.protocol.sbe.TimeInForce.NULL_VAL;
        }
        return switch (tif) {
            case GTC -> io.xex.protocol.sbe.TimeInForce.GTC;
            case IOC -> io.xex.protocol.sbe.TimeInForce.IOC;
            case FOK -> io.xex.protocol.sbe.TimeInForce.FOK;
            case POST_ONLY -> io.xex.protocol.sbe.TimeInForce.POST_ONLY;
        };
    }

    private static ExecType execType(ExecutionReport r) {
        return switch (r.kind()) {
            case NEW -> ExecType.NEW;
            case TRADE -> ExecType.TRADE;
            case AMENDED -> ExecType.AMENDED;
            case CANCELLED -> ExecType.CANCELLED;
            case EXPIRED -> ExecType.EXPIRED;
            case REJECTED -> ExecType.REJECTED;
        };
    }

    private static OrdStatus ordStatus(ExecutionReport r) {
        return switch (r.kind()) {
            case NEW -> OrdStatus.NEW;
            case REJECTED -> OrdStatus.REJECTED;
            case CANCELLED -> OrdStatus.CANCELLED;
            case EXPIRED -> OrdStatus.EXPIRED;
            default -> r.remaining() == 0 ? OrdStatus.FILLED
                : r.filled() > 0 ? OrdStatus.PARTIALLY_FILLED : OrdStatus.NEW;
        };
    }
}
