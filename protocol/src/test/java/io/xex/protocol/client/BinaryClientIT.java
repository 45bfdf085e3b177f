package io.xex.protocol.client;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xex.protocol.ProtocolCode;
import io.xex.protocol.SessionSigning;
import io.xex.protocol.sbe.AmendOrderDecoder;
import io.xex.protocol.sbe.BusinessRejectDecoder;
import io.xex.protocol.sbe.CancelOnDisconnect;
import io.xex.protocol.sbe.CancelOrderDecoder;
import io.xex.protocol.sbe.EstablishDecoder;
import io.xex.protocol.sbe.ExecutionReportDecoder;
import io.xex.protocol.sbe.MassCancelAckDecoder;
import io.xex.protocol.sbe.MassCancelDecoder;
import io.xex.protocol.sbe.MassQuoteDecoder;
import io.xex.protocol.sbe.MessageHeaderDecoder;
import io.xex.protocol.sbe.NegotiateDecoder;
import io.xex.protocol.sbe.NewOrderDecoder;
import io.xex.protocol.sbe.OrdType;
import io.xex.protocol.sbe.RetransmitRequestDecoder;
import io.xex.protocol.sbe.SequenceDecoder;
import io.xex.protocol.sbe.Side;
import io.xex.protocol.sbe.SideFilter;
import io.xex.protocol.sbe.TerminateDecoder;
import io.xex.protocol.sbe.TimeInForce;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.xex.protocol.client.FakeGateway.TIMEOUT_S;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The client against a scripted gateway on a real socket: the session flows byte by byte. */
@Timeout(60)
class BinaryClientIT {
    private static final long UUID = 42;
    private static final String KEY_ID = "mm-1";
    private static final byte[] SECRET = "s3cret".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2025-11-21T00:00:00Z");
    private static final long NOW_NS = NOW.getEpochSecond() * 1_000_000_000L;

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    private final BinaryListener listener = new BinaryListener() {
        @Override
        public void onExecutionReport(ExecutionReportDecoder report) {
            events.add("report " + report.seqNo() + " " + report.possRetrans() + " " + report.clOrdId());
        }

        @Override
        public void onBusinessReject(BusinessRejectDecoder reject) {
            events.add("businessReject " + reject.errorCode() + " " + reject.clOrdId() + " " + reject.reason());
        }

        @Override
        public void onMassCancelAck(MassCancelAckDecoder ack) {
            events.add("massCancelAck " + ack.requestId() + " " + ack.cancelledCount());
        }

        @Override
        public void onRetransmitReject(long fromSeqNo, long count, int errorCode, String reason, boolean skipped) {
            events.add("retransmitReject " + fromSeqNo + "+" + count + " " + errorCode + " skipped=" + skipped);
        }

        @Override
        public void onTerminate(int errorCode, String reason) {
            events.add("terminate " + errorCode + " " + reason);
        }

        @Override
        public void onDisconnected() {
            events.add("disconnected");
        }
    };

    private Vertx vertx;
    private FakeGateway gateway;
    private BinaryClient client;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        gateway = FakeGateway.start(vertx);
        client = newClient(config());
    }

    @AfterEach
    void stop() throws Exception {
        client.close().await(TIMEOUT_S, TimeUnit.SECONDS);
        gateway.close();
        vertx.close().await(TIMEOUT_S, TimeUnit.SECONDS);
    }

    @Test
    void negotiatesEstablishesSendsAndReceives() throws Exception {
        assertFalse(onClient(() -> client.newOrder("early", 7, Side.BUY, OrdType.LIMIT, TimeInForce.GTC, 1, 1, 0)),
            "nothing is sent before the session is established");
        Future<Established> connected = client.connect();

        NegotiateDecoder negotiate = new NegotiateDecoder()
            .wrapAndApplyHeader(gateway.take(NegotiateDecoder.TEMPLATE_ID), 0, header);
        assertEquals(UUID, negotiate.uuid());
        assertEquals(NOW_NS, negotiate.requestTimestamp());
        assertEquals(CancelOnDisconnect.ON, negotiate.cancelOnDisconnect());
        assertEquals(5000, negotiate.codGraceMs());
        assertEquals(KEY_ID, negotiate.accessKeyId());
        byte[] signature = new byte[32];
        negotiate.getHmacSignature(signature, 0, 32);
        assertArrayEquals(SessionSigning.sign(SECRET,
            SessionSigning.negotiate(UUID, NOW_NS, KEY_ID, CancelOnDisconnect.ON, 5000)), signature);
        gateway.send(FakeGateway.negotiationResponse(UUID, NOW_NS));

        EstablishDecoder establish = new EstablishDecoder()
            .wrapAndApplyHeader(gateway.take(EstablishDecoder.TEMPLATE_ID), 0, header);
        assertEquals(NOW_NS + 1, establish.requestTimestamp(), "later than the Negotiate's, even on a stopped clock");
        assertEquals(5000, establish.keepAliveIntervalMs());
        establish.getHmacSignature(signature, 0, 32);
        assertArrayEquals(SessionSigning.sign(SECRET,
            SessionSigning.establish(UUID, NOW_NS + 1, KEY_ID, 5000)), signature);
        gateway.send(FakeGateway.establishmentAck(UUID, 5000, 1));
        assertEquals(new Established(1, 5000), connected.await(TIMEOUT_S, TimeUnit.SECONDS));

        assertTrue(onClient(() -> client.newOrder(new StringBuilder("bid-1"), 7, Side.BUY, OrdType.LIMIT,
            TimeInForce.POST_ONLY, 41_950, 10, 0)));
        assertTrue(onClient(() -> client.cancel(57)));
        assertTrue(onClient(() -> client.amendByClOrdId("bid-1", 41_960, 12)));
        assertTrue(onClient(() -> client.massCancel(9, 0, SideFilter.SELL)));
        assertTrue(onClient(() -> client.massQuote(10, TimeInForce.GTC)
            .quote(7, 100, 1, 110, 2)
            .quote(8, 200, 3, 0, 0)
            .send()));

        NewOrderDecoder order = new NewOrderDecoder()
            .wrapAndApplyHeader(gateway.take(NewOrderDecoder.TEMPLATE_ID), 0, header);
        assertEquals("bid-1|7|BUY|LIMIT|POST_ONLY|41950|10|0", order.clOrdId() + "|" + order.securityId() + "|"
            + order.side() + "|" + order.ordType() + "|" + order.timeInForce() + "|" + order.price() + "|"
            + order.quantity() + "|" + order.quoteBudget());
        CancelOrderDecoder cancel = new CancelOrderDecoder()
            .wrapAndApplyHeader(gateway.take(CancelOrderDecoder.TEMPLATE_ID), 0, header);
        assertEquals("57|", cancel.orderId() + "|" + cancel.origClOrdId());
        AmendOrderDecoder amend = new AmendOrderDecoder()
            .wrapAndApplyHeader(gateway.take(AmendOrderDecoder.TEMPLATE_ID), 0, header);
        assertEquals("0|bid-1|41960|12", amend.orderId() + "|" + amend.origClOrdId() + "|" + amend.newPrice()
            + "|" + amend.newQuantity());
        MassCancelDecoder massCancel = new MassCancelDecoder()
            .wrapAndApplyHeader(gateway.take(MassCancelDecoder.TEMPLATE_ID), 0, header);
        assertEquals("9|0|SELL", massCancel.requestId() + "|" + massCancel.securityId() + "|" + massCancel.side());
        MassQuoteDecoder massQuote = new MassQuoteDecoder()
            .wrapAndApplyHeader(gateway.take(MassQuoteDecoder.TEMPLATE_ID), 0, header);
        List<String> quotes = new ArrayList<>();
        assertEquals(10, massQuote.requestId());
        for (MassQuoteDecoder.QuotesDecoder quote : massQuote.quotes()) {
            quotes.add(quote.securityId() + ":" + quote.bidPrice() + "x" + quote.bidQuantity() + "/"
                + quote.askPrice() + "x" + quote.askQuantity());
        }
        assertEquals(List.of("7:100x1/110x2", "8:200x3/0x0"), quotes);

        gateway.send(FakeGateway.executionReport(1, false),
            FakeGateway.businessReject(1104, "bid-1", "clOrdId already used by a recent order"),
            FakeGateway.massCancelAck(9, 3));
        expect("report 1 FALSE c-1",
            "businessReject 1104 bid-1 clOrdId already used by a recent order",
            "massCancelAck 9 3");
        assertEquals(1L, onClient(client::lastSeqNo));
    }

    @Test
    void aNegotiationRejectFailsConnectWithItsCodeAndTheNextConnectNegotiatesAgain() throws Exception {
        Future<Established> connected = client.connect();
        gateway.take(NegotiateDecoder.TEMPLATE_ID);
        gateway.send(FakeGateway.negotiationReject(UUID, 1002, "signature does not match"));
        SessionException rejected = failure(connected);
        assertEquals(1002, rejected.code());
        assertEquals(ProtocolCode.BAD_SIGNATURE, rejected.protocolCode());
        assertEquals("signature does not match", rejected.reason());
        gateway.awaitClosed();

        connected = client.connect();
        gateway.take(NegotiateDecoder.TEMPLATE_ID);
        gateway.send(FakeGateway.negotiationResponse(UUID, NOW_NS));
        gateway.take(EstablishDecoder.TEMPLATE_ID);
        gateway.send(FakeGateway.establishmentReject(UUID, 1008, "session already established on another connection"));
        assertEquals(ProtocolCode.ALREADY_ESTABLISHED, failure(connected).protocolCode());
        gateway.awaitClosed();

        connected = client.connect();
        gateway.take(EstablishDecoder.TEMPLATE_ID);
        gateway.send(FakeGateway.establishmentAck(UUID, 5000, 1));
        connected.await(TIMEOUT_S, TimeUnit.SECONDS);
        assertTrue(events.isEmpty(), "no onDisconnected for connections never established: " + events);
    }

    @Test
    void afterUuidTakenTheNextConnectEstablishesOnly() throws Exception {
        Future<Established> connected = client.connect();
        gateway.take(NegotiateDecoder.TEMPLATE_ID);
        gateway.send(FakeGateway.negotiationReject(UUID, 1006, "uuid already negotiated"));
        assertEquals(ProtocolCode.UUID_TAKEN, failure(connected).protocolCode());

        connected = client.connect();
        gateway.take(EstablishDecoder.TEMPLATE_ID);
        gateway.send(FakeGateway.establishmentAck(UUID, 5000, 1));
        connected.await(TIMEOUT_S, TimeUnit.SECONDS);
    }

    @Test
    void reconnectingAsksTheGapInChunksAndDeliversEverythingOnceInOrder() throws Exception {
        establish();
        gateway.send(FakeGateway.executionReport(1, false), FakeGateway.executionReport(2, false));
        expect("report 1 FALSE c-1", "report 2 FALSE c-2");
        gateway.closeConnection();
        expect("disconnected");

        Future<Established> reconnected = client.reconnect();
        gateway.take(EstablishDecoder.TEMPLATE_ID);
        gateway.send(FakeGateway.establishmentAck(UUID, 5000, 2506),
            FakeGateway.executionReport(2506, false), FakeGateway.executionReport(2507, false));
        assertEquals(new Established(2506, 5000), reconnected.await(TIMEOUT_S, TimeUnit.SECONDS));
        serveRetransmission(3, 1000);
        serveRetransmission(1003, 1000);
        gateway.send(FakeGateway.executionReport(2508, false));
        serveRetransmission(2003, 503);

        for (long seqNo = 3; seqNo <= 2505; seqNo++) {
            expect("report " + seqNo + " TRUE c-" + seqNo);
        }
        expect("report 2506 FALSE c-2506", "report 2507 FALSE c-2507", "report 2508 FALSE c-2508");
        assertEquals(2508L, onClient(client::lastSeqNo));
        assertTrue(gateway.nothingReceived());
    }

    @Test
    void anUnservableGapIsSkippedAndReported() throws Exception {
        establish();
        gateway.send(FakeGateway.executionReport(5, false));
        RetransmitRequestDecoder request = new RetransmitRequestDecoder()
            .wrapAndApplyHeader(gateway.take(RetransmitRequestDecoder.TEMPLATE_ID), 0, header);
        assertEquals("1+4", request.fromSeqNo() + "+" + request.count());
        gateway.send(FakeGateway.retransmitReject(UUID, 1, 4, 1020, "out of range"));
        expect("retransmitReject 1+4 1020 skipped=true", "report 5 FALSE c-5");
    }

    @Test
    void resumeContinuesASessionNegotiatedElsewhere() throws Exception {
        Future<Established> resumed = client.resume(41);
        gateway.take(EstablishDecoder.TEMPLATE_ID);
        gateway.send(FakeGateway.establishmentAck(UUID, 5000, 42), FakeGateway.executionReport(42, false));
        resumed.await(TIMEOUT_S, TimeUnit.SECONDS);
        expect("report 42 FALSE c-42");
        assertTrue(gateway.nothingReceived(), "no retransmission asked");
    }

    @Test
    void aServerBehindTheClientsLastSeqNoIsRefused() throws Exception {
        Future<Established> resumed = client.resume(41);
        gateway.take(EstablishDecoder.TEMPLATE_ID);
        gateway.send(FakeGateway.establishmentAck(UUID, 5000, 30));
        assertEquals(0, failure(resumed).code());
        TerminateDecoder terminate = new TerminateDecoder()
            .wrapAndApplyHeader(gateway.take(TerminateDecoder.TEMPLATE_ID), 0, header);
        assertEquals(ProtocolCode.PROTOCOL_ERROR.code(), terminate.errorCode());
        gateway.awaitClosed();
    }

    @Test
    void terminateEndsTheFlowWhenTheServerCloses() throws Exception {
        establish();
        Future<Void> terminated = client.terminate();
        TerminateDecoder terminate = new TerminateDecoder()
            .wrapAndApplyHeader(gateway.take(TerminateDecoder.TEMPLATE_ID), 0, header);
        assertEquals(ProtocolCode.FINISHED.code(), terminate.errorCode());
        gateway.send(FakeGateway.terminate(UUID, 1030, "session finished"));
        terminated.await(TIMEOUT_S, TimeUnit.SECONDS);
        expect("terminate 1030 session finished", "disconnected");
        assertFalse(onClient(client::established));
    }

    @Test
    void aBadFrameFromTheServerEndsTheConnection() throws Exception {
        establish();
        gateway.send(new byte[] {0, 0, 0, 3, (byte) 0xEB, 0x50});
        TerminateDecoder terminate = new TerminateDecoder()
            .wrapAndApplyHeader(gateway.take(TerminateDecoder.TEMPLATE_ID), 0, header);
        assertEquals(ProtocolCode.FRAMING_ERROR.code(), terminate.errorCode());
        expect("disconnected");
        gateway.awaitClosed();
    }

    @Test
    void batchedSendsAreWrittenAtTheEndOfTheTurnInOrder() throws Exception {
        client.close().await(TIMEOUT_S, TimeUnit.SECONDS);
        client = newClient(config().withBatching(true));
        establish();
        assertTrue(onClient(() -> {
            boolean sent = true;
            for (int i = 0; i < 300; i++) {
                sent &= client.newOrder("o-" + i, 7, Side.SELL, OrdType.LIMIT, TimeInForce.GTC, 100 + i, 1, 0);
            }
            return sent;
        }));
        for (int i = 0; i < 300; i++) {
            NewOrderDecoder order = new NewOrderDecoder()
                .wrapAndApplyHeader(gateway.take(NewOrderDecoder.TEMPLATE_ID), 0, header);
            assertEquals("o-" + i, order.clOrdId());
            assertEquals(100 + i, order.price());
        }
    }

    @Test
    void aClOrdIdIsCheckedBeforeAnythingElse() {
        assertThrows(IllegalArgumentException.class,
            () -> onClient(() -> client.newOrder("x".repeat(37), 7, Side.BUY, OrdType.LIMIT, TimeInForce.GTC, 1, 1, 0)));
        assertThrows(IllegalArgumentException.class, () -> onClient(() -> client.cancelByClOrdId("")));
        assertThrows(IllegalArgumentException.class, () -> onClient(() -> client.cancel(0)));
    }

    @Test
    void heartbeatsGoOutAndASilentServerIsGivenUpAfterTwoIntervals() throws Exception {
        client.close().await(TIMEOUT_S, TimeUnit.SECONDS);
        client = newClient(config().withKeepAliveIntervalMs(1000));
        Future<Established> connected = client.connect();
        gateway.take(NegotiateDecoder.TEMPLATE_ID);
        gateway.send(FakeGateway.negotiationResponse(UUID, NOW_NS));
        gateway.take(EstablishDecoder.TEMPLATE_ID);
        gateway.send(FakeGateway.establishmentAck(UUID, 1000, 1));
        connected.await(TIMEOUT_S, TimeUnit.SECONDS);

        SequenceDecoder heartbeat = new SequenceDecoder()
            .wrapAndApplyHeader(gateway.take(SequenceDecoder.TEMPLATE_ID), 0, header);
        assertEquals(0, heartbeat.nextSeqNo());
        TerminateDecoder terminate = new TerminateDecoder()
            .wrapAndApplyHeader(gateway.take(TerminateDecoder.TEMPLATE_ID), 0, header);
        assertEquals(ProtocolCode.KEEPALIVE_LAPSED.code(), terminate.errorCode());
        expect("disconnected");
        gateway.awaitClosed();
    }

    private BinaryClient newClient(BinaryClientConfig config) {
        return new BinaryClient(vertx, config, listener, InstantSource.fixed(NOW));
    }

    private BinaryClientConfig config() {
        return BinaryClientConfig.of("127.0.0.1", gateway.port(), UUID, KEY_ID, SECRET);
    }

    private void establish() throws Exception {
        Future<Established> connected = client.connect();
        gateway.take(NegotiateDecoder.TEMPLATE_ID);
        gateway.send(FakeGateway.negotiationResponse(UUID, NOW_NS));
        gateway.take(EstablishDecoder.TEMPLATE_ID);
        gateway.send(FakeGateway.establishmentAck(UUID, 5000, 1));
        connected.await(TIMEOUT_S, TimeUnit.SECONDS);
    }

    /** Takes the client's next RetransmitRequest, which must be this one, and serves it. */
    private void serveRetransmission(long fromSeqNo, int count) throws Exception {
        RetransmitRequestDecoder request = new RetransmitRequestDecoder()
            .wrapAndApplyHeader(gateway.take(RetransmitRequestDecoder.TEMPLATE_ID), 0, header);
        assertEquals(UUID, request.uuid());
        assertEquals(fromSeqNo + "+" + count, request.fromSeqNo() + "+" + request.count());
        byte[][] frames = new byte[count + 1][];
        frames[0] = FakeGateway.retransmission(UUID, fromSeqNo, count);
        for (int i = 0; i < count; i++) {
            frames[i + 1] = FakeGateway.executionReport(fromSeqNo + i, true);
        }
        gateway.send(frames);
    }

    private void expect(String... expected) throws InterruptedException {
        for (String event : expected) {
            assertEquals(event, events.poll(TIMEOUT_S, TimeUnit.SECONDS));
        }
    }

    /** Runs on the client's context and returns the result; an exception is rethrown as is. */
    private <T> T onClient(Supplier<T> action) {
        CompletableFuture<T> result = new CompletableFuture<>();
        client.context().runOnContext(v -> {
            try {
                result.complete(action.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        try {
            return result.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static SessionException failure(Future<?> future) {
        ExecutionException failed = assertThrows(ExecutionException.class,
            () -> future.toCompletionStage().toCompletableFuture().get(TIMEOUT_S, TimeUnit.SECONDS));
        return assertInstanceOf(SessionException.class, failed.getCause());
    }
}
