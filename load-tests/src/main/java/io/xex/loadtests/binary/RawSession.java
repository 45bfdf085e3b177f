package io.xex.loadtests.binary;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.xex.loadtests.roundtrip.GatewayVenue;
import io.xex.protocol.Framing;
import io.xex.protocol.sbe.ExecutionReportDecoder;
import io.xex.protocol.sbe.MessageHeaderDecoder;
import io.xex.protocol.sbe.MessageHeaderEncoder;
import io.xex.protocol.sbe.NewOrderEncoder;
import io.xex.protocol.sbe.OrdType;
import io.xex.protocol.sbe.Side;
import io.xex.protocol.sbe.TimeInForce;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A connection to the echo server, which speaks no session layer, so the client library cannot talk to it: the same
 * NewOrder frames {@link io.xex.protocol.client.BinaryClient} sends, encoded the same way (reused SBE encoders into one
 * reused array, one {@link Buffer} per write, a write per order or, with batching, per sending turn; a full write
 * queue refuses the send until the socket drains), and the answers read with the same framing, each
 * ExecutionReport decoded and handed to {@link #onReport}. What it leaves out is the client library's session work:
 * the handshake, sequence tracking, keep-alive and its checks per frame.
 *
 * <p>Confined to its context.
 */
final class RawSession extends OrderSession {
    private static final int BATCH_CAPACITY = 16 * 1024;

    private final boolean batching;
    private final Frames frames = new Frames(this::onMessage);
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final NewOrderEncoder newOrder = new NewOrderEncoder();
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final ExecutionReportDecoder report = new ExecutionReportDecoder();
    private final byte[] outBytes;
    private final UnsafeBuffer out;
    private int pending;
    private NetClient client;
    private NetSocket socket;

    private RawSession(int index, Context context, int securityId, int run, boolean batching) {
        super(index, context, securityId, run);
        this.batching = batching;
        this.outBytes = new byte[batching ? BATCH_CAPACITY : Framing.MAX_FRAME_LENGTH];
        this.out = new UnsafeBuffer(outBytes);
    }

    /** Connects to {@code port} on the loopback from {@code context}. */
    static Future<RawSession> open(Vertx vertx, Context context, int port, int index, int securityId, int run,
                                   boolean batching) {
        Promise<RawSession> opened = Promise.promise();
        context.runOnContext(v -> {
            RawSession session = new RawSession(index, context, securityId, run, batching);
            session.client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true));
            session.client.connect(port, GatewayVenue.LOOPBACK).map(socket -> {
                session.attach(socket);
                return session;
            }).onComplete(opened);
        });
        return opened.future();
    }

    private void attach(NetSocket connected) {
        socket = connected;
        connected.handler(chunk -> {
            if (!frames.onData(chunk)) {
                connected.close();
            }
        });
        connected.drainHandler(v -> sendDue());
        connected.closeHandler(v -> connectionClosed());
    }

    @Override
    protected boolean newOrder(CharSequence clOrdId, Side side, long priceTicks) {
        if (socket.writeQueueFull()) {
            return false;
        }
        if (outBytes.length - pending < Framing.MAX_FRAME_LENGTH) {
            flush();
        }
        newOrder.wrapAndApplyHeader(out, pending + Framing.HEADER_LENGTH, headerEncoder)
            .clOrdId(clOrdId)
            .securityId(securityId)
            .side(side)
            .ordType(OrdType.LIMIT)
            .timeInForce(TimeInForce.IOC)
            .price(priceTicks)
            .quantity(QUANTITY_LOTS)
            .quoteBudget(0);
        int messageLength = MessageHeaderEncoder.ENCODED_LENGTH + newOrder.encodedLength();
        Framing.writeHeader(out, pending, messageLength);
        pending += Framing.HEADER_LENGTH + messageLength;
        if (!batching) {
            flush();
        }
        return true;
    }

    @Override
    protected void afterSends() {
        flush();
    }

    private void flush() {
        if (pending > 0) {
            socket.write(Buffer.buffer(pending).appendBytes(outBytes, 0, pending));
            pending = 0;
        }
    }

    private void onMessage(DirectBuffer buffer, int offset, int length) {
        header.wrap(buffer, offset);
        if (header.templateId() != ExecutionReportDecoder.TEMPLATE_ID) {
            unexpected();
            return;
        }
        report.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
        onReport(report);
    }

    @Override
    public Future<Void> close() {
        Promise<Void> closed = Promise.promise();
        context.runOnContext(v -> socket.close().eventually(client::close).onComplete(closed));
        return closed.future();
    }
}
