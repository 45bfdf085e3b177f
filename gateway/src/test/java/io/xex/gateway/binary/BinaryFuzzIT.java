package io.xex.gateway.binary;

import io.xex.runtime.Conditions;
import io.xex.gateway.OpsMetrics;
import io.xex.gateway.TestVenue;
import io.xex.matching.Command;
import io.xex.matching.MatchingEngine;
import io.xex.protocol.Framing;
import io.xex.protocol.ProtocolCode;
import io.xex.protocol.sbe.AmendOrderDecoder;
import io.xex.protocol.sbe.AmendOrderEncoder;
import io.xex.protocol.sbe.BusinessRejectDecoder;
import io.xex.protocol.sbe.CancelOrderDecoder;
import io.xex.protocol.sbe.CancelOrderEncoder;
import io.xex.protocol.sbe.EstablishDecoder;
import io.xex.protocol.sbe.EstablishmentAckDecoder;
import io.xex.protocol.sbe.EstablishmentRejectDecoder;
import io.xex.protocol.sbe.ExecType;
import io.xex.protocol.sbe.ExecutionReportDecoder;
import io.xex.protocol.sbe.MassCancelAckDecoder;
import io.xex.protocol.sbe.MassCancelDecoder;
import io.xex.protocol.sbe.MassCancelEncoder;
import io.xex.protocol.sbe.MassQuoteAckDecoder;
import io.xex.protocol.sbe.MassQuoteDecoder;
import io.xex.protocol.sbe.MessageHeaderDecoder;
import io.xex.protocol.sbe.MessageHeaderEncoder;
import io.xex.protocol.sbe.NegotiateDecoder;
import io.xex.protocol.sbe.NegotiationRejectDecoder;
import io.xex.protocol.sbe.NegotiationResponseDecoder;
import io.xex.protocol.sbe.NewOrderDecoder;
import io.xex.protocol.sbe.NewOrderEncoder;
import io.xex.protocol.sbe.OrdType;
import io.xex.protocol.sbe.RetransmissionDecoder;
import io.xex.protocol.sbe.RetransmitRejectDecoder;
import io.xex.protocol.sbe.RetransmitRequestDecoder;
import io.xex.protocol.sbe.RetransmitRequestEncoder;
import io.xex.protocol.sbe.SequenceDecoder;
import io.xex.protocol.sbe.SequenceEncoder;
import io.xex.protocol.sbe.Side;
import io.xex.protocol.sbe.SideFilter;
import io.xex.protocol.sbe.TerminateDecoder;
import io.xex.protocol.sbe.TerminateEncoder;
import io.xex.protocol.sbe.ThrottleRejectDecoder;
import io.xex.protocol.sbe.TimeInForce;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Seeded random frames against the binary gateway over real TCP, judged against a model of what the server
 * must answer to each frame (see {@link ServerModel}). A fuzz session on an account with nothing in it gets
 * random bytes in valid framing, mutated valid messages of every client template, and each step ends with a
 * probe (an unknown template) whose BusinessReject proves every frame before it was handled; fresh
 * connections get garbage before any session. Meanwhile a bystander session of another account enters and
 * cancels orders, and a maker's orders rest in the book.
 *
 * <p>Checked: every answer the model predicts, in order; the server never closes a connection without a
 * Terminate or a handshake reject unless the client asked; every message it sends is well-formed; the fuzz
 * session's execution reports are gap-free and all REJECTED (its account can pay for nothing); the
 * bystander's reports are gap-free; the engine's whole state (its hash and a readable view of every other
 * account and the books) is what it was; {@code xex_gateway_binary_malformed_total} grew by exactly what the
 * model counted; and afterwards a new session negotiates and trades.
 *
 * <p>The seed is printed; rerun one with {@code -Dxex.fuzz.seed=<seed>} (and {@code -Dxex.fuzz.frames=<n>} steps,
 * {@code -Dxex.fuzz.trace=true} to see them).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class BinaryFuzzIT {
    private static final long DEFAULT_SEED = 0x5EED_F022L;
    /** {@code -Dxex.fuzz.trace=true}: every step's bytes and every answer, on standard output. */
    private static final boolean TRACE = Boolean.getBoolean("xex.fuzz.trace");
    private static final int DEFAULT_FRAMES = 3_000;
    private static final long FEE_ACCOUNT = 0;
    private static final long BYSTANDER = 1;
    private static final long FUZZ = 2;
    private static final long MAKER = 3;
    private static final long TRADER = 4;
    private static final long NS_PER_MS = 1_000_000L;
    private static final int KEEP_ALIVE_MS = 60_000;
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(10);
    private static final int BYSTANDER_EVERY = 50;
    /** Ends every step on the fuzz session: an unknown template, answered with BusinessReject 1101 in order. */
    private static final int PROBE_TEMPLATE_ID = 0xFFFF;
    private static final int BLOCK = Framing.HEADER_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH;
    private static final int[] CLIENT_TEMPLATES = {
        NegotiateDecoder.TEMPLATE_ID, EstablishDecoder.TEMPLATE_ID, SequenceDecoder.TEMPLATE_ID,
        RetransmitRequestDecoder.TEMPLATE_ID, TerminateDecoder.TEMPLATE_ID, NewOrderDecoder.TEMPLATE_ID,
        CancelOrderDecoder.TEMPLATE_ID, AmendOrderDecoder.TEMPLATE_ID, MassCancelDecoder.TEMPLATE_ID,
        MassQuoteDecoder.TEMPLATE_ID};
    private static final long[] INTERESTING = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE,
        Integer.MIN_VALUE, 0xFFFF_FFFFL, 1L << 32, 1L << 53, 100_000_000_000L, 0x7F, 0x80, 0xFF, 0xFFFF};
    /** The block length of every message the server may send, by template id. */
    private static final Map<Integer, Integer> SERVER_BLOCK_LENGTHS = Map.ofEntries(
        Map.entry(NegotiationResponseDecoder.TEMPLATE_ID, NegotiationResponseDecoder.BLOCK_LENGTH),
        Map.entry(NegotiationRejectDecoder.TEMPLATE_ID, NegotiationRejectDecoder.BLOCK_LENGTH),
        Map.entry(EstablishmentAckDecoder.TEMPLATE_ID, EstablishmentAckDecoder.BLOCK_LENGTH),
        Map.entry(EstablishmentRejectDecoder.TEMPLATE_ID, EstablishmentRejectDecoder.BLOCK_LENGTH),
        Map.entry(SequenceDecoder.TEMPLATE_ID, SequenceDecoder.BLOCK_LENGTH),
        Map.entry(RetransmissionDecoder.TEMPLATE_ID, RetransmissionDecoder.BLOCK_LENGTH),
        Map.entry(RetransmitRejectDecoder.TEMPLATE_ID, RetransmitRejectDecoder.BLOCK_LENGTH),
        Map.entry(TerminateDecoder.TEMPLATE_ID, TerminateDecoder.BLOCK_LENGTH),
        Map.entry(ExecutionReportDecoder.TEMPLATE_ID, ExecutionReportDecoder.BLOCK_LENGTH),
        Map.entry(BusinessRejectDecoder.TEMPLATE_ID, BusinessRejectDecoder.BLOCK_LENGTH),
        Map.entry(ThrottleRejectDecoder.TEMPLATE_ID, ThrottleRejectDecoder.BLOCK_LENGTH),
        Map.entry(MassQuoteAckDecoder.TEMPLATE_ID, MassQuoteAckDecoder.BLOCK_LENGTH),
        Map.entry(MassCancelAckDecoder.TEMPLATE_ID, MassCancelAckDecoder.BLOCK_LENGTH));

    @TempDir
    Path dir;

    @Test
    void randomFramesAreAnsweredAsSpecifiedAndTouchNothingElse() throws Exception {
        long seed = Long.getLong("xex.fuzz.seed", DEFAULT_SEED);
        int frames = Integer.getInteger("xex.fuzz.frames", DEFAULT_FRAMES);
        System.out.println("BinaryFuzzIT: seed " + seed + ", " + frames + " steps (rerun: -Dxex.fuzz.seed=" + seed + ")");
        try (TestVenue venue = TestVenue.start(dir, Map.of("XEX_GATEWAY_DEMO_ACCOUNTS", "4",
            "XEX_BINARY_MESSAGESPERSECOND", "10000000")); Fuzzer fuzzer = new Fuzzer(venue, seed)) {
            fuzzer.run(frames);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** What the server does with one frame. */
    enum Kind {
        /** Terminate with {@code code}, then the connection closes; nothing after it is read. */
        TERMINATE,
        /** BusinessReject with {@code code} for {@code templateId}; the session goes on. */
        REJECT,
        /** Passed the layout checks: its handler answers (or not), possibly later. */
        HANDLED,
        /** A Negotiate or Establish before a session: the server accepts or rejects it. */
        HANDSHAKE,
        /** A Terminate before a session: the connection closes unanswered. */
        SILENT_CLOSE,
        /** A heartbeat: nothing. */
        NOTHING,
        /** Not a whole frame yet: the server waits for {@code length} more bytes. */
        INCOMPLETE
    }

    /**
     * @param length    the frame's length, or for INCOMPLETE the bytes still missing
     * @param malformed whether the server counts it in {@code xex_gateway_binary_malformed_total}
     */
    record Outcome(Kind kind, int templateId, int code, boolean malformed, int length) {
        boolean ends() {
            return kind == Kind.TERMINATE || kind == Kind.SILENT_CLOSE || kind == Kind.INCOMPLETE;
        }
    }

    /**
     * What the server must do with the frame at {@code position} (docs/binary-protocol.md, "Malformed input",
     * and BinaryGatewayVerticle, which is the truth where they differ): written from the specification, never
     * from the server's classes, apart from the schema's constants.
     */
    static final class ServerModel {
        private ServerModel() {
        }

        static Outcome next(byte[] bytes, int position, int end, boolean established) {
            int available = end - position;
            if (available < Framing.HEADER_LENGTH) {
                return new Outcome(Kind.INCOMPLETE, 0, 0, false, Framing.HEADER_LENGTH - available);
            }
            UnsafeBuffer b = new UnsafeBuffer(bytes);
            int length = b.getInt(position, ByteOrder.BIG_ENDIAN);
            int encodingType = b.getShort(position + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            if (length < 14 || length > 4096 || encodingType != 0xEB50) {
                return terminate(ProtocolCode.FRAMING_ERROR, true);
            }
            if (available < length) {
                return new Outcome(Kind.INCOMPLETE, 0, 0, false, length - available);
            }
            int m = position + Framing.HEADER_LENGTH;
            int blockLength = b.getShort(m, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            int templateId = b.getShort(m + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            int schemaId = b.getShort(m + 4, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            int version = b.getShort(m + 6, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            if (schemaId != 22597 || version != 1) {
                return terminate(ProtocolCode.UNSUPPORTED_SCHEMA, true);
            }
            int messageLength = length - Framing.HEADER_LENGTH;
            int bodyLength = messageLength - 8;
            if (!established) {
                return switch (templateId) {
                    case 1 -> fits(blockLength, bodyLength, 93) ? handshake(1, length)
                        : terminate(ProtocolCode.MALFORMED_MESSAGE, true);
                    case 4 -> fits(blockLength, bodyLength, 92) ? handshake(4, length)
                        : terminate(ProtocolCode.MALFORMED_MESSAGE, true);
                    case 11 -> new Outcome(Kind.SILENT_CLOSE, 11, 0, false, length);
                    default -> terminate(ProtocolCode.NOT_ESTABLISHED, true);
                };
            }
            return switch (templateId) {
                case 7 -> new Outcome(Kind.NOTHING, 7, 0, false, length);
                case 11 -> terminate(ProtocolCode.FINISHED, false);
                case 1, 4 -> terminate(ProtocolCode.PROTOCOL_ERROR, true);
                case 8 -> layout(templateId, blockLength, bodyLength, 20, length);
                case 20 -> layout(templateId, blockLength, bodyLength, 67, length);
                case 21 -> layout(templateId, blockLength, bodyLength, 44, length);
                case 22 -> layout(templateId, blockLength, bodyLength, 60, length);
                case 23 -> layout(templateId, blockLength, bodyLength, 13, length);
                case 24 -> fits(blockLength, bodyLength, 9) ? massQuote(b, m, blockLength, messageLength, length)
                    : reject(24, ProtocolCode.MALFORMED_MESSAGE, true, length);
                default -> reject(templateId, ProtocolCode.UNKNOWN_TEMPLATE, true, length);
            };
        }

        /** A MassQuote's time in force and quotes group; refusals here are not counted as malformed frames. */
        private static Outcome massQuote(UnsafeBuffer b, int m, int blockLength, int messageLength, int length) {
            int timeInForce = b.getByte(m + 8 + 8) & 0xFF;
            if (timeInForce != 1 && timeInForce != 4) {
                return reject(24, ProtocolCode.INVALID_FIELD, false, length);
            }
            int groupOffset = 8 + blockLength;
            if (messageLength - groupOffset < 4) {
                return reject(24, ProtocolCode.MALFORMED_MESSAGE, false, length);
            }
            int entryLength = b.getShort(m + groupOffset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            int entries = b.getShort(m + groupOffset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
            if (entries > 32) {
                return reject(24, ProtocolCode.TOO_MANY_QUOTES, false, length);
            }
            if (entryLength < 36 || groupOffset + 4 + (long) entryLength * entries > messageLength) {
                return reject(24, ProtocolCode.MALFORMED_MESSAGE, false, length);
            }
            return new Outcome(Kind.HANDLED, 24, 0, false, length);
        }

        private static boolean fits(int blockLength, int bodyLength, int schemaBlockLength) {
            return blockLength >= schemaBlockLength && bodyLength >= blockLength;
        }

        private static Outcome layout(int templateId, int blockLength, int bodyLength, int schemaBlockLength, int length) {
            return fits(blockLength, bodyLength, schemaBlockLength) ? new Outcome(Kind.HANDLED, templateId, 0, false, length)
                : reject(templateId, ProtocolCode.MALFORMED_MESSAGE, true, length);
        }

        private static Outcome terminate(ProtocolCode code, boolean malformed) {
            return new Outcome(Kind.TERMINATE, 0, code.code(), malformed, 0);
        }

        private static Outcome reject(int templateId, ProtocolCode code, boolean malformed, int length) {
            return new Outcome(Kind.REJECT, templateId, code.code(), malformed, length);
        }

        private static Outcome handshake(int templateId, int length) {
            return new Outcome(Kind.HANDSHAKE, templateId, 0, false, length);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** The run: owned by the test thread. */
    private static final class Fuzzer implements AutoCloseable {
        private final TestVenue venue;
        private final long seed;
        private final Random random;
        private final int tsla;
        private final int nvda;
        private final String fuzzKey = "demo-" + FUZZ;
        private final String fuzzSecret;
        private final long fuzzUuid = 900_001;
        private long nextUuid = 910_000;
        private long lastTimestampNs;

        private final List<Long> makerOrderIds = new ArrayList<>();
        private final List<String> makerClOrdIds = new ArrayList<>();
        private final List<String> usedClOrdIds = new ArrayList<>();
        private long lastBystanderOrderId;

        private RawClient bystander;
        private long bystanderNextSeqNo;
        private int bystanderOrders;
        private RawClient maker;

        private BlockingClient fuzz;
        private long fuzzNextSeqNo;
        private long retransmitNextSeqNo;
        private long retransmitLeft;

        private int step;
        private int establishedDuringStep = -1;
        private String stepDescription = "";
        private long modelledMalformed;
        private int reconnects;
        private int freshConnections;
        private final Map<String, Integer> seen = new TreeMap<>();

        Fuzzer(TestVenue venue, long seed) throws Exception {
            this.venue = venue;
            this.seed = seed;
            this.random = new Random(seed);
            this.tsla = venue.instrumentId("TSLAx");
            this.nvda = venue.instrumentId("NVDAx");
            this.fuzzSecret = venue.demoSecret(FUZZ);
        }

        void run(int steps) throws Exception {
            setUp();
            long hashBefore = TestVenue.await(venue.engine().status()).stateHash();
            String stateBefore = state();
            double malformedBefore = OpsMetrics.value(venue, Meters.MALFORMED_FRAMES);
            long startNs = System.nanoTime();

            for (step = 0; step < steps; step++) {
                try {
                    int choice = random.nextInt(100);
                    if (choice < 25) {
                        establishedStep("random frame", randomFrame());
                    } else if (choice < 85) {
                        establishedStep("mutated message", mutated(validMessage()));
                    } else {
                        freshConnectionStep();
                    }
                    if (step % BYSTANDER_EVERY == 0) {
                        bystanderTrades();
                    }
                } catch (AssertionError | IOException e) {
                    throw new AssertionError("seed " + seed + ", step " + step + " (" + stepDescription
                        + "; the fuzz session was last established during step " + establishedDuringStep + "): "
                        + e.getMessage(), e);
                }
            }
            stepDescription = "wind-down";
            establishedStep("probe only", new byte[0]);
            byte[] terminate = RawClient.frame(b -> MessageHeaderEncoder.ENCODED_LENGTH + new TerminateEncoder()
                .wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                .uuid(fuzzUuid).errorCode(0).reason("").encodedLength());
            fuzz.send(terminate);
            awaitAnswers(fuzz, List.of(), ProtocolCode.FINISHED.code());
            fuzz.close();
            bystanderTrades();
            System.out.println("BinaryFuzzIT: " + steps + " steps in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs)
                + " ms; " + reconnects + " re-establishments, " + freshConnections + " fresh connections; answers " + seen);

            // The server has handled every connection's bytes once it has seen them all closed.
            Conditions.awaitTrue(ANSWER_TIMEOUT, () -> "the server still counts "
                    + OpsMetrics.value(venue, Meters.CONNECTIONS) + " connections, not 2 (bystander and maker)",
                () -> OpsMetrics.value(venue, Meters.CONNECTIONS) == 2);
            assertEquals(modelledMalformed, (long) (OpsMetrics.value(venue, Meters.MALFORMED_FRAMES) - malformedBefore),
                "xex_gateway_binary_malformed_total grew by what the model counted (seed " + seed + ")");

            String[] stateAfter = {""};
            Conditions.awaitTrue(ANSWER_TIMEOUT, () -> "the engine's state changed (seed " + seed + ")\nbefore:\n"
                + stateBefore + "after:\n" + stateAfter[0], () -> {
                    try {
                        stateAfter[0] = state();
                        return TestVenue.await(venue.engine().status()).stateHash() == hashBefore
                            && stateAfter[0].equals(stateBefore);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
            TestVenue.await(venue.engine().query(e -> {
                e.checkInvariants();
                return true;
            }));
            for (RawClient.Message m = maker.poll(0); m != null; m = maker.poll(0)) {
                assertEquals(SequenceDecoder.TEMPLATE_ID, m.templateId(), "the maker heard of nothing");
            }
            aNewSessionTrades();
        }

        @Override
        public void close() {
            for (AutoCloseable client : new AutoCloseable[] {fuzz, bystander, maker}) {
                if (client != null) {
                    try {
                        client.close();
                    } catch (Exception e) {
                        // Closing is all that was asked.
                    }
                }
            }
        }

        // -----------------------------------------------------------------------------------------
        // Setting up and checking the other accounts

        private void setUp() throws Exception {
            emptyFuzzAccount();
            maker = RawClient.connect(venue.binaryPort());
            assertEquals(1, logon(maker, nextUuid++, MAKER));
            placeMakerOrder("m-tsla-bid", tsla, Side.BUY, 41_000);
            placeMakerOrder("m-tsla-ask", tsla, Side.SELL, 43_000);
            placeMakerOrder("m-nvda-bid", nvda, Side.BUY, 17_500);
            placeMakerOrder("m-nvda-ask", nvda, Side.SELL, 18_500);
            bystander = RawClient.connect(venue.binaryPort());
            bystanderNextSeqNo = logon(bystander, nextUuid++, BYSTANDER);
            bystanderTrades();

            fuzz = BlockingClient.connect(venue.binaryPort());
            fuzz.send(RawClient.frame(RawClient.negotiate(fuzzUuid, timestamp(), fuzzKey, fuzzSecret, false, 0)));
            assertEquals(NegotiationResponseDecoder.TEMPLATE_ID, fuzz.next(deadline()).templateId());
            establishFuzz();
            assertEquals(1, fuzzNextSeqNo);
        }

        /** Withdraws everything the demo account was given: every order it can enter is then rejected. */
        private void emptyFuzzAccount() throws Exception {
            long[] available = TestVenue.await(venue.engine().query(e -> {
                long[] amounts = new long[e.config().assets().size()];
                for (int asset = 0; asset < amounts.length; asset++) {
                    amounts[asset] = e.available(FUZZ, asset);
                }
                return amounts;
            })).value();
            for (int asset = 0; asset < available.length; asset++) {
                if (available[asset] > 0) {
                    TestVenue.await(venue.engine().submit(new Command.Withdraw(FUZZ, asset, available[asset])));
                }
            }
            String balances = TestVenue.await(venue.engine().query(e -> balances(e, FUZZ))).value();
            assertEquals("0/0 ".repeat(available.length).trim(), balances, "the fuzz account holds nothing");
        }

        private void placeMakerOrder(String clOrdId, int securityId, Side side, long price) throws Exception {
            maker.send(RawClient.limitOrder(clOrdId, securityId, side, price, 1_000));
            RawClient.Report placed = nextReport(maker);
            assertEquals(ExecType.NEW, placed.execType());
            makerOrderIds.add(placed.orderId());
            makerClOrdIds.add(clOrdId);
        }

        /** The bystander enters an order and cancels it; both reports are numbered next. */
        private void bystanderTrades() throws Exception {
            String clOrdId = "by-" + ++bystanderOrders;
            bystander.send(RawClient.limitOrder(clOrdId, tsla, Side.BUY, 40_000, 1_000));
            RawClient.Report placed = nextReport(bystander);
            assertEquals(ExecType.NEW, placed.execType(), "the bystander's order");
            assertEquals(bystanderNextSeqNo++, placed.seqNo(), "the bystander's reports have no gap");
            lastBystanderOrderId = placed.orderId();
            bystander.send(RawClient.cancel(placed.orderId(), ""));
            RawClient.Report cancelled = nextReport(bystander);
            assertEquals(ExecType.CANCELLED, cancelled.execType(), "the bystander's cancel");
            assertEquals(bystanderNextSeqNo++, cancelled.seqNo(), "the bystander's reports have no gap");
            for (RawClient.Message m = bystander.poll(0); m != null; m = bystander.poll(0)) {
                assertEquals(SequenceDecoder.TEMPLATE_ID, m.templateId(), "the bystander heard of nothing else");
            }
        }

        /** A session of an account the fuzzing never used negotiates and takes the maker's TSLAx ask. */
        private void aNewSessionTrades() throws Exception {
            try (RawClient trader = RawClient.connect(venue.binaryPort())) {
                assertEquals(1, logon(trader, nextUuid++, TRADER));
                trader.send(RawClient.limitOrder("after-fuzz", tsla, Side.BUY, 43_000, 500));
                assertEquals(ExecType.NEW, nextReport(trader).execType());
                RawClient.Report taken = nextReport(trader);
                assertEquals(ExecType.TRADE, taken.execType());
                assertEquals(500, taken.lastQty());
                RawClient.Report made = nextReport(maker);
                assertEquals(ExecType.TRADE, made.execType());
                assertEquals(makerOrderIds.get(1), made.orderId());
            }
        }

        /** Balances and orders of every account but the fuzz one, and both books, as text. */
        private String state() throws Exception {
            return TestVenue.await(venue.engine().query(e -> {
                StringBuilder s = new StringBuilder();
                for (long account : new long[] {FEE_ACCOUNT, BYSTANDER, MAKER, TRADER}) {
                    if (!e.hasAccount(account)) {
                        continue;
                    }
                    s.append("account ").append(account).append(": ").append(balances(e, account));
                    e.forEachOrderOf(account, o -> s.append(", order ").append(o.orderId()).append(' ')
                        .append(o.clientOrderId()).append(' ').append(o.side()).append(' ').append(o.remaining())
                        .append('@').append(o.price()));
                    s.append('\n');
                }
                for (int instrument : new int[] {tsla, nvda}) {
                    for (io.xex.matching.Side side : io.xex.matching.Side.values()) {
                        s.append("book ").append(instrument).append(' ').append(side).append(':');
                        e.forEachLevel(instrument, side, 50, (price, quantity, orders) ->
                            s.append(' ').append(quantity).append('@').append(price).append('(').append(orders).append(')'));
                        s.append('\n');
                    }
                }
                return s.toString();
            })).value();
        }

        private static String balances(MatchingEngine e, long account) {
            StringBuilder s = new StringBuilder();
            for (int asset = 0; asset < e.config().assets().size(); asset++) {
                s.append(asset == 0 ? "" : " ").append(e.available(account, asset)).append('/').append(e.locked(account, asset));
            }
            return s.toString();
        }

        // -----------------------------------------------------------------------------------------
        // Steps

        /**
         * Sends {@code bytes} on the established fuzz session, completed to whole frames, then a probe unless a
         * frame ends the connection, and checks the answers against the model; re-establishes after a Terminate.
         */
        private void establishedStep(String generator, byte[] generated) throws IOException {
            byte[] bytes = completed(generated);
            stepDescription = generator + " " + hex(bytes);
            List<Outcome> rejects = new ArrayList<>();
            int terminateCode = -1;
            int position = 0;
            while (position < bytes.length) {
                Outcome o = ServerModel.next(bytes, position, bytes.length, true);
                count(o);
                if (o.kind() == Kind.TERMINATE) {
                    terminateCode = o.code();
                    break;
                }
                if (o.kind() == Kind.REJECT) {
                    rejects.add(o);
                }
                position += o.length();
            }
            if (terminateCode < 0) {
                byte[] probe = probe();
                Outcome o = ServerModel.next(probe, 0, probe.length, true);
                count(o);
                rejects.add(o);
                bytes = concat(bytes, probe);
            }
            trace("step " + step + ": " + stepDescription + "; expect " + rejects + (terminateCode < 0 ? "" : ", Terminate " + terminateCode));
            fuzz.send(bytes);
            awaitAnswers(fuzz, rejects, terminateCode);
            if (terminateCode >= 0) {
                fuzz.close();
                establishFuzz();
            }
        }

        /** Whole frames: an incomplete one at the end is padded with zeros (the server would wait for them). */
        private static byte[] completed(byte[] bytes) {
            while (true) {
                int position = 0;
                Outcome o = null;
                while (position < bytes.length) {
                    o = ServerModel.next(bytes, position, bytes.length, true);
                    if (o.ends()) {
                        break;
                    }
                    position += o.length();
                }
                if (o == null || o.kind() != Kind.INCOMPLETE) {
                    return bytes;
                }
                bytes = Arrays.copyOf(bytes, bytes.length + o.length());
            }
        }

        /**
         * Garbage on a new connection before any session. Handshakes are answered by the server as it sees fit
         * and the model follows its answer.
         */
        private void freshConnectionStep() throws IOException {
            byte[] bytes = garbage();
            boolean established = false;
            int position = 0;
            while (position < bytes.length) {
                Outcome o = ServerModel.next(bytes, position, bytes.length, established);
                if (o.kind() == Kind.SILENT_CLOSE) {
                    // Known server bugs (BinaryMalformedIT): frames behind a Terminate before Establish are still
                    // acted on, and a NegotiationResponse owed to a frame before it is never sent. So it goes
                    // first and alone, or not at all.
                    bytes = Arrays.copyOf(bytes, position == 0 ? o.length() : position);
                    break;
                }
                if (o.ends()) {
                    break;
                }
                position += o.length();
            }
            stepDescription = "fresh connection " + hex(bytes);
            trace("step " + step + ": " + stepDescription);
            freshConnections++;
            try (BlockingClient client = BlockingClient.connect(venue.binaryPort())) {
                client.send(bytes);
                position = 0;
                while (position < bytes.length) {
                    Outcome o = ServerModel.next(bytes, position, bytes.length, established);
                    count(o);
                    if (established) {
                        // Handled at once after the EstablishmentAck: counted, not awaited; the client goes away.
                        if (o.ends()) {
                            return;
                        }
                        position += o.length();
                        continue;
                    }
                    switch (o.kind()) {
                        case TERMINATE -> {
                            assertTerminate(nextOrClosed(client), o.code());
                            assertClosed(client);
                            return;
                        }
                        case SILENT_CLOSE -> {
                            assertClosed(client);
                            return;
                        }
                        case INCOMPLETE -> {
                            return;
                        }
                        case HANDSHAKE -> {
                            int answer = nextOrClosed(client).templateId();
                            see("handshake answer " + answer);
                            if (answer == NegotiationRejectDecoder.TEMPLATE_ID || answer == EstablishmentRejectDecoder.TEMPLATE_ID) {
                                assertEquals(o.templateId() == 1 ? NegotiationRejectDecoder.TEMPLATE_ID
                                    : EstablishmentRejectDecoder.TEMPLATE_ID, answer, "the reject of the handshake sent");
                                assertClosed(client);
                                return;
                            }
                            assertEquals(o.templateId() == 1 ? NegotiationResponseDecoder.TEMPLATE_ID
                                : EstablishmentAckDecoder.TEMPLATE_ID, answer, "the answer to the handshake sent");
                            established = answer == EstablishmentAckDecoder.TEMPLATE_ID;
                        }
                        default -> throw new AssertionError("the model gave " + o + " before a session");
                    }
                    position += o.length();
                }
                // All handled and the server waits for more: the client goes away.
            }
        }

        private void count(Outcome o) {
            if (o.malformed()) {
                modelledMalformed++;
            }
            see(o.kind() + (o.code() == 0 ? "" : " " + o.code()));
        }

        private void see(String what) {
            seen.merge(what, 1, Integer::sum);
        }

        // -----------------------------------------------------------------------------------------
        // Answers

        /**
         * Reads until every expected reject has come in order (the last one being the probe) or, with a
         * {@code terminateCode}, until that Terminate and the close after it. Every other message must be one
         * an established session may get unasked or from a handler, well-formed, and consistent.
         */
        private void awaitAnswers(BlockingClient client, List<Outcome> rejects, int terminateCode) throws IOException {
            long deadline = deadline();
            int matched = 0;
            while (terminateCode >= 0 || matched < rejects.size()) {
                RawClient.Message m = client.next(deadline);
                trace("  got " + (m == null ? "the close" : m.templateId() + " " + HexFormat.of().formatHex(m.buffer().byteArray())));
                if (m == null) {
                    throw new AssertionError("the server closed the connection without a Terminate; still expected "
                        + rejects.subList(matched, rejects.size()) + (terminateCode >= 0 ? " and Terminate " + terminateCode : ""));
                }
                switch (m.templateId()) {
                    case TerminateDecoder.TEMPLATE_ID -> {
                        TerminateDecoder t = new TerminateDecoder().wrapAndApplyHeader(m.buffer(), 0, new MessageHeaderDecoder());
                        int code = t.errorCode();
                        String reason = t.reason();
                        if (terminateCode < 0 || matched < rejects.size()) {
                            throw new AssertionError("unexpected Terminate " + code + " (" + reason + "); expected "
                                + rejects.subList(matched, rejects.size()));
                        }
                        assertEquals(terminateCode, code, reason);
                        assertClosed(client);
                        return;
                    }
                    case BusinessRejectDecoder.TEMPLATE_ID -> {
                        BusinessRejectDecoder r = new BusinessRejectDecoder().wrapAndApplyHeader(m.buffer(), 0, new MessageHeaderDecoder());
                        int refTemplateId = r.refTemplateId();
                        int code = r.errorCode();
                        String reason = r.reason();
                        if (matched < rejects.size() && rejects.get(matched).templateId() == refTemplateId
                            && rejects.get(matched).code() == code) {
                            matched++;
                        } else if (code == ProtocolCode.UNKNOWN_TEMPLATE.code() || code == ProtocolCode.MALFORMED_MESSAGE.code()
                            || code == ProtocolCode.TOO_MANY_QUOTES.code() || code == 900) {
                            throw new AssertionError("BusinessReject " + code + " (" + reason + ") for template "
                                + refTemplateId + " the model did not predict; expected " + rejects.subList(matched, rejects.size()));
                        } else {
                            see("handler reject " + code);
                        }
                    }
                    case ExecutionReportDecoder.TEMPLATE_ID -> report(RawClient.Report.of(m));
                    case RetransmissionDecoder.TEMPLATE_ID -> {
                        RetransmissionDecoder r = new RetransmissionDecoder().wrapAndApplyHeader(m.buffer(), 0, new MessageHeaderDecoder());
                        assertEquals(0, retransmitLeft, "a Retransmission inside another");
                        assertEquals(fuzzUuid, r.uuid());
                        retransmitNextSeqNo = r.fromSeqNo();
                        retransmitLeft = r.count();
                        see("retransmission");
                    }
                    case RetransmitRejectDecoder.TEMPLATE_ID -> {
                        RetransmitRejectDecoder r = new RetransmitRejectDecoder().wrapAndApplyHeader(m.buffer(), 0, new MessageHeaderDecoder());
                        int code = r.errorCode();
                        r.reason();
                        see("retransmit reject " + code);
                    }
                    case MassQuoteAckDecoder.TEMPLATE_ID -> {
                        MassQuoteAckDecoder a = new MassQuoteAckDecoder().wrapAndApplyHeader(m.buffer(), 0, new MessageHeaderDecoder());
                        for (MassQuoteAckDecoder.QuotesDecoder q : a.quotes()) {
                            if (q.bidOrderId() != 0 || q.askOrderId() != 0) {
                                throw new AssertionError("a quote of the empty fuzz account rests: " + q);
                            }
                        }
                        see("mass quote ack");
                    }
                    case MassCancelAckDecoder.TEMPLATE_ID -> {
                        MassCancelAckDecoder a = new MassCancelAckDecoder().wrapAndApplyHeader(m.buffer(), 0, new MessageHeaderDecoder());
                        assertEquals(0, a.cancelledCount(), "the fuzz account had nothing to cancel");
                        see("mass cancel ack");
                    }
                    case SequenceDecoder.TEMPLATE_ID, ThrottleRejectDecoder.TEMPLATE_ID -> see("template " + m.templateId());
                    default -> throw new AssertionError("unexpected template " + m.templateId() + " on an established session");
                }
            }
        }

        /** One of the fuzz session's reports: numbered without a gap, and a rejection. */
        private void report(RawClient.Report r) {
            if (r.possRetrans()) {
                if (retransmitLeft == 0) {
                    throw new AssertionError("a report flagged possRetrans outside a retransmission: " + r);
                }
                assertEquals(retransmitNextSeqNo++, r.seqNo(), "retransmitted reports in order");
                retransmitLeft--;
            } else {
                assertEquals(0, retransmitLeft, "a live report inside a retransmission");
                assertEquals(fuzzNextSeqNo++, r.seqNo(), "the fuzz session's live reports have no gap");
            }
            if (r.execType() != ExecType.REJECTED) {
                throw new AssertionError("the empty fuzz account's order was not rejected: " + r);
            }
            see("report REJECTED " + r.reason());
        }

        private static void assertTerminate(RawClient.Message m, int code) {
            if (m == null) {
                throw new AssertionError("the server closed the connection without Terminate " + code);
            }
            assertEquals(TerminateDecoder.TEMPLATE_ID, m.templateId(), "expected Terminate " + code);
            TerminateDecoder t = new TerminateDecoder().wrapAndApplyHeader(m.buffer(), 0, new MessageHeaderDecoder());
            int errorCode = t.errorCode();
            assertEquals(code, errorCode, t.reason());
        }

        private static void assertClosed(BlockingClient client) throws IOException {
            RawClient.Message after = client.next(deadline());
            if (after != null) {
                throw new AssertionError("template " + after.templateId() + " where the server should have closed the connection");
            }
        }

        private static RawClient.Message nextOrClosed(BlockingClient client) throws IOException {
            RawClient.Message m = client.next(deadline());
            if (m == null) {
                throw new AssertionError("the server closed the connection without an answer");
            }
            return m;
        }

        private void establishFuzz() throws IOException {
            fuzz = BlockingClient.connect(venue.binaryPort());
            fuzz.send(RawClient.frame(RawClient.establish(fuzzUuid, timestamp(), fuzzKey, fuzzSecret, KEEP_ALIVE_MS)));
            RawClient.Message m = nextOrClosed(fuzz);
            if (m.templateId() != EstablishmentAckDecoder.TEMPLATE_ID) {
                EstablishmentRejectDecoder r = new EstablishmentRejectDecoder().wrapAndApplyHeader(m.buffer(), 0, new MessageHeaderDecoder());
                int code = r.errorCode();
                throw new AssertionError("re-establishing the fuzz session: template " + m.templateId() + " " + code
                    + " " + r.reason());
            }
            fuzzNextSeqNo = new EstablishmentAckDecoder().wrapAndApplyHeader(m.buffer(), 0, new MessageHeaderDecoder()).nextSeqNo();
            retransmitLeft = 0;
            establishedDuringStep = step;
            reconnects++;
        }

        private long timestamp() {
            lastTimestampNs = Math.max(System.currentTimeMillis() * NS_PER_MS, lastTimestampNs + 1);
            return lastTimestampNs;
        }

        private long logon(RawClient client, long uuid, long account) throws Exception {
            String secret = venue.demoSecret(account);
            client.send(RawClient.negotiate(uuid, timestamp(), "demo-" + account, secret, false, 0));
            client.next(NegotiationResponseDecoder.TEMPLATE_ID);
            client.send(RawClient.establish(uuid, timestamp(), "demo-" + account, secret, KEEP_ALIVE_MS));
            return new EstablishmentAckDecoder()
                .wrapAndApplyHeader(client.next(EstablishmentAckDecoder.TEMPLATE_ID).buffer(), 0, new MessageHeaderDecoder())
                .nextSeqNo();
        }

        // -----------------------------------------------------------------------------------------
        // Generators

        /** (a) Random bytes in a valid framing header, of a random length; often with a valid schema and version. */
        private byte[] randomFrame() {
            int bodyLength = switch (random.nextInt(20)) {
                case 0 -> random.nextInt(4096 - BLOCK + 1);
                case 1, 2, 3, 4 -> random.nextInt(1024);
                default -> random.nextInt(129);
            };
            byte[] f = new byte[BLOCK + bodyLength];
            random.nextBytes(f);
            UnsafeBuffer b = new UnsafeBuffer(f);
            Framing.writeHeader(b, 0, f.length - Framing.HEADER_LENGTH);
            if (random.nextInt(10) < 7) {
                int templateId = random.nextBoolean() ? pick(CLIENT_TEMPLATES) : random.nextInt(PROBE_TEMPLATE_ID);
                int blockLength = random.nextBoolean() ? random.nextInt(bodyLength + 9) : random.nextInt(0x10000);
                new MessageHeaderEncoder().wrap(b, Framing.HEADER_LENGTH).blockLength(blockLength).templateId(templateId)
                    .schemaId(MessageHeaderEncoder.SCHEMA_ID).version(MessageHeaderEncoder.SCHEMA_VERSION);
            }
            return f;
        }

        /** (b) A valid framed message of a random client template, its fields random but mostly plausible. */
        private byte[] validMessage() {
            int choice = random.nextInt(100);
            if (choice < 25) {
                return RawClient.frame(this::newOrder);
            } else if (choice < 37) {
                long orderId = orderId();
                String origClOrdId = targetClOrdId();
                return RawClient.frame(b -> MessageHeaderEncoder.ENCODED_LENGTH + new CancelOrderEncoder()
                    .wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                    .orderId(orderId).origClOrdId(origClOrdId).encodedLength());
            } else if (choice < 49) {
                long orderId = orderId();
                String origClOrdId = targetClOrdId();
                long price = price(tsla);
                long quantity = quantity();
                return RawClient.frame(b -> MessageHeaderEncoder.ENCODED_LENGTH + new AmendOrderEncoder()
                    .wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                    .orderId(orderId).origClOrdId(origClOrdId).newPrice(price).newQuantity(quantity).encodedLength());
            } else if (choice < 57) {
                long requestId = random.nextLong();
                long securityId = random.nextInt(3) == 0 ? MassCancelEncoder.securityIdNullValue() : securityId();
                SideFilter side = SideFilter.values()[random.nextInt(3)];
                return RawClient.frame(b -> MessageHeaderEncoder.ENCODED_LENGTH + new MassCancelEncoder()
                    .wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                    .requestId(requestId).securityId(securityId).side(side).encodedLength());
            } else if (choice < 72) {
                return massQuote();
            } else if (choice < 78) {
                long nextSeqNo = random.nextLong();
                return RawClient.frame(b -> MessageHeaderEncoder.ENCODED_LENGTH + new SequenceEncoder()
                    .wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                    .nextSeqNo(nextSeqNo).encodedLength());
            } else if (choice < 93) {
                long uuid = random.nextInt(10) == 0 ? random.nextLong() : fuzzUuid;
                long from = random.nextInt(10) == 0 ? interesting() : 1 + random.nextInt((int) Math.max(1, fuzzNextSeqNo + 1));
                long count = random.nextInt(10) == 0 ? interesting() & 0xFFFF_FFFFL : random.nextInt(20);
                return RawClient.frame(b -> MessageHeaderEncoder.ENCODED_LENGTH + new RetransmitRequestEncoder()
                    .wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                    .uuid(uuid).fromSeqNo(from).count(count).encodedLength());
            } else if (choice < 96) {
                return RawClient.frame(RawClient.negotiate(random.nextLong(), timestamp(), fuzzKey, fuzzSecret,
                    random.nextBoolean(), random.nextInt(1000)));
            } else if (choice < 99) {
                return RawClient.frame(RawClient.establish(fuzzUuid, timestamp(), fuzzKey, fuzzSecret, KEEP_ALIVE_MS));
            }
            return RawClient.frame(b -> MessageHeaderEncoder.ENCODED_LENGTH + new TerminateEncoder()
                .wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                .uuid(fuzzUuid).errorCode(0).reason("").encodedLength());
        }

        private int newOrder(ExpandableArrayBuffer b) {
            long securityId = securityId();
            NewOrderEncoder e = new NewOrderEncoder().wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                .clOrdId(clOrdId()).securityId(securityId)
                .side(random.nextBoolean() ? Side.BUY : Side.SELL)
                .ordType(random.nextInt(4) == 0 ? OrdType.MARKET : OrdType.LIMIT)
                .timeInForce(TimeInForce.values()[random.nextInt(4)])
                .price(price(securityId)).quantity(quantity())
                .quoteBudget(random.nextInt(5) == 0 ? (random.nextBoolean() ? interesting() : random.nextInt(1_000_000_000)) : 0);
            return MessageHeaderEncoder.ENCODED_LENGTH + e.encodedLength();
        }

        private byte[] massQuote() {
            int n = random.nextInt(10) == 0 ? 33 + random.nextInt(3) : random.nextInt(6);
            RawClient.Quote[] quotes = new RawClient.Quote[n];
            for (int i = 0; i < n; i++) {
                long securityId = securityId();
                quotes[i] = new RawClient.Quote(securityId, price(securityId), random.nextInt(3) == 0 ? 0 : quantity(),
                    price(securityId), random.nextInt(3) == 0 ? 0 : quantity());
            }
            TimeInForce tif = random.nextInt(5) == 0 ? TimeInForce.values()[random.nextInt(4)]
                : random.nextBoolean() ? TimeInForce.GTC : TimeInForce.POST_ONLY;
            return RawClient.frame(RawClient.massQuote(random.nextLong(), tif, quotes));
        }

        /** (b) Up to three mutations of a framed message; its framing length follows unless one mutates it. */
        private byte[] mutated(byte[] frame) {
            byte[] f = frame;
            boolean framingMutated = false;
            int mutations = random.nextInt(10) < 2 ? 0 : 1 + random.nextInt(3);
            for (int i = 0; i < mutations && f.length > Framing.HEADER_LENGTH; i++) {
                int kind = random.nextInt(100);
                if (kind < 25) {
                    int at = Framing.HEADER_LENGTH + random.nextInt(f.length - Framing.HEADER_LENGTH);
                    f[at] ^= (byte) (1 << random.nextInt(8));
                } else if (kind < 38) {
                    int at = Framing.HEADER_LENGTH + random.nextInt(f.length - Framing.HEADER_LENGTH);
                    f[at] = (byte) random.nextInt(256);
                } else if (kind < 50) {
                    f = Arrays.copyOf(f, Framing.HEADER_LENGTH + random.nextInt(f.length - Framing.HEADER_LENGTH));
                } else if (kind < 58) {
                    byte[] tail = new byte[1 + random.nextInt(64)];
                    random.nextBytes(tail);
                    f = concat(f, tail);
                } else if (kind < 68 && f.length >= BLOCK) {
                    int blockLength = new UnsafeBuffer(f).getShort(Framing.HEADER_LENGTH, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
                    int value = switch (random.nextInt(4)) {
                        case 0 -> random.nextInt(0x10000);
                        case 1 -> blockLength - 4 + random.nextInt(9);
                        case 2 -> f.length - BLOCK + random.nextInt(2);
                        default -> 0;
                    };
                    putShort(f, Framing.HEADER_LENGTH, value);
                } else if (kind < 76 && f.length >= BLOCK) {
                    putShort(f, Framing.HEADER_LENGTH + 2, random.nextBoolean() ? pick(CLIENT_TEMPLATES)
                        : random.nextInt(PROBE_TEMPLATE_ID));
                } else if (kind < 78 && f.length >= BLOCK) {
                    putShort(f, Framing.HEADER_LENGTH + (random.nextBoolean() ? 4 : 6), random.nextInt(0x10000));
                } else if (kind < 86) {
                    // A repeating group's header, wherever a MassQuote would have it.
                    int at = BLOCK + MassQuoteDecoder.BLOCK_LENGTH + (random.nextBoolean() ? 0 : 2);
                    if (at + 2 <= f.length) {
                        putShort(f, at, random.nextBoolean() ? random.nextInt(40) : random.nextInt(0x10000));
                    }
                } else if (kind < 97 && f.length > BLOCK) {
                    int width = 1 << random.nextInt(4);
                    int at = BLOCK + random.nextInt(f.length - BLOCK);
                    long value = interesting();
                    for (int k = 0; k < width && at + k < f.length; k++) {
                        f[at + k] = (byte) (value >>> (8 * k));
                    }
                } else if (kind >= 97) {
                    framingMutated = true;
                    if (random.nextBoolean()) {
                        new UnsafeBuffer(f).putInt(0, random.nextBoolean() ? random.nextInt() : 14 + random.nextInt(200),
                            ByteOrder.BIG_ENDIAN);
                    } else {
                        f[4 + random.nextInt(2)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
            }
            if (!framingMutated) {
                new UnsafeBuffer(f).putInt(0, f.length, ByteOrder.BIG_ENDIAN);
            }
            return f;
        }

        /** (c) What a fresh connection gets: pure noise, or a few frames, handshakes among them. */
        private byte[] garbage() {
            if (random.nextInt(4) == 0) {
                byte[] noise = new byte[1 + random.nextInt(64)];
                random.nextBytes(noise);
                return noise;
            }
            byte[] all = new byte[0];
            long negotiated = 0;
            for (int parts = 1 + random.nextInt(4); parts > 0; parts--) {
                int choice = random.nextInt(100);
                byte[] part;
                if (choice < 30) {
                    part = randomFrame();
                } else if (choice < 65) {
                    negotiated = nextUuid++;
                    part = mutated(RawClient.frame(RawClient.negotiate(negotiated, timestamp(), fuzzKey, fuzzSecret,
                        random.nextBoolean(), random.nextInt(1000))));
                } else if (choice < 80) {
                    long uuid = switch (random.nextInt(3)) {
                        case 0 -> negotiated == 0 ? nextUuid++ : negotiated;
                        case 1 -> fuzzUuid;
                        default -> random.nextLong();
                    };
                    part = mutated(RawClient.frame(RawClient.establish(uuid, timestamp(), fuzzKey, fuzzSecret, KEEP_ALIVE_MS)));
                } else if (choice < 90) {
                    part = mutated(validMessage());
                } else if (choice < 95) {
                    part = RawClient.frame(b -> MessageHeaderEncoder.ENCODED_LENGTH + new TerminateEncoder()
                        .wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                        .uuid(0).errorCode(0).reason("").encodedLength());
                } else {
                    part = RawClient.frame(b -> MessageHeaderEncoder.ENCODED_LENGTH + new SequenceEncoder()
                        .wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
                        .nextSeqNo(1).encodedLength());
                }
                all = concat(all, part);
            }
            return all;
        }

        private static byte[] probe() {
            Function<ExpandableArrayBuffer, Integer> encode = b -> {
                new MessageHeaderEncoder().wrap(b, Framing.HEADER_LENGTH).blockLength(0).templateId(PROBE_TEMPLATE_ID)
                    .schemaId(MessageHeaderEncoder.SCHEMA_ID).version(MessageHeaderEncoder.SCHEMA_VERSION);
                return MessageHeaderEncoder.ENCODED_LENGTH;
            };
            return RawClient.frame(encode);
        }

        private String clOrdId() {
            String id = switch (random.nextInt(10)) {
                case 0 -> "";
                case 1 -> pick(makerClOrdIds);
                case 2 -> "~q" + random.nextInt(100);
                case 3 -> "x".repeat(36);
                case 4, 5 -> randomPrintable(1 + random.nextInt(36));
                case 6 -> usedClOrdIds.isEmpty() ? "f-0" : pick(usedClOrdIds);
                default -> "f-" + step + "-" + random.nextInt(1000);
            };
            if (usedClOrdIds.size() < 1000) {
                usedClOrdIds.add(id);
            }
            return id;
        }

        private String targetClOrdId() {
            return switch (random.nextInt(5)) {
                case 0 -> "";
                case 1, 2 -> pick(makerClOrdIds);
                case 3 -> usedClOrdIds.isEmpty() ? "" : pick(usedClOrdIds);
                default -> randomPrintable(1 + random.nextInt(36));
            };
        }

        private String randomPrintable(int length) {
            char[] chars = new char[length];
            for (int i = 0; i < length; i++) {
                chars[i] = (char) (0x21 + random.nextInt(0x7E - 0x21 + 1));
            }
            return new String(chars);
        }

        private long orderId() {
            return switch (random.nextInt(6)) {
                case 0, 1 -> pick(makerOrderIds);
                case 2 -> lastBystanderOrderId;
                case 3 -> 0;
                case 4 -> random.nextInt(10_000);
                default -> interesting();
            };
        }

        private long securityId() {
            return switch (random.nextInt(10)) {
                case 0, 1, 2, 3 -> tsla;
                case 4, 5, 6 -> nvda;
                case 7 -> random.nextInt(5);
                case 8 -> 0xFFFF_FFFFL;
                default -> random.nextLong() & 0xFFFF_FFFFL;
            };
        }

        private long price(long securityId) {
            long reference = securityId == nvda ? 18_000 : 42_000;
            return switch (random.nextInt(10)) {
                case 0, 1 -> interesting();
                case 2 -> random.nextLong();
                default -> reference - reference / 10 + random.nextInt((int) (reference / 5));
            };
        }

        private long quantity() {
            return switch (random.nextInt(10)) {
                case 0, 1 -> interesting();
                case 2 -> random.nextLong();
                default -> 1 + random.nextInt(5_000);
            };
        }

        private long interesting() {
            return INTERESTING[random.nextInt(INTERESTING.length)];
        }

        private int pick(int[] values) {
            return values[random.nextInt(values.length)];
        }

        private <T> T pick(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * A plain blocking TCP connection for the fuzzer's thread: sends bytes as given and reads the server's
     * frames, each read bounded by a deadline. Checks the server's framing and message headers.
     */
    private static final class BlockingClient implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;
        private byte[] pending = new byte[16 * 1024];
        private int pendingLength;
        private boolean ended;

        private BlockingClient(Socket socket) throws IOException {
            this.socket = socket;
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        static BlockingClient connect(int port) throws IOException {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
            return new BlockingClient(socket);
        }

        void send(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        /** The next message, or {@code null} once the server has closed the connection; fails at the deadline. */
        RawClient.Message next(long deadlineNs) throws IOException {
            while (true) {
                RawClient.Message m = take();
                if (m != null) {
                    return m;
                }
                if (ended) {
                    if (pendingLength > 0) {
                        throw new AssertionError("the connection ended inside a frame of the server's");
                    }
                    return null;
                }
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadlineNs - System.nanoTime());
                if (leftMs <= 0) {
                    throw new AssertionError("no answer within " + ANSWER_TIMEOUT.toMillis() + " ms");
                }
                socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMs));
                if (pendingLength == pending.length) {
                    pending = Arrays.copyOf(pending, pending.length * 2);
                }
                try {
                    int n = in.read(pending, pendingLength, pending.length - pendingLength);
                    if (n < 0) {
                        ended = true;
                    } else {
                        pendingLength += n;
                    }
                } catch (SocketTimeoutException e) {
                    // Loop: the deadline decides.
                } catch (SocketException e) {
                    ended = true;
                }
            }
        }

        private RawClient.Message take() {
            if (pendingLength < Framing.HEADER_LENGTH) {
                return null;
            }
            UnsafeBuffer b = new UnsafeBuffer(pending, 0, pendingLength);
            int length = Framing.frameLength(b, 0);
            int encodingType = Framing.encodingType(b, 0);
            if (!Framing.validLength(length) || encodingType != Framing.SBE_LITTLE_ENDIAN) {
                throw new AssertionError("the server sent a framing header of length " + length + ", encoding type 0x"
                    + Integer.toHexString(encodingType));
            }
            if (pendingLength < length) {
                return null;
            }
            UnsafeBuffer message = new UnsafeBuffer(Arrays.copyOfRange(pending, Framing.HEADER_LENGTH, length));
            System.arraycopy(pending, length, pending, 0, pendingLength - length);
            pendingLength -= length;
            MessageHeaderDecoder header = new MessageHeaderDecoder().wrap(message, 0);
            int templateId = header.templateId();
            Integer blockLength = SERVER_BLOCK_LENGTHS.get(templateId);
            if (blockLength == null || header.blockLength() != blockLength || header.schemaId() != MessageHeaderDecoder.SCHEMA_ID
                || header.version() != MessageHeaderDecoder.SCHEMA_VERSION
                || message.capacity() < MessageHeaderDecoder.ENCODED_LENGTH + blockLength) {
                throw new AssertionError("the server sent a malformed message: template " + templateId + ", block length "
                    + header.blockLength() + ", schema " + header.schemaId() + " version " + header.version()
                    + ", " + message.capacity() + " bytes");
            }
            return new RawClient.Message(templateId, message);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // Closing is all that was asked.
            }
        }
    }

    // ---------------------------------------------------------------------------------------------

    private static void trace(String line) {
        if (TRACE) {
            System.out.println("BinaryFuzzIT " + line);
        }
    }

    private static long deadline() {
        return System.nanoTime() + ANSWER_TIMEOUT.toNanos();
    }

    /** The next ExecutionReport, past heartbeats. */
    private static RawClient.Report nextReport(RawClient client) throws InterruptedException {
        RawClient.Message m = client.next();
        while (m.templateId() == SequenceDecoder.TEMPLATE_ID) {
            m = client.next();
        }
        return RawClient.Report.of(m);
    }

    private static String hex(byte[] bytes) {
        int shown = Math.min(bytes.length, 160);
        return bytes.length + " bytes " + HexFormat.of().formatHex(bytes, 0, shown) + (shown < bytes.length ? "…" : "");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static void putShort(byte[] bytes, int offset, int value) {
        new UnsafeBuffer(bytes).putShort(offset, (short) value, ByteOrder.LITTLE_ENDIAN);
    }
}
