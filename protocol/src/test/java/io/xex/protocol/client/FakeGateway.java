package io.xex.protocol.client;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.xex.protocol.Framing;
import io.xex.protocol.sbe.BooleanFlag;
import io.xex.protocol.sbe.BusinessRejectEncoder;
import io.xex.protocol.sbe.EstablishmentAckEncoder;
import io.xex.protocol.sbe.EstablishmentRejectEncoder;
import io.xex.protocol.sbe.ExecType;
import io.xex.protocol.sbe.ExecutionReportEncoder;
import io.xex.protocol.sbe.Liquidity;
import io.xex.protocol.sbe.MassCancelAckEncoder;
import io.xex.protocol.sbe.MessageHeaderDecoder;
import io.xex.protocol.sbe.MessageHeaderEncoder;
import io.xex.protocol.sbe.NegotiationRejectEncoder;
import io.xex.protocol.sbe.NegotiationResponseEncoder;
import io.xex.protocol.sbe.OrdStatus;
import io.xex.protocol.sbe.OrdType;
import io.xex.protocol.sbe.RetransmissionEncoder;
import io.xex.protocol.sbe.RetransmitRejectEncoder;
import io.xex.protocol.sbe.SequenceEncoder;
import io.xex.protocol.sbe.Side;
import io.xex.protocol.sbe.TerminateEncoder;
import io.xex.protocol.sbe.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * For tests: a scripted stand-in for the binary gateway on a real socket. It records every message a client
 * sends (test threads take them in order) and writes whatever frames the test gives it; it decides nothing.
 */
final class FakeGateway implements AutoCloseable {
    static final long TIMEOUT_S = 10;

    private final NetServer server;
    private final BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> closes = new LinkedBlockingQueue<>();
    private volatile NetSocket connection;

    private FakeGateway(NetServer server) {
        this.server = server;
        server.connectHandler(socket -> {
            connection = socket;
            FrameReader reader = new FrameReader((buffer, offset, length) -> {
                byte[] message = new byte[length];
                buffer.getBytes(offset, message);
                received.add(message);
            });
            socket.handler(reader::onData);
            socket.closeHandler(v -> closes.add("closed"));
        });
    }

    static FakeGateway start(Vertx vertx) throws Exception {
        FakeGateway gateway = new FakeGateway(vertx.createNetServer());
        gateway.server.listen(0, "127.0.0.1").await(TIMEOUT_S, TimeUnit.SECONDS);
        return gateway;
    }

    int port() {
        return server.actualPort();
    }

    /** The next message the client sent, which must be of this template; its bytes from the SBE header. */
    UnsafeBuffer take(int templateId) throws InterruptedException {
        byte[] message = received.poll(TIMEOUT_S, TimeUnit.SECONDS);
        assertNotNull(message, "no message " + templateId + " from the client");
        UnsafeBuffer buffer = new UnsafeBuffer(message);
        assertEquals(templateId, new MessageHeaderDecoder().wrap(buffer, 0).templateId(), "template");
        return buffer;
    }

    /** Waits until the client's connection is closed. */
    void awaitClosed() throws InterruptedException {
        assertNotNull(closes.poll(TIMEOUT_S, TimeUnit.SECONDS), "connection not closed");
    }

    boolean nothingReceived() {
        return received.isEmpty();
    }

    void send(byte[]... frames) {
        Buffer out = Buffer.buffer();
        for (byte[] frame : frames) {
            out.appendBytes(frame);
        }
        connection.write(out);
    }

    void closeConnection() {
        connection.close();
    }

    @Override
    public void close() throws TimeoutException {
        server.close().await(TIMEOUT_S, TimeUnit.SECONDS);
    }

    // Frames the server sends.

    private static final MessageHeaderEncoder HEADER = new MessageHeaderEncoder();

    static byte[] negotiationResponse(long uuid, long requestTimestampNs) {
        UnsafeBuffer buffer = frameBuffer();
        NegotiationResponseEncoder message = new NegotiationResponseEncoder()
            .wrapAndApplyHeader(buffer, Framing.HEADER_LENGTH, HEADER)
            .uuid(uuid).requestTimestamp(requestTimestampNs).codGraceMs(5000);
        return frame(buffer, message.encodedLength());
    }

    static byte[] negotiationReject(long uuid, int code, String reason) {
        UnsafeBuffer buffer = frameBuffer();
        NegotiationRejectEncoder message = new NegotiationRejectEncoder()
            .wrapAndApplyHeader(buffer, Framing.HEADER_LENGTH, HEADER)
            .uuid(uuid).errorCode(code).reason(reason);
        return frame(buffer, message.encodedLength());
    }

    static byte[] establishmentAck(long uuid, long keepAliveIntervalMs, long nextSeqNo) {
        UnsafeBuffer buffer = frameBuffer();
        EstablishmentAckEncoder message = new EstablishmentAckEncoder()
            .wrapAndApplyHeader(buffer, Framing.HEADER_LENGTH, HEADER)
            .uuid(uuid).keepAliveIntervalMs(keepAliveIntervalMs).nextSeqNo(nextSeqNo);
        return frame(buffer, message.encodedLength());
    }

    static byte[] establishmentReject(long uuid, int code, String reason) {
        UnsafeBuffer buffer = frameBuffer();
        EstablishmentRejectEncoder message = new EstablishmentRejectEncoder()
            .wrapAndApplyHeader(buffer, Framing.HEADER_LENGTH, HEADER)
            .uuid(uuid).errorCode(code).reason(reason);
        return frame(buffer, message.encodedLength());
    }

    static byte[] sequence(long nextSeqNo) {
        UnsafeBuffer buffer = frameBuffer();
        SequenceEncoder message = new SequenceEncoder()
            .wrapAndApplyHeader(buffer, Framing.HEADER_LENGTH, HEADER).nextSeqNo(nextSeqNo);
        return frame(buffer, message.encodedLength());
    }

    static byte[] retransmission(long uuid, long fromSeqNo, int count) {
        UnsafeBuffer buffer = frameBuffer();
        RetransmissionEncoder message = new RetransmissionEncoder()
            .wrapAndApplyHeader(buffer, Framing.HEADER_LENGTH, HEADER)
            .uuid(uuid).fromSeqNo(fromSeqNo).count(count);
        return frame(buffer, message.encodedLength());
    }

    static byte[] retransmitReject(long uuid, long fromSeqNo, int count, int code, String reason) {
        UnsafeBuffer buffer = frameBuffer();
        RetransmitRejectEncoder message = new RetransmitRejectEncoder()
            .wrapAndApplyHeader(buffer, Framing.HEADER_LENGTH, HEADER)
            .uuid(uuid).fromSeqNo(fromSeqNo).count(count).errorCode(code).reason(reason);
        return frame(buffer, message.encodedLength());
    }

    static byte[] terminate(long uuid, int code, String reason) {
        UnsafeBuffer buffer = frameBuffer();
        TerminateEncoder message = new TerminateEncoder()
            .wrapAndApplyHeader(buffer, Framing.HEADER_LENGTH, HEADER)
            .uuid(uuid).errorCode(code).reason(reason);
        return frame(buffer, message.encodedLength());
    }

    /** An ER NEW of order {@code 1000 + seqNo}. */
    static byte[] executionReport(long seqNo, boolean possRetrans) {
        UnsafeBuffer buffer = frameBuffer();
        ExecutionReportEncoder message = new ExecutionReportEncoder()
            .wrapAndApplyHeader(buffer, Framing.HEADER_LENGTH, HEADER)
            .seqNo(seqNo).possRetrans(possRetrans ? BooleanFlag.TRUE : BooleanFlag.FALSE)
            .transactTime(1).engineSeq(seqNo).orderId(1000 + seqNo).clOrdId("c-" + seqNo).securityId(7)
            .side(Side.BUY).ordType(OrdType.LIMIT).timeInForce(TimeInForce.GTC).execType(ExecType.NEW)
            .ordStatus(OrdStatus.NEW).price(100).orderQty(5).leavesQty(5).cumQty(0).lastPx(0).lastQty(0)
            .tradeId(0).fee(0).liquidity(Liquidity.NONE).reason(0);
        return frame(buffer, message.encodedLength());
    }

    static byte[] businessReject(int code, String clOrdId, String reason) {
        UnsafeBuffer buffer = frameBuffer();
        BusinessRejectEncoder message = new BusinessRejectEncoder()
            .wrapAndApplyHeader(buffer, Framing.HEADER_LENGTH, HEADER)
            .refTemplateId(20).clOrdId(clOrdId).requestId(0).orderId(0).errorCode(code).reason(reason);
        return frame(buffer, message.encodedLength());
    }

    static byte[] massCancelAck(long requestId, int cancelledCount) {
        UnsafeBuffer buffer = frameBuffer();
        MassCancelAckEncoder message = new MassCancelAckEncoder()
            .wrapAndApplyHeader(buffer, Framing.HEADER_LENGTH, HEADER)
            .requestId(requestId).errorCode(0).cancelledCount(cancelledCount);
        return frame(buffer, message.encodedLength());
    }

    private static UnsafeBuffer frameBuffer() {
        return new UnsafeBuffer(new byte[Framing.MAX_FRAME_LENGTH]);
    }

    private static byte[] frame(UnsafeBuffer buffer, int bodyLength) {
        int messageLength = MessageHeaderEncoder.ENCODED_LENGTH + bodyLength;
        Framing.writeHeader(buffer, 0, messageLength);
        return Arrays.copyOf(buffer.byteArray(), Framing.HEADER_LENGTH + messageLength);
    }
}
