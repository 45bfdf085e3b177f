package io.xex.gateway.binary;

import io.xex.runtime.Conditions;
import io.xex.gateway.OpsMetrics;
import io.xex.gateway.TestVenue;
import io.xex.protocol.Framing;
import io.xex.protocol.ProtocolCode;
import io.xex.protocol.sbe.BusinessRejectDecoder;
import io.xex.protocol.sbe.EstablishmentAckDecoder;
import io.xex.protocol.sbe.EstablishmentRejectDecoder;
import io.xex.protocol.sbe.ExecType;
import io.xex.protocol.sbe.MassQuoteEncoder;
import io.xex.protocol.sbe.MessageHeaderDecoder;
import io.xex.protocol.sbe.NegotiateEncoder;
import io.xex.protocol.sbe.NegotiationRejectDecoder;
import io.xex.protocol.sbe.NegotiationResponseDecoder;
import io.xex.protocol.sbe.NewOrderDecoder;
import io.xex.protocol.sbe.NewOrderEncoder;
import io.xex.protocol.sbe.SequenceDecoder;
import io.xex.protocol.sbe.Side;
import io.xex.protocol.sbe.TerminateDecoder;
import io.xex.protocol.sbe.TerminateEncoder;
import io.xex.protocol.sbe.TimeInForce;
import io.xex.protocol.sbe.MessageHeaderEncoder;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed input over real TCP, each case on a connection of its own, while a bystander session of another
 * account enters and cancels an order before and after every case and gets its reports numbered without a
 * gap: a bad frame ends (or is refused on) its own connection and touches nothing else.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BinaryMalformedIT {
    private static final AtomicLong UUIDS = new AtomicLong(7000);
    private static final long NS_PER_MS = 1_000_000L;
    private static final long BYSTANDER = 1;
    /** The account of every case's sessions. */
    private static final long OFFENDER = 2;
    private static final int KEEP_ALIVE_MS = 60_000;
    /** Where a message's block starts in a frame: after the framing and message headers. */
    private static final int BLOCK = Framing.HEADER_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH;

    @TempDir
    static Path dir;
    static TestVenue venue;
    static int tsla;
    static String offenderSecret;
    static RawClient bystander;
    static long bystanderNextSeqNo;
    static int bystanderOrders;
    /** The last request timestamp used, so that every Negotiate and Establish is later than the one before. */
    static long lastTimestampNs;

    @BeforeAll
    static void start() throws Exception {
        venue = TestVenue.start(dir, Map.of());
        tsla = venue.instrumentId("TSLAx");
        offenderSecret = venue.demoSecret(OFFENDER);
        bystander = RawClient.connect(venue.binaryPort());
        bystanderNextSeqNo = logon(bystander, UUIDS.incrementAndGet(), BYSTANDER, venue.demoSecret(BYSTANDER));
    }

    @AfterAll
    static void stop() {
        if (bystander != null) {
            bystander.close();
        }
        venue.close();
    }

    @BeforeEach
    @AfterEach
    void bystanderTrades() throws Exception {
        String clOrdId = "by-" + ++bystanderOrders;
        bystander.send(RawClient.limitOrder(clOrdId, tsla, Side.BUY, 40_000, 1_000));
        RawClient.Report placed = nextReport(bystander);
        assertEquals(ExecType.NEW, placed.execType());
        assertEquals(clOrdId, placed.clOrdId());
        assertEquals(bystanderNextSeqNo++, placed.seqNo(), "the bystander's NEW follows its last report");
        bystander.send(RawClient.cancel(placed.orderId(), ""));
        RawClient.Report cancelled = nextReport(bystander);
        assertEquals(ExecType.CANCELLED, cancelled.execType());
        assertEquals(bystanderNextSeqNo++, cancelled.seqNo());
        for (RawClient.Message m = bystander.poll(0); m != null; m = bystander.poll(0)) {
            assertEquals(SequenceDecoder.TEMPLATE_ID, m.templateId(), "the bystander was sent nothing but heartbeats");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Framing: the connection ends

    @ParameterizedTest
    @ValueSource(ints = {0, 13, 4097, 0x7FFFFFFF})
    void aFrameLengthOutside14To4096EndsTheConnectionButNotTheSession(int length) throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = established(uuid)) {
            // The framing header alone is enough to judge it.
            client.sendRaw(sofh(length, Framing.SBE_LITTLE_ENDIAN));
            assertTerminated(client, uuid, ProtocolCode.FRAMING_ERROR, "frame length " + length + " ");
        }
        try (RawClient again = RawClient.connect(venue.binaryPort())) {
            assertEquals(1, again.establish(uuid, timestamp(), "demo-" + OFFENDER, offenderSecret));
            again.send(RawClient.limitOrder("after-" + length, tsla, Side.BUY, 40_000, 1_000));
            RawClient.Report placed = again.nextReport();
            assertEquals(ExecType.NEW, placed.execType());
            assertEquals(1, placed.seqNo());
        }
    }

    @Test
    void aWrongEncodingTypeEndsTheConnection() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = established(uuid)) {
            byte[] frame = RawClient.frame(RawClient.limitOrder("enc", tsla, Side.BUY, 40_000, 1_000));
            frame[4] = (byte) 0x5B;
            frame[5] = (byte) 0xE0;
            client.sendRaw(frame);
            assertTerminated(client, uuid, ProtocolCode.FRAMING_ERROR, "encoding type 0x5be0");
        }
        assertEquals(List.of(), liveOrders(OFFENDER, "enc"), "nothing was entered");
    }

    @Test
    void aWrongEncodingTypeBeforeNegotiateEndsTheConnection() throws Exception {
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            byte[] frame = RawClient.frame(RawClient.negotiate(UUIDS.incrementAndGet(), timestamp(), "demo-" + OFFENDER,
                offenderSecret, false, 0));
            frame[5] = 0x51;
            client.sendRaw(frame);
            assertTerminated(client, 0, ProtocolCode.FRAMING_ERROR, "encoding type 0xeb51");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Schema: the connection ends

    @Test
    void aWrongSchemaIdEndsTheConnection() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = established(uuid)) {
            byte[] frame = RawClient.frame(RawClient.limitOrder("schema", tsla, Side.BUY, 40_000, 1_000));
            putShort(frame, Framing.HEADER_LENGTH + 4, MessageHeaderDecoder.SCHEMA_ID + 1);
            client.sendRaw(frame);
            assertTerminated(client, uuid, ProtocolCode.UNSUPPORTED_SCHEMA,
                "schema " + (MessageHeaderDecoder.SCHEMA_ID + 1) + " version 1");
        }
        assertEquals(List.of(), liveOrders(OFFENDER, "schema"));
    }

    @Test
    void aWrongVersionEndsTheConnection() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = established(uuid)) {
            byte[] frame = RawClient.frame(RawClient.limitOrder("version", tsla, Side.BUY, 40_000, 1_000));
            putShort(frame, Framing.HEADER_LENGTH + 6, 2);
            client.sendRaw(frame);
            assertTerminated(client, uuid, ProtocolCode.UNSUPPORTED_SCHEMA,
                "schema " + MessageHeaderDecoder.SCHEMA_ID + " version 2");
        }
        assertEquals(List.of(), liveOrders(OFFENDER, "version"));
    }

    // ---------------------------------------------------------------------------------------------
    // Layout and fields once established: a BusinessReject, and the session goes on

    @Test
    void aMessageShorterThanItsBlockLengthIsRefusedAndTheSessionGoesOn() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = established(uuid)) {
            byte[] whole = RawClient.frame(RawClient.limitOrder("short", tsla, Side.BUY, 40_000, 1_000));
            byte[] truncated = Arrays.copyOf(whole, BLOCK + 30);
            putIntBigEndian(truncated, 0, truncated.length);
            client.sendRaw(truncated);
            BusinessRejectDecoder reject = businessReject(client.next());
            assertEquals(ProtocolCode.MALFORMED_MESSAGE.code(), reject.errorCode());
            assertEquals(NewOrderDecoder.TEMPLATE_ID, reject.refTemplateId());
            String reason = reject.reason();
            assertTrue(reason.contains("block length 67 in a body of 30 bytes"), reason);

            assertNewOrderWorks(client, "short-then-whole", 1);
        }
        assertEquals(List.of(), liveOrders(OFFENDER, "short"));
    }

    @Test
    void aBlockLengthBelowTheSchemasIsRefusedAndTheSessionGoesOn() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = established(uuid)) {
            byte[] frame = RawClient.frame(RawClient.limitOrder("small-block", tsla, Side.BUY, 40_000, 1_000));
            putShort(frame, Framing.HEADER_LENGTH, NewOrderDecoder.BLOCK_LENGTH - 1);
            client.sendRaw(frame);
            BusinessRejectDecoder reject = businessReject(client.next());
            assertEquals(ProtocolCode.MALFORMED_MESSAGE.code(), reject.errorCode());
            String reason = reject.reason();
            assertTrue(reason.contains("expected at least " + NewOrderDecoder.BLOCK_LENGTH), reason);

            assertNewOrderWorks(client, "block-then-whole", 1);
        }
    }

    @Test
    void aTruncatedNegotiateEndsTheConnection() throws Exception {
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            byte[] whole = RawClient.frame(RawClient.negotiate(UUIDS.incrementAndGet(), timestamp(), "demo-" + OFFENDER,
                offenderSecret, false, 0));
            byte[] truncated = Arrays.copyOf(whole, whole.length - 10);
            putIntBigEndian(truncated, 0, truncated.length);
            client.sendRaw(truncated);
            assertTerminated(client, 0, ProtocolCode.MALFORMED_MESSAGE, "block length " + NegotiateEncoder.BLOCK_LENGTH);
        }
    }

    @Test
    void anUnknownTemplateIsRefusedAndTheSameSessionGoesOn() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = established(uuid)) {
            client.sendRaw(message(999, new byte[12]));
            BusinessRejectDecoder reject = businessReject(client.next());
            assertEquals(ProtocolCode.UNKNOWN_TEMPLATE.code(), reject.errorCode());
            assertEquals(999, reject.refTemplateId());
            assertEquals("unknown template id 999", reject.reason());

            assertNewOrderWorks(client, "after-unknown", 1);
        }
    }

    @ParameterizedTest
    @CsvSource({
        "side, 3, side must be 1 or 2",
        "side, 0, side must be 1 or 2",
        "ordType, 0, ordType must be 1 or 2",
        "ordType, 255, ordType must be 1 or 2",
        "timeInForce, 5, timeInForce must be 1..4",
    })
    void anEnumValueTheSchemaDoesNotListIsRefusedAndTheSessionGoesOn(String field, int value, String reason)
        throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = established(uuid)) {
            byte[] frame = RawClient.frame(RawClient.limitOrder("enum-" + field, tsla, Side.BUY, 40_000, 1_000));
            int offset = switch (field) {
                case "side" -> NewOrderEncoder.sideEncodingOffset();
                case "ordType" -> NewOrderEncoder.ordTypeEncodingOffset();
                default -> NewOrderEncoder.timeInForceEncodingOffset();
            };
            frame[BLOCK + offset] = (byte) value;
            client.sendRaw(frame);
            BusinessRejectDecoder reject = businessReject(client.next());
            assertEquals(ProtocolCode.INVALID_FIELD.code(), reject.errorCode());
            assertEquals(NewOrderDecoder.TEMPLATE_ID, reject.refTemplateId());
            assertEquals("enum-" + field, reject.clOrdId());
            assertEquals(reason, reject.reason());

            assertNewOrderWorks(client, "enum-then-valid-" + uuid, 1);
        }
        assertEquals(List.of(), liveOrders(OFFENDER, "enum-" + field));
    }

    @Test
    void aClientOrderIdThatIsNotPrintableIsRefused() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = established(uuid)) {
            byte[] frame = RawClient.frame(RawClient.limitOrder("tab-here", tsla, Side.BUY, 40_000, 1_000));
            frame[BLOCK + NewOrderEncoder.clOrdIdEncodingOffset() + 3] = '\t';
            client.sendRaw(frame);
            BusinessRejectDecoder reject = businessReject(client.next());
            assertEquals(ProtocolCode.INVALID_FIELD.code(), reject.errorCode());
            assertEquals("", reject.clOrdId(), "a clOrdId that is not printable is not echoed");
            assertEquals("clOrdId must be printable ASCII", reject.reason());
            assertNewOrderWorks(client, "printable-" + uuid, 1);
        }
    }

    @Test
    void aMassQuoteGroupBeyondTheFrameOrOverTheLimitIsRefused() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = established(uuid)) {
            byte[] frame = RawClient.frame(RawClient.massQuote(5, TimeInForce.GTC,
                new RawClient.Quote(tsla, 0, 0, 0, 0)));
            int numInGroup = BLOCK + MassQuoteEncoder.BLOCK_LENGTH + 2;
            putShort(frame, numInGroup, 2);
            client.sendRaw(frame);
            BusinessRejectDecoder beyond = businessReject(client.next());
            assertEquals(ProtocolCode.MALFORMED_MESSAGE.code(), beyond.errorCode());
            assertEquals(5, beyond.requestId());
            assertEquals("quotes group larger than the message", beyond.reason());

            putShort(frame, numInGroup, 33);
            client.sendRaw(frame);
            BusinessRejectDecoder tooMany = businessReject(client.next());
            assertEquals(ProtocolCode.TOO_MANY_QUOTES.code(), tooMany.errorCode());

            assertNewOrderWorks(client, "after-quotes", 1);
        }
    }

    @Test
    void aNegotiateOnAnEstablishedSessionEndsTheConnection() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = established(uuid)) {
            client.send(RawClient.negotiate(UUIDS.incrementAndGet(), timestamp(), "demo-" + OFFENDER, offenderSecret,
                false, 0));
            assertTerminated(client, uuid, ProtocolCode.PROTOCOL_ERROR, "template 1 on an established session");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // How bytes arrive: framing is independent of TCP segments

    @Test
    void framesSplitIntoOneByteWritesAreHandled() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            long t = timestamp();
            sendByteByByte(client, RawClient.frame(RawClient.negotiate(uuid, t, "demo-" + OFFENDER, offenderSecret,
                false, 0)));
            client.next(NegotiationResponseDecoder.TEMPLATE_ID);
            sendByteByByte(client, RawClient.frame(RawClient.establish(uuid, timestamp(), "demo-" + OFFENDER,
                offenderSecret, KEEP_ALIVE_MS)));
            client.next(EstablishmentAckDecoder.TEMPLATE_ID);
            sendByteByByte(client, RawClient.frame(RawClient.limitOrder("bytewise", tsla, Side.BUY, 40_000, 1_000)));
            RawClient.Report placed = client.nextReport();
            assertEquals(ExecType.NEW, placed.execType());
            assertEquals("bytewise", placed.clOrdId());
            assertEquals(1, placed.seqNo());
        }
    }

    @Test
    void twoFramesInOneWriteAreBothHandled() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = established(uuid)) {
            client.sendRaw(concat(RawClient.frame(RawClient.limitOrder("pair-1", tsla, Side.BUY, 40_000, 1_000)),
                RawClient.frame(RawClient.limitOrder("pair-2", tsla, Side.BUY, 40_010, 1_000))));
            RawClient.Report first = client.nextReport();
            RawClient.Report second = client.nextReport();
            assertEquals(List.of("pair-1", "pair-2", 1L, 2L), List.of(first.clOrdId(), second.clOrdId(),
                first.seqNo(), second.seqNo()));
            assertEquals(ExecType.NEW, first.execType());
            assertEquals(ExecType.NEW, second.execType());
        }
    }

    @Test
    void aWholeLogonAndAnOrderInOneWriteAreHandledInOrder() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            long t = timestamp();
            // The server waits for the database after Negotiate and after Establish; the frames behind them wait.
            client.sendRaw(concat(
                RawClient.frame(RawClient.negotiate(uuid, t, "demo-" + OFFENDER, offenderSecret, false, 0)),
                RawClient.frame(RawClient.establish(uuid, timestamp(), "demo-" + OFFENDER, offenderSecret, KEEP_ALIVE_MS)),
                RawClient.frame(RawClient.limitOrder("one-write", tsla, Side.BUY, 40_000, 1_000))));
            client.next(NegotiationResponseDecoder.TEMPLATE_ID);
            client.next(EstablishmentAckDecoder.TEMPLATE_ID);
            RawClient.Report placed = client.nextReport();
            assertEquals("one-write", placed.clOrdId());
            assertEquals(1, placed.seqNo());
        }
    }

    /**
     * An order sent right behind Establish, in a write of its own, arrives while the server records the
     * Establish: it must wait for the session, not be read as a message before Establish.
     */
    @Test
    void anOrderInItsOwnWriteRightBehindEstablishIsHandledOnTheSession() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            client.send(RawClient.negotiate(uuid, timestamp(), "demo-" + OFFENDER, offenderSecret, false, 0));
            client.next(NegotiationResponseDecoder.TEMPLATE_ID);
            client.send(RawClient.establish(uuid, timestamp(), "demo-" + OFFENDER, offenderSecret, KEEP_ALIVE_MS));
            client.send(RawClient.limitOrder("right-behind", tsla, Side.BUY, 40_000, 1_000));
            client.next(EstablishmentAckDecoder.TEMPLATE_ID);
            RawClient.Message m = client.next();
            if (m.templateId() == TerminateDecoder.TEMPLATE_ID) {
                TerminateDecoder t = new TerminateDecoder().wrapAndApplyHeader(m.buffer(), 0, new MessageHeaderDecoder());
                int code = t.errorCode();
                throw new AssertionError("the order behind Establish got Terminate " + code + " " + t.reason());
            }
            RawClient.Report placed = RawClient.Report.of(m);
            assertEquals("right-behind", placed.clOrdId());
            assertEquals(ExecType.NEW, placed.execType());
        }
    }

    @Test
    void aConnectionClosedMidFrameIsDroppedAndItsSessionResumesCleanly() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = established(uuid)) {
            byte[] frame = RawClient.frame(RawClient.limitOrder("half", tsla, Side.BUY, 40_000, 1_000));
            client.sendRaw(Arrays.copyOf(frame, frame.length / 2));
        }
        Conditions.awaitTrue(RawClient.TIMEOUT, () -> "the server noticed the connection closed: only the bystander's"
            + " session is established", () -> OpsMetrics.value(venue, Meters.SESSIONS_ESTABLISHED) == 1);
        try (RawClient again = RawClient.connect(venue.binaryPort())) {
            assertEquals(1, again.establish(uuid, timestamp(), "demo-" + OFFENDER, offenderSecret));
            // The half frame is gone with its connection: this one is read from its first byte.
            assertNewOrderWorks(again, "whole", 1);
        }
        assertEquals(List.of(), liveOrders(OFFENDER, "half"));
    }

    /**
     * A Terminate before Establish ends the connection: frames behind it in the same read are not acted on.
     * Here a valid Negotiate follows it; it must not record the session (a later Negotiate of the same uuid
     * is then accepted).
     */
    @Test
    void framesAfterATerminateBeforeEstablishAreNotActedOn() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            client.sendRaw(concat(
                RawClient.frame(b -> MessageHeaderEncoder.ENCODED_LENGTH + new TerminateEncoder()
                    .wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                    .uuid(0).errorCode(0).reason("").encodedLength()),
                RawClient.frame(RawClient.negotiate(uuid, timestamp(), "demo-" + OFFENDER, offenderSecret, false, 0))));
            client.awaitClosed();
            assertNull(client.poll(0), "a Terminate before Establish is not answered");
        }
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            client.send(RawClient.negotiate(uuid, timestamp(), "demo-" + OFFENDER, offenderSecret, false, 0));
            RawClient.Message answer = client.next();
            if (answer.templateId() == NegotiationRejectDecoder.TEMPLATE_ID) {
                NegotiationRejectDecoder reject = new NegotiationRejectDecoder()
                    .wrapAndApplyHeader(answer.buffer(), 0, new MessageHeaderDecoder());
                throw new AssertionError("the Negotiate behind the Terminate was acted on: a new Negotiate of uuid "
                    + uuid + " got NegotiationReject " + reject.errorCode() + " " + reject.reason());
            }
            assertEquals(NegotiationResponseDecoder.TEMPLATE_ID, answer.templateId());
        }
    }

    /** A Terminate right behind a Negotiate in one write: the NegotiationResponse owed is sent before the close. */
    @Test
    void aNegotiateAndATerminateInOneWriteAreAnsweredBeforeTheClose() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            client.sendRaw(concat(
                RawClient.frame(RawClient.negotiate(uuid, timestamp(), "demo-" + OFFENDER, offenderSecret, false, 0)),
                RawClient.frame(b -> MessageHeaderEncoder.ENCODED_LENGTH + new TerminateEncoder()
                    .wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                    .uuid(uuid).errorCode(0).reason("").encodedLength())));
            client.awaitClosed();
            RawClient.Message answer = client.poll(0);
            assertTrue(answer != null, "the connection closed without the NegotiationResponse, yet uuid " + uuid
                + " was negotiated");
            assertEquals(NegotiationResponseDecoder.TEMPLATE_ID, answer.templateId());
        }
    }

    /**
     * A client that sends Negotiate and drops the connection before the answer must not be left with a uuid
     * that is neither negotiated (Establish: 1007) nor free (Negotiate: 1006): the session was recorded or it
     * was not.
     */
    @Test
    void aNegotiateWhoseConnectionClosesBeforeTheAnswerLeavesTheUuidUsable() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            client.send(RawClient.negotiate(uuid, timestamp(), "demo-" + OFFENDER, offenderSecret, false, 0));
        }
        Set<String> answers = new TreeSet<>();
        int[] attempts = {0};
        Conditions.awaitTrue(Duration.ofSeconds(5), () -> "uuid " + uuid + " stays unusable after " + attempts[0]
            + " attempts: " + answers, () -> {
            try {
                String answer = establishOrNegotiate(uuid);
                answers.add(answer);
                attempts[0]++;
                return answer.equals("established") || answer.equals("negotiated");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** "established", "negotiated", or the two refusals. */
    private static String establishOrNegotiate(long uuid) throws Exception {
        String refused;
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            client.send(RawClient.establish(uuid, timestamp(), "demo-" + OFFENDER, offenderSecret, KEEP_ALIVE_MS));
            RawClient.Message m = client.next();
            if (m.templateId() == EstablishmentAckDecoder.TEMPLATE_ID) {
                return "established";
            }
            refused = "Establish " + new EstablishmentRejectDecoder()
                .wrapAndApplyHeader(m.buffer(), 0, new MessageHeaderDecoder()).errorCode();
        }
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            client.send(RawClient.negotiate(uuid, timestamp(), "demo-" + OFFENDER, offenderSecret, false, 0));
            RawClient.Message m = client.next();
            if (m.templateId() == NegotiationResponseDecoder.TEMPLATE_ID) {
                return "negotiated";
            }
            return refused + ", Negotiate " + new NegotiationRejectDecoder()
                .wrapAndApplyHeader(m.buffer(), 0, new MessageHeaderDecoder()).errorCode();
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** A request timestamp now, later than every one used before. */
    private static synchronized long timestamp() {
        lastTimestampNs = Math.max(System.currentTimeMillis() * NS_PER_MS, lastTimestampNs + 1);
        return lastTimestampNs;
    }

    /** Negotiates and establishes {@code uuid} for {@code account}; returns the EstablishmentAck's nextSeqNo. */
    private static long logon(RawClient client, long uuid, long account, String secret) throws Exception {
        client.send(RawClient.negotiate(uuid, timestamp(), "demo-" + account, secret, false, 0));
        client.next(NegotiationResponseDecoder.TEMPLATE_ID);
        client.send(RawClient.establish(uuid, timestamp(), "demo-" + account, secret, KEEP_ALIVE_MS));
        return new EstablishmentAckDecoder()
            .wrapAndApplyHeader(client.next(EstablishmentAckDecoder.TEMPLATE_ID).buffer(), 0, new MessageHeaderDecoder())
            .nextSeqNo();
    }

    /** A new connection with a new session {@code uuid} of the offending account, established. */
    private static RawClient established(long uuid) throws Exception {
        RawClient client = RawClient.connect(venue.binaryPort());
        assertEquals(1, logon(client, uuid, OFFENDER, offenderSecret));
        return client;
    }

    /** The next ExecutionReport, past heartbeats. */
    private static RawClient.Report nextReport(RawClient client) throws InterruptedException {
        RawClient.Message m = client.next();
        while (m.templateId() == SequenceDecoder.TEMPLATE_ID) {
            m = client.next();
        }
        return RawClient.Report.of(m);
    }

    private static void assertNewOrderWorks(RawClient client, String clOrdId, long seqNo) throws Exception {
        client.send(RawClient.limitOrder(clOrdId, tsla, Side.BUY, 40_000, 1_000));
        RawClient.Report placed = client.nextReport();
        assertEquals(ExecType.NEW, placed.execType());
        assertEquals(clOrdId, placed.clOrdId());
        assertEquals(seqNo, placed.seqNo());
    }

    /** The next message is a Terminate with {@code code}; then the server closes and sends nothing more. */
    private static void assertTerminated(RawClient client, long uuid, ProtocolCode code, String reasonPart)
        throws Exception {
        RawClient.Message m = client.next();
        assertEquals(TerminateDecoder.TEMPLATE_ID, m.templateId(), "a Terminate");
        TerminateDecoder terminate = new TerminateDecoder().wrapAndApplyHeader(m.buffer(), 0, new MessageHeaderDecoder());
        assertEquals(uuid, terminate.uuid());
        int errorCode = terminate.errorCode();
        String reason = terminate.reason();
        assertEquals(code.code(), errorCode, reason);
        assertTrue(reason.contains(reasonPart), reason);
        client.awaitClosed();
        assertNull(client.poll(0), "nothing after the Terminate");
    }

    private static BusinessRejectDecoder businessReject(RawClient.Message m) {
        assertEquals(BusinessRejectDecoder.TEMPLATE_ID, m.templateId(), "a BusinessReject");
        return new BusinessRejectDecoder().wrapAndApplyHeader(m.buffer(), 0, new MessageHeaderDecoder());
    }

    /** The account's live orders with this client order id. */
    private static List<Long> liveOrders(long account, String clOrdId) throws Exception {
        return TestVenue.await(venue.engine().query(e -> {
            List<Long> ids = new ArrayList<>();
            e.forEachOrderOf(account, o -> {
                if (clOrdId.equals(o.clientOrderId())) {
                    ids.add(o.orderId());
                }
            });
            return ids;
        })).value();
    }

    private static void sendByteByByte(RawClient client, byte[] frame) throws Exception {
        for (byte b : frame) {
            client.sendRaw(new byte[] {b});
        }
    }

    /** A framing header alone. */
    private static byte[] sofh(int length, int encodingType) {
        byte[] header = new byte[Framing.HEADER_LENGTH];
        putIntBigEndian(header, 0, length);
        header[4] = (byte) (encodingType >>> 8);
        header[5] = (byte) encodingType;
        return header;
    }

    /** A frame with a valid message header for {@code templateId} and {@code body} as its block. */
    private static byte[] message(int templateId, byte[] body) {
        Function<ExpandableArrayBuffer, Integer> encode = b -> {
            new MessageHeaderEncoder().wrap(b, Framing.HEADER_LENGTH).blockLength(body.length).templateId(templateId)
                .schemaId(MessageHeaderEncoder.SCHEMA_ID).version(MessageHeaderEncoder.SCHEMA_VERSION);
            b.putBytes(BLOCK, body);
            return MessageHeaderEncoder.ENCODED_LENGTH + body.length;
        };
        return RawClient.frame(encode);
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] all = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    private static void putShort(byte[] frame, int offset, int value) {
        new UnsafeBuffer(frame).putShort(offset, (short) value, ByteOrder.LITTLE_ENDIAN);
    }

    private static void putIntBigEndian(byte[] bytes, int offset, int value) {
        new UnsafeBuffer(bytes).putInt(offset, value, ByteOrder.BIG_ENDIAN);
    }
}
