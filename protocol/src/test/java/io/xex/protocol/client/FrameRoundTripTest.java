package io.xex.protocol.client;

import io.vertx.core.buffer.Buffer;
import io.xex.protocol.Framing;
import io.xex.protocol.sbe.MassQuoteDecoder;
import io.xex.protocol.sbe.MessageHeaderDecoder;
import io.xex.protocol.sbe.NewOrderDecoder;
import io.xex.protocol.sbe.OrdType;
import io.xex.protocol.sbe.Side;
import io.xex.protocol.sbe.TerminateDecoder;
import io.xex.protocol.sbe.TimeInForce;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Frames written by the client's encoder, cut at arbitrary TCP chunk boundaries, read back whole. */
class FrameRoundTripTest {
    private static final int NEW_ORDER_FRAME = Framing.HEADER_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH
        + NewOrderDecoder.BLOCK_LENGTH;

    private final FrameEncoder encoder = new FrameEncoder();
    private final List<byte[]> messages = new ArrayList<>();
    private final FrameReader reader = new FrameReader((buffer, offset, length) -> {
        byte[] copy = new byte[length];
        buffer.getBytes(offset, copy);
        messages.add(copy);
    }, Framing.MAX_FRAME_LENGTH);

    @Test
    void aNewOrderRoundTripsWhateverTheChunkBoundary() {
        byte[] frame = newOrderFrame("bid-1", 7);
        assertEquals(NEW_ORDER_FRAME, frame.length);
        assertEquals(frame.length, new UnsafeBuffer(frame).getInt(0, ByteOrder.BIG_ENDIAN));
        for (int cut = 0; cut <= frame.length; cut++) {
            messages.clear();
            reader.reset();
            assertTrue(reader.onData(Buffer.buffer(Arrays.copyOfRange(frame, 0, cut))));
            assertEquals(cut == frame.length ? 1 : 0, messages.size(), "after the first " + cut + " bytes");
            assertTrue(reader.onData(Buffer.buffer(Arrays.copyOfRange(frame, cut, frame.length))));
            assertEquals(1, messages.size(), "cut at " + cut);
            assertNewOrder(messages.getFirst(), "bid-1", 7);
        }
    }

    @Test
    void manyFramesRoundTripInRandomChunks() {
        Random random = new Random(20_251_121);
        Buffer stream = Buffer.buffer();
        int count = 300;
        for (int i = 0; i < count; i++) {
            stream.appendBytes(i % 3 == 2 ? massQuoteFrame(i) : newOrderFrame("o-" + i, i));
        }
        byte[] bytes = stream.getBytes();
        for (int round = 0; round < 20; round++) {
            messages.clear();
            reader.reset();
            int at = 0;
            while (at < bytes.length) {
                int n = Math.min(bytes.length - at, 1 + random.nextInt(round < 10 ? 16 : 3 * Framing.MAX_FRAME_LENGTH));
                assertTrue(reader.onData(Buffer.buffer(Arrays.copyOfRange(bytes, at, at + n))));
                at += n;
            }
            assertEquals(count, messages.size());
            for (int i = 0; i < count; i++) {
                if (i % 3 == 2) {
                    assertMassQuote(messages.get(i), i);
                } else {
                    assertNewOrder(messages.get(i), "o-" + i, i);
                }
            }
        }
    }

    @Test
    void aVariableLengthMessageRoundTrips() {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[Framing.MAX_FRAME_LENGTH]);
        int length = encoder.terminate(buffer, 0, 42, 1030, "session finished");
        assertTrue(reader.onData(Buffer.buffer(Arrays.copyOf(buffer.byteArray(), length))));
        TerminateDecoder terminate = new TerminateDecoder()
            .wrapAndApplyHeader(new UnsafeBuffer(messages.getFirst()), 0, new MessageHeaderDecoder());
        assertEquals(42, terminate.uuid());
        assertEquals(1030, terminate.errorCode());
        assertEquals("session finished", terminate.reason());
    }

    @Test
    void aLengthBelowTheMinimumBreaksTheStream() {
        assertBroken(header(Framing.MIN_FRAME_LENGTH - 1, Framing.SBE_LITTLE_ENDIAN));
    }

    @Test
    void aLengthAboveTheMaximumBreaksTheStream() {
        assertBroken(header(Framing.MAX_FRAME_LENGTH + 1, Framing.SBE_LITTLE_ENDIAN));
        reader.reset();
        assertBroken(header(-1, Framing.SBE_LITTLE_ENDIAN));
    }

    @Test
    void anotherEncodingTypeBreaksTheStream() {
        assertBroken(header(Framing.MIN_FRAME_LENGTH, 0x5BE0));
    }

    @Test
    void framesBeforeABadOneAreDeliveredAndNothingAfterIt() {
        Buffer stream = Buffer.buffer().appendBytes(newOrderFrame("a", 1))
            .appendBytes(header(3, Framing.SBE_LITTLE_ENDIAN))
            .appendBytes(newOrderFrame("b", 2));
        assertFalse(reader.onData(stream));
        assertEquals(1, messages.size());
        assertFalse(reader.onData(Buffer.buffer(newOrderFrame("c", 3))));
        assertEquals(1, messages.size());
        reader.reset();
        assertTrue(reader.onData(Buffer.buffer(newOrderFrame("d", 4))));
        assertEquals(2, messages.size());
    }

    @Test
    void aHandlerThatResetsTheReaderEndsTheChunk() {
        List<Integer> seen = new ArrayList<>();
        FrameReader[] self = new FrameReader[1];
        self[0] = new FrameReader((buffer, offset, length) -> {
            seen.add(length);
            self[0].reset();
        });
        Buffer stream = Buffer.buffer().appendBytes(newOrderFrame("a", 1)).appendBytes(newOrderFrame("b", 2));
        assertTrue(self[0].onData(stream));
        assertEquals(List.of(NEW_ORDER_FRAME - Framing.HEADER_LENGTH), seen);
    }

    private void assertBroken(byte[] bytes) {
        assertFalse(reader.onData(Buffer.buffer(bytes)));
        assertTrue(reader.broken());
        assertTrue(messages.isEmpty());
    }

    private static byte[] header(int frameLength, int encodingType) {
        UnsafeBuffer header = new UnsafeBuffer(new byte[Framing.HEADER_LENGTH]);
        header.putInt(0, frameLength, ByteOrder.BIG_ENDIAN);
        header.putShort(4, (short) encodingType, ByteOrder.BIG_ENDIAN);
        return header.byteArray();
    }

    private byte[] newOrderFrame(String clOrdId, long n) {
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[Framing.MAX_FRAME_LENGTH]);
        int length = encoder.newOrder(buffer, 0, new StringBuilder(clOrdId), 100 + n, n % 2 == 0 ? Side.BUY : Side.SELL,
            OrdType.LIMIT, TimeInForce.POST_ONLY, 41_950 + n, 10 + n, 0);
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    private byte[] massQuoteFrame(long n) {
        long[] quotes = new long[MassQuoteBuilder.MAX_QUOTES * MassQuoteBuilder.FIELDS];
        int count = (int) (n % MassQuoteBuilder.MAX_QUOTES) + 1;
        for (int i = 0; i < quotes.length; i++) {
            quotes[i] = n * 1000 + i;
        }
        UnsafeBuffer buffer = new UnsafeBuffer(new byte[Framing.MAX_FRAME_LENGTH]);
        int length = encoder.massQuote(buffer, 0, n, TimeInForce.GTC, quotes, count);
        return Arrays.copyOf(buffer.byteArray(), length);
    }

    private static void assertNewOrder(byte[] message, String clOrdId, long n) {
        NewOrderDecoder order = new NewOrderDecoder()
            .wrapAndApplyHeader(new UnsafeBuffer(message), 0, new MessageHeaderDecoder());
        assertEquals(clOrdId, order.clOrdId());
        byte[] padded = new byte[36];
        order.getClOrdId(padded, 0);
        byte[] expected = Arrays.copyOf(clOrdId.getBytes(StandardCharsets.US_ASCII), 36);
        assertArrayEquals(expected, padded, "NUL padded");
        assertEquals(100 + n, order.securityId());
        assertEquals(n % 2 == 0 ? Side.BUY : Side.SELL, order.side());
        assertEquals(OrdType.LIMIT, order.ordType());
        assertEquals(TimeInForce.POST_ONLY, order.timeInForce());
        assertEquals(41_950 + n, order.price());
        assertEquals(10 + n, order.quantity());
        assertEquals(0, order.quoteBudget());
    }

    private static void assertMassQuote(byte[] message, long n) {
        MassQuoteDecoder quote = new MassQuoteDecoder()
            .wrapAndApplyHeader(new UnsafeBuffer(message), 0, new MessageHeaderDecoder());
        assertEquals(n, quote.requestId());
        assertEquals(TimeInForce.GTC, quote.timeInForce());
        MassQuoteDecoder.QuotesDecoder quotes = quote.quotes();
        assertEquals((int) (n % MassQuoteBuilder.MAX_QUOTES) + 1, quotes.count());
        int i = 0;
        for (MassQuoteDecoder.QuotesDecoder row : quotes) {
            long base = n * 1000 + (long) i * MassQuoteBuilder.FIELDS;
            assertEquals(base, row.securityId());
            assertEquals(base + 1, row.bidPrice());
            assertEquals(base + 2, row.bidQuantity());
            assertEquals(base + 3, row.askPrice());
            assertEquals(base + 4, row.askQuantity());
            i++;
        }
        assertEquals(message.length, quote.sbeRewind().sbeDecodedLength() + MessageHeaderDecoder.ENCODED_LENGTH);
    }
}
