package io.xex.loadtests.binary;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.xex.loadtests.roundtrip.GatewayVenue;
import io.xex.protocol.Framing;
import io.xex.protocol.sbe.BooleanFlag;
import io.xex.protocol.sbe.ExecType;
import io.xex.protocol.sbe.ExecutionReportEncoder;
import io.xex.protocol.sbe.Liquidity;
import io.xex.protocol.sbe.MessageHeaderDecoder;
import io.xex.protocol.sbe.MessageHeaderEncoder;
import io.xex.protocol.sbe.NewOrderDecoder;
import io.xex.protocol.sbe.OrdStatus;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;

import java.util.Arrays;

/**
 * The baseline: a bare Vert.x TCP server in one verticle (one event loop, as the gateway), no session layer, no state
 * beyond counters, no metrics. It reads SOFH frames as the gateway does and answers every NewOrder at once with
 * {@code answers} real ExecutionReport frames of the order (the first NEW, any further EXPIRED: the gateway answers an
 * IOC order that finds nothing with those two), encoded with the protocol's SBE codecs; the answers to one received
 * chunk go out in one write, as the gateway writes each connection's reports of one turn in one. A full write queue
 * pauses reading until it drains. What binary order entry costs on this machine with this client, the floor under
 * the gateway.
 *
 * <p>Confined to its context.
 */
final class BinaryEchoServer extends VerticleBase {
    static final String THREAD_NAME = "binary-echo-server";
    /** The size of every answer frame. */
    static final int REPORT_FRAME_LENGTH = Framing.HEADER_LENGTH + MessageHeaderEncoder.ENCODED_LENGTH
        + ExecutionReportEncoder.BLOCK_LENGTH;

    /** The done reason of an IOC order's remainder ({@code EXPIRED_IOC}), in the EXPIRED reports. */
    private static final int EXPIRED_IOC = 5;

    private final int answers;
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final NewOrderDecoder newOrder = new NewOrderDecoder();
    private final MessageHeaderEncoder headerEncoder = new MessageHeaderEncoder();
    private final ExecutionReportEncoder report = new ExecutionReportEncoder();
    private final byte[] clOrdId = new byte[NewOrderDecoder.clOrdIdLength()];
    private NetServer server;
    private volatile int port;
    private long nextOrderId = 1;

    /** @param answers ExecutionReport frames per NewOrder, at least 1 */
    BinaryEchoServer(int answers) {
        this.answers = answers;
    }

    @Override
    public Future<?> start() {
        Thread.currentThread().setName(THREAD_NAME);
        server = vertx.createNetServer(new NetServerOptions().setHost(GatewayVenue.LOOPBACK).setPort(0)
                .setTcpNoDelay(true))
            .connectHandler(this::connected);
        return server.listen().onSuccess(s -> port = s.actualPort());
    }

    int port() {
        return port;
    }

    /** One connection's reading and writing. */
    private final class EchoConnection {
        final NetSocket socket;
        final Frames frames = new Frames(this::onMessage);
        final ExpandableArrayBuffer out = new ExpandableArrayBuffer(16 * 1024);
        int outLength;
        long seqNo;

        EchoConnection(NetSocket socket) {
            this.socket = socket;
        }

        void onChunk(Buffer chunk) {
            if (!frames.onData(chunk)) {
                socket.close();
                return;
            }
            if (outLength > 0) {
                socket.write(Buffer.buffer(Arrays.copyOf(out.byteArray(), outLength)));
                outLength = 0;
                if (socket.writeQueueFull()) {
                    socket.pause();
                    socket.drainHandler(v -> socket.resume());
                }
            }
        }

        void onMessage(DirectBuffer buffer, int offset, int length) {
            header.wrap(buffer, offset);
            if (header.templateId() != NewOrderDecoder.TEMPLATE_ID) {
                return;
            }
            newOrder.wrap(buffer, offset + MessageHeaderDecoder.ENCODED_LENGTH, header.blockLength(), header.version());
            newOrder.getClOrdId(clOrdId, 0);
            long orderId = nextOrderId++;
            long nowNs = System.currentTimeMillis() * 1_000_000L;
            for (int i = 0; i < answers; i++) {
                boolean first = i == 0;
                out.checkLimit(outLength + REPORT_FRAME_LENGTH);
                report.wrapAndApplyHeader(out, outLength + Framing.HEADER_LENGTH, headerEncoder)
                    .seqNo(++seqNo)
                    .possRetrans(BooleanFlag.FALSE)
                    .transactTime(nowNs)
                    .engineSeq(orderId)
                    .orderId(orderId)
                    .putClOrdId(clOrdId, 0)
                    .securityId(newOrder.securityId())
                    .side(newOrder.side())
                    .ordType(newOrder.ordType())
                    .timeInForce(newOrder.timeInForce())
                    .execType(first ? ExecType.NEW : ExecType.EXPIRED)
                    .ordStatus(first ? OrdStatus.NEW : OrdStatus.EXPIRED)
                    .price(newOrder.price())
                    .orderQty(newOrder.quantity())
                    .leavesQty(newOrder.quantity())
                    .cumQty(0)
                    .lastPx(0)
                    .lastQty(0)
                    .tradeId(0)
                    .fee(0)
                    .liquidity(Liquidity.NONE)
                    .reason(first ? 0 : EXPIRED_IOC);
                Framing.writeHeader(out, outLength, MessageHeaderEncoder.ENCODED_LENGTH + report.encodedLength());
                outLength += REPORT_FRAME_LENGTH;
            }
        }
    }

    private void connected(NetSocket socket) {
        EchoConnection connection = new EchoConnection(socket);
        socket.handler(connection::onChunk);
    }
}
