package io.xex.gateway.binary;

import io.xex.gateway.TestVenue;
import io.xex.protocol.ProtocolCode;
import io.xex.protocol.sbe.MessageHeaderDecoder;
import io.xex.protocol.sbe.MessageHeaderEncoder;
import io.xex.protocol.sbe.SequenceDecoder;
import io.xex.protocol.sbe.SequenceEncoder;
import io.xex.protocol.sbe.TerminateDecoder;
import io.xex.protocol.Framing;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Keep-alive on an injected clock: the server sends Sequence when it has been quiet for the interval, and
 * terminates a client silent for twice the interval, or one that never establishes a session.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class KeepAliveIT {
    private static final long KEEP_ALIVE_MS = 10_000;

    @TempDir
    static Path dir;
    static TestVenue venue;
    static final TestVenue.ManualClock CLOCK = new TestVenue.ManualClock();

    @BeforeAll
    static void start() throws Exception {
        venue = TestVenue.start(dir, Map.of(), CLOCK);
    }

    @AfterAll
    static void stop() {
        venue.close();
    }

    private static long now() {
        return CLOCK.getAsLong() * 1_000_000L;
    }

    @Test
    void aQuietServerSendsSequenceAndASilentClientIsTerminated() throws Exception {
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            client.send(RawClient.negotiate(81, now(), "demo-1", venue.demoSecret(1), false, 0));
            client.next();
            assertEquals(1, client.establish(81, now() + 1, "demo-1", venue.demoSecret(1)));

            CLOCK.advance(KEEP_ALIVE_MS);
            SequenceDecoder heartbeat = new SequenceDecoder()
                .wrapAndApplyHeader(client.next(SequenceDecoder.TEMPLATE_ID).buffer(), 0, new MessageHeaderDecoder());
            assertEquals(1, heartbeat.nextSeqNo());

            // The client's own heartbeat keeps it alive past twice the interval since Establish.
            client.send(b -> MessageHeaderEncoder.ENCODED_LENGTH + new SequenceEncoder()
                .wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder()).nextSeqNo(0).encodedLength());
            client.send(RawClient.limitOrder("alive", venue.instrumentId("TSLAx"), io.xex.protocol.sbe.Side.BUY, 41_000, 1_000));
            assertEquals(1, client.nextReport().seqNo(), "the order after the heartbeat is handled");
            CLOCK.advance(KEEP_ALIVE_MS + 1);
            client.next(SequenceDecoder.TEMPLATE_ID);
            assertEquals(false, client.isClosed());

            CLOCK.advance(KEEP_ALIVE_MS);
            TerminateDecoder terminate = new TerminateDecoder()
                .wrapAndApplyHeader(client.next(TerminateDecoder.TEMPLATE_ID).buffer(), 0, new MessageHeaderDecoder());
            assertEquals(ProtocolCode.KEEPALIVE_LAPSED.code(), terminate.errorCode());
            assertEquals(81, terminate.uuid());
            client.awaitClosed();
        }
    }

    @Test
    void aConnectionThatNeverEstablishesIsClosed() throws Exception {
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            // The server may register the connection a moment after the client sees it open: move the clock
            // past the handshake timeout until the server has acted on it.
            RawClient.Message message = null;
            for (int i = 0; i < 100 && message == null; i++) {
                CLOCK.advance(5_001);
                message = client.poll(200);
            }
            assertEquals(TerminateDecoder.TEMPLATE_ID, message == null ? -1 : message.templateId());
            TerminateDecoder terminate = new TerminateDecoder()
                .wrapAndApplyHeader(message.buffer(), 0, new MessageHeaderDecoder());
            assertEquals(ProtocolCode.NOT_ESTABLISHED.code(), terminate.errorCode());
            client.awaitClosed();
        }
    }
}
