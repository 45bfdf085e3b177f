package io.xex.gateway.binary;

import io.xex.gateway.TestVenue;
import io.xex.protocol.ProtocolCode;
import io.xex.protocol.sbe.EstablishmentAckDecoder;
import io.xex.protocol.sbe.EstablishmentRejectDecoder;
import io.xex.protocol.sbe.NegotiationRejectDecoder;
import io.xex.protocol.sbe.NegotiationResponseDecoder;
import io.xex.protocol.sbe.Side;
import io.xex.protocol.sbe.TerminateDecoder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Negotiate and Establish over real TCP: success, every refusal, and what is allowed before Establish. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class HandshakeIT {
    private static final AtomicLong UUIDS = new AtomicLong(1000);
    private static final long NS = 1_000_000L;

    @TempDir
    static Path dir;
    static TestVenue venue;
    static String secret;

    @BeforeAll
    static void start() throws Exception {
        venue = TestVenue.start(dir, Map.of());
        secret = venue.demoSecret(1);
    }

    @AfterAll
    static void stop() {
        venue.close();
    }

    private static long now() {
        return System.currentTimeMillis() * NS;
    }

    @Test
    void negotiateThenEstablishStartsAtSequenceOne() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            long t = now();
            client.send(RawClient.negotiate(uuid, t, "demo-1", secret, true, 2000));
            NegotiationResponseDecoder response = new NegotiationResponseDecoder();
            RawClient.Message m = client.next(NegotiationResponseDecoder.TEMPLATE_ID);
            response.wrapAndApplyHeader(m.buffer(), 0, new io.xex.protocol.sbe.MessageHeaderDecoder());
            assertEquals(uuid, response.uuid());
            assertEquals(t, response.requestTimestamp());
            assertEquals(2000, response.codGraceMs());

            client.send(RawClient.establish(uuid, t + 1, "demo-1", secret, 5000));
            EstablishmentAckDecoder ack = new EstablishmentAckDecoder();
            ack.wrapAndApplyHeader(client.next(EstablishmentAckDecoder.TEMPLATE_ID).buffer(), 0,
                new io.xex.protocol.sbe.MessageHeaderDecoder());
            assertEquals(uuid, ack.uuid());
            assertEquals(1, ack.nextSeqNo());
            assertEquals(5000, ack.keepAliveIntervalMs());
        }
    }

    @Test
    void negotiateRefusals() throws Exception {
        long taken = UUIDS.incrementAndGet();
        negotiated(taken);
        assertNegotiationRejected(RawClient.negotiate(UUIDS.incrementAndGet(), now(), "demo-1", "wrong-secret-0123456789", false, 0),
            ProtocolCode.BAD_SIGNATURE);
        assertNegotiationRejected(RawClient.negotiate(UUIDS.incrementAndGet(), now(), "nobody", secret, false, 0),
            ProtocolCode.UNKNOWN_KEY);
        assertNegotiationRejected(RawClient.negotiate(UUIDS.incrementAndGet(), now() - 60_000 * NS, "demo-1", secret, false, 0),
            ProtocolCode.TIMESTAMP_OUT_OF_WINDOW);
        assertNegotiationRejected(RawClient.negotiate(0, now(), "demo-1", secret, false, 0), ProtocolCode.INVALID_UUID);
        assertNegotiationRejected(RawClient.negotiate(taken, now(), "demo-1", secret, false, 0), ProtocolCode.UUID_TAKEN);
        assertNegotiationRejected(RawClient.negotiate(UUIDS.incrementAndGet(), now(), "demo-1", secret, true, 3_600_000),
            ProtocolCode.GRACE_OUT_OF_RANGE);
    }

    @Test
    void establishRefusals() throws Exception {
        long uuid = UUIDS.incrementAndGet();
        long negotiatedAt = negotiated(uuid);
        assertEstablishmentRejected(RawClient.establish(UUIDS.incrementAndGet(), now(), "demo-1", secret, 5000),
            ProtocolCode.UNKNOWN_UUID);
        assertEstablishmentRejected(RawClient.establish(uuid, negotiatedAt, "demo-1", secret, 5000),
            ProtocolCode.TIMESTAMP_NOT_INCREASING);
        assertEstablishmentRejected(RawClient.establish(uuid, now(), "demo-2", venue.demoSecret(2), 5000),
            ProtocolCode.WRONG_KEY);
        assertEstablishmentRejected(RawClient.establish(uuid, now(), "demo-1", secret, 10),
            ProtocolCode.KEEPALIVE_OUT_OF_RANGE);
        assertEstablishmentRejected(RawClient.establish(uuid, now(), "demo-1", "wrong-secret-0123456789", 5000),
            ProtocolCode.BAD_SIGNATURE);

        RawClient first = RawClient.connect(venue.binaryPort());
        long t = now();
        first.send(RawClient.establish(uuid, t, "demo-1", secret, 5000));
        first.next(EstablishmentAckDecoder.TEMPLATE_ID);
        assertEstablishmentRejected(RawClient.establish(uuid, t + 1, "demo-1", secret, 5000),
            ProtocolCode.ALREADY_ESTABLISHED);
        // The same request replayed on a new connection once the first is gone: refused, it is not newer.
        first.close();
        first.awaitClosed();
        assertEstablishmentRejected(RawClient.establish(uuid, t, "demo-1", secret, 5000),
            ProtocolCode.TIMESTAMP_NOT_INCREASING);
    }

    @Test
    void anOrderBeforeEstablishTerminatesTheConnection() throws Exception {
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            client.send(RawClient.limitOrder("early", 1, Side.BUY, 100, 1));
            TerminateDecoder terminate = new TerminateDecoder();
            terminate.wrapAndApplyHeader(client.next(TerminateDecoder.TEMPLATE_ID).buffer(), 0,
                new io.xex.protocol.sbe.MessageHeaderDecoder());
            assertEquals(ProtocolCode.NOT_ESTABLISHED.code(), terminate.errorCode());
            client.awaitClosed();
        }
    }

    /** Negotiates {@code uuid} on a connection of its own; returns the request timestamp. */
    private static long negotiated(long uuid) throws Exception {
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            long t = now();
            client.send(RawClient.negotiate(uuid, t, "demo-1", secret, false, 0));
            client.next(NegotiationResponseDecoder.TEMPLATE_ID);
            return t;
        }
    }

    private static void assertNegotiationRejected(java.util.function.Function<org.agrona.ExpandableArrayBuffer, Integer> request,
                                                  ProtocolCode code) throws Exception {
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            client.send(request);
            NegotiationRejectDecoder reject = new NegotiationRejectDecoder();
            reject.wrapAndApplyHeader(client.next(NegotiationRejectDecoder.TEMPLATE_ID).buffer(), 0,
                new io.xex.protocol.sbe.MessageHeaderDecoder());
            assertEquals(code.code(), reject.errorCode(), reject.reason());
            client.awaitClosed();
            assertTrue(client.isClosed());
        }
    }

    private static void assertEstablishmentRejected(java.util.function.Function<org.agrona.ExpandableArrayBuffer, Integer> request,
                                                    ProtocolCode code) throws Exception {
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            client.send(request);
            EstablishmentRejectDecoder reject = new EstablishmentRejectDecoder();
            reject.wrapAndApplyHeader(client.next(EstablishmentRejectDecoder.TEMPLATE_ID).buffer(), 0,
                new io.xex.protocol.sbe.MessageHeaderDecoder());
            assertEquals(code.code(), reject.errorCode(), reject.reason());
            client.awaitClosed();
        }
    }
}
