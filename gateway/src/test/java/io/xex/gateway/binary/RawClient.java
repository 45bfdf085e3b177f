package io.xex.gateway.binary;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.xex.gateway.TestVenue;
import io.xex.protocol.Framing;
import io.xex.protocol.SessionSigning;
import io.xex.protocol.sbe.CancelOnDisconnect;
import io.xex.protocol.sbe.AmendOrderEncoder;
import io.xex.protocol.sbe.BooleanFlag;
import io.xex.protocol.sbe.CancelOrderEncoder;
import io.xex.protocol.sbe.MassCancelEncoder;
import io.xex.protocol.sbe.MassQuoteEncoder;
import io.xex.protocol.sbe.SideFilter;
import io.xex.protocol.sbe.EstablishEncoder;
import io.xex.protocol.sbe.EstablishmentAckDecoder;
import io.xex.protocol.sbe.ExecType;
import io.xex.protocol.sbe.ExecutionReportDecoder;
import io.xex.protocol.sbe.Liquidity;
import io.xex.protocol.sbe.NegotiationResponseDecoder;
import io.xex.protocol.sbe.OrdStatus;
import io.xex.protocol.sbe.MessageHeaderDecoder;
import io.xex.protocol.sbe.MessageHeaderEncoder;
import io.xex.protocol.sbe.NegotiateEncoder;
import io.xex.protocol.sbe.NewOrderEncoder;
import io.xex.protocol.sbe.OrdType;
import io.xex.protocol.sbe.Side;
import io.xex.protocol.sbe.TimeInForce;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * For tests: a raw TCP connection to the binary gateway that sends whatever bytes it is given, malformed
 * ones included, and hands back each received frame's message (SBE header and body) in order. Unlike the
 * client library it checks nothing, so tests can see exactly what the server sent.
 */
public final class RawClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    /** A received message: its template id and its bytes (SBE header included). */
    public record Message(int templateId, UnsafeBuffer buffer) {
    }

    private final Vertx vertx;
    /** Held for the client's lifetime: Vert.x closes a client that is no longer referenced when it is collected. */
    private final NetClient client;
    private final NetSocket socket;
    private final LinkedBlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final ExpandableArrayBuffer pending = new ExpandableArrayBuffer();
    private int pendingLength;
    public final CompletableFuture<Void> closed = new CompletableFuture<>();

    private RawClient(Vertx vertx, NetClient client, NetSocket socket) {
        this.vertx = vertx;
        this.client = client;
        this.socket = socket;
        socket.handler(this::onData);
        socket.closeHandler(v -> closed.complete(null));
    }

    public static RawClient connect(int port) throws Exception {
        Vertx vertx = Vertx.vertx();
        NetClient client = vertx.createNetClient();
        NetSocket socket = TestVenue.await(client.connect(port, "127.0.0.1"));
        return new RawClient(vertx, client, socket);
    }

    private synchronized void onData(Buffer data) {
        pending.putBytes(pendingLength, data.getBytes());
        pendingLength += data.length();
        int position = 0;
        while (pendingLength - position >= Framing.HEADER_LENGTH) {
            int length = Framing.frameLength(pending, position);
            if (pendingLength - position < length) {
                break;
            }
            byte[] message = new byte[length - Framing.HEADER_LENGTH];
            pending.getBytes(position + Framing.HEADER_LENGTH, message);
            UnsafeBuffer buffer = new UnsafeBuffer(message);
            received.add(new Message(buffer.getShort(2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF, buffer));
            position += length;
        }
        pending.putBytes(0, pending, position, pendingLength - position);
        pendingLength -= position;
    }

    /** Sends raw bytes as they are. */
    public void sendRaw(byte[] bytes) throws Exception {
        TestVenue.await(socket.write(Buffer.buffer(bytes)));
    }

    /** Sends one message framed; {@code encode} writes header and body at offset 6 and returns the message length. */
    public void send(Function<ExpandableArrayBuffer, Integer> encode) throws Exception {
        sendRaw(frame(encode));
    }

    /** A framed message; {@code encode} writes header and body at offset 6 and returns the message length. */
    public static byte[] frame(Function<ExpandableArrayBuffer, Integer> encode) {
        ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(256);
        int length = encode.apply(buffer);
        Framing.writeHeader(buffer, 0, length);
        return Arrays.copyOf(buffer.byteArray(), Framing.HEADER_LENGTH + length);
    }

    /** The next message, failing after {@link #TIMEOUT}. */
    public Message next() throws InterruptedException {
        Message message = received.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        if (message == null) {
            throw new AssertionError("no message within " + TIMEOUT.toMillis() + " ms");
        }
        return message;
    }

    /** The next message, which must have {@code templateId}. */
    public Message next(int templateId) throws InterruptedException {
        Message message = next();
        if (message.templateId() != templateId) {
            throw new AssertionError("expected template " + templateId + ", got " + message.templateId());
        }
        return message;
    }

    /** A message if one arrives within {@code ms}, else {@code null}. */
    public Message poll(long ms) throws InterruptedException {
        return received.poll(ms, TimeUnit.MILLISECONDS);
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Waits until the server has closed the connection. */
    public void awaitClosed() throws Exception {
        closed.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------------------------------------
    // Encoders of the messages tests send most

    public static Function<ExpandableArrayBuffer, Integer> negotiate(long uuid, long timestampNs, String keyId,
                                                                     String secret, boolean cod, long graceMs) {
        CancelOnDisconnect flag = cod ? CancelOnDisconnect.ON : CancelOnDisconnect.OFF;
        byte[] signature = SessionSigning.sign(secret.getBytes(StandardCharsets.UTF_8),
            SessionSigning.negotiate(uuid, timestampNs, keyId, flag, graceMs));
        return b -> {
            NegotiateEncoder e = new NegotiateEncoder().wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                .uuid(uuid).requestTimestamp(timestampNs).cancelOnDisconnect(flag).codGraceMs(graceMs).accessKeyId(keyId)
                .putHmacSignature(signature, 0, signature.length);
            return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
        };
    }

    public static Function<ExpandableArrayBuffer, Integer> establish(long uuid, long timestampNs, String keyId,
                                                                     String secret, long keepAliveMs) {
        byte[] signature = SessionSigning.sign(secret.getBytes(StandardCharsets.UTF_8),
            SessionSigning.establish(uuid, timestampNs, keyId, keepAliveMs));
        return b -> {
            EstablishEncoder e = new EstablishEncoder().wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                .uuid(uuid).requestTimestamp(timestampNs).keepAliveIntervalMs(keepAliveMs).accessKeyId(keyId)
                .putHmacSignature(signature, 0, signature.length);
            return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
        };
    }

    public static Function<ExpandableArrayBuffer, Integer> limitOrder(String clOrdId, int securityId, Side side,
                                                                      long price, long quantity) {
        return b -> {
            NewOrderEncoder e = new NewOrderEncoder().wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                .clOrdId(clOrdId).securityId(securityId).side(side).ordType(OrdType.LIMIT).timeInForce(TimeInForce.GTC)
                .price(price).quantity(quantity).quoteBudget(0);
            return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
        };
    }

    public static Function<ExpandableArrayBuffer, Integer> cancel(long orderId, String origClOrdId) {
        return b -> MessageHeaderEncoder.ENCODED_LENGTH + new CancelOrderEncoder()
            .wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
            .orderId(orderId).origClOrdId(origClOrdId).encodedLength();
    }

    public static Function<ExpandableArrayBuffer, Integer> amend(long orderId, String origClOrdId, long price, long quantity) {
        return b -> MessageHeaderEncoder.ENCODED_LENGTH + new AmendOrderEncoder()
            .wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
            .orderId(orderId).origClOrdId(origClOrdId).newPrice(price).newQuantity(quantity).encodedLength();
    }

    /** A MassCancel; {@code securityId} -1 for every symbol. */
    public static Function<ExpandableArrayBuffer, Integer> massCancel(long requestId, long securityId, SideFilter side) {
        return b -> MessageHeaderEncoder.ENCODED_LENGTH + new MassCancelEncoder()
            .wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
            .requestId(requestId).securityId(securityId < 0 ? MassCancelEncoder.securityIdNullValue() : securityId)
            .side(side).encodedLength();
    }

    /** One symbol's quote: {bidPrice, bidQuantity, askPrice, askQuantity}. */
    public record Quote(long securityId, long bidPrice, long bidQuantity, long askPrice, long askQuantity) {
    }

    public static Function<ExpandableArrayBuffer, Integer> massQuote(long requestId, TimeInForce tif, Quote... quotes) {
        return b -> {
            MassQuoteEncoder e = new MassQuoteEncoder().wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                .requestId(requestId).timeInForce(tif);
            MassQuoteEncoder.QuotesEncoder group = e.quotesCount(quotes.length);
            for (Quote q : quotes) {
                group.next().securityId(q.securityId()).bidPrice(q.bidPrice()).bidQuantity(q.bidQuantity())
                    .askPrice(q.askPrice()).askQuantity(q.askQuantity());
            }
            return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
        };
    }

    /** An ExecutionReport's fields, for assertions. */
    public record Report(long seqNo, boolean possRetrans, long engineSeq, long orderId, String clOrdId, long securityId,
                         short side, ExecType execType, OrdStatus ordStatus, long price, long orderQty, long leavesQty,
                         long cumQty, long lastPx, long lastQty, long tradeId, long fee, Liquidity liquidity, int reason) {
        public static Report of(Message message) {
            if (message.templateId() != ExecutionReportDecoder.TEMPLATE_ID) {
                throw new AssertionError("expected an ExecutionReport, got template " + message.templateId());
            }
            ExecutionReportDecoder d = new ExecutionReportDecoder()
                .wrapAndApplyHeader(message.buffer(), 0, new MessageHeaderDecoder());
            return new Report(d.seqNo(), d.possRetrans() == BooleanFlag.TRUE, d.engineSeq(), d.orderId(), d.clOrdId(),
                d.securityId(), d.sideRaw(), d.execType(), d.ordStatus(), d.price(), d.orderQty(), d.leavesQty(), d.cumQty(),
                d.lastPx(), d.lastQty(), d.tradeId(), d.fee(), d.liquidity(), d.reason());
        }
    }

    /** The next message, which must be an ExecutionReport. */
    public Report nextReport() throws InterruptedException {
        return Report.of(next());
    }

    /** Negotiates and establishes a new session; returns the EstablishmentAck's nextSeqNo. */
    public long logon(long uuid, String keyId, String secret, boolean cod, long graceMs) throws Exception {
        long t = System.currentTimeMillis() * 1_000_000L;
        send(negotiate(uuid, t, keyId, secret, cod, graceMs));
        next(NegotiationResponseDecoder.TEMPLATE_ID);
        return establish(uuid, t + 1, keyId, secret);
    }

    /** Establishes a negotiated session; returns the EstablishmentAck's nextSeqNo. */
    public long establish(long uuid, long timestampNs, String keyId, String secret) throws Exception {
        send(establish(uuid, timestampNs, keyId, secret, 10_000));
        Message ack = next();
        if (ack.templateId() != EstablishmentAckDecoder.TEMPLATE_ID) {
            throw new AssertionError("expected EstablishmentAck, got template " + ack.templateId());
        }
        return new EstablishmentAckDecoder().wrapAndApplyHeader(ack.buffer(), 0, new MessageHeaderDecoder()).nextSeqNo();
    }

    /** The SBE header's template id of a message. */
    public static int templateId(UnsafeBuffer message) {
        return new MessageHeaderDecoder().wrap(message, 0).templateId();
    }

    @Override
    public void close() {
        socket.close();
        client.close();
        vertx.close();
    }
}
