package io.xex.gateway.binary;

import io.xex.gateway.TestVenue;
import io.xex.matching.Command;
import io.xex.matching.OrderType;
import io.xex.matching.TimeInForce;
import io.xex.protocol.ProtocolCode;
import io.xex.protocol.sbe.ExecType;
import io.xex.protocol.sbe.MessageHeaderDecoder;
import io.xex.protocol.sbe.RetransmissionDecoder;
import io.xex.protocol.sbe.RetransmitRejectDecoder;
import io.xex.protocol.sbe.RetransmitRequestEncoder;
import io.xex.protocol.sbe.MessageHeaderEncoder;
import io.xex.protocol.sbe.Side;
import io.xex.protocol.Framing;
import io.xex.runtime.engine.CommandResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session's sequenced reports survive disconnects and a venue restart: a reconnecting client learns the
 * next sequence number and gets exactly what it missed, in order, from memory or from history.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RetransmitIT {
    private static final long UUID = 31;
    private static final Map<String, String> SETTINGS = Map.of("XEX_BINARY_RETRANSMITMAX", "5");

    @TempDir
    Path dir;

    @Test
    void missedReportsComeBackInOrderBeforeAndAfterARestart() throws Exception {
        List<RawClient.Report> live = new ArrayList<>();
        String secret;
        long lastTimestamp;
        TestVenue venue = TestVenue.start(dir, SETTINGS);
        try {
            int tsla = venue.instrumentId("TSLAx");
            secret = venue.demoSecret(1);
            try (RawClient client = RawClient.connect(venue.binaryPort())) {
                assertEquals(1, client.logon(UUID, "demo-1", secret, false, 0));
                client.send(RawClient.limitOrder("r1", tsla, Side.BUY, 41_000, 1_000));
                client.send(RawClient.limitOrder("r2", tsla, Side.BUY, 41_010, 1_000));
                live.add(client.nextReport());
                live.add(client.nextReport());
            }
            // While the session is away, the account's orders change through another way in (as over the WebSocket).
            CommandResult placed = TestVenue.await(venue.engine().submit(new Command.PlaceOrder(1, 1, "ws-1", tsla,
                io.xex.matching.Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 43_000, 1_000, 0)));
            long wsOrder = ((Command.PlaceOrder) placed.command()).orderId();
            TestVenue.await(venue.engine().submit(new Command.CancelOrder(1, wsOrder, null)));
            TestVenue.await(venue.engine().submit(new Command.CancelOrder(1, 0, "r1")));

            try (RawClient client = RawClient.connect(venue.binaryPort())) {
                lastTimestamp = System.currentTimeMillis() * 1_000_000L;
                assertEquals(6, client.establish(UUID, lastTimestamp, "demo-1", secret), "three reports were missed");
                client.send(retransmitRequest(3, 3));
                List<RawClient.Report> missed = retransmission(client, 3, 3);
                assertEquals(List.of(ExecType.NEW, ExecType.CANCELLED, ExecType.CANCELLED),
                    missed.stream().map(RawClient.Report::execType).toList());
                assertEquals(wsOrder, missed.get(0).orderId());
                assertEquals("ws-1", missed.get(0).clOrdId());
                assertEquals(live.get(0).orderId(), missed.get(2).orderId());
                missed.forEach(r -> assertTrue(r.possRetrans()));
                missed.forEach(r -> live.add(unflagged(r)));

                assertRetransmitRejected(client, 6, 1, ProtocolCode.RETRANSMIT_OUT_OF_RANGE);
                assertRetransmitRejected(client, 0, 1, ProtocolCode.RETRANSMIT_OUT_OF_RANGE);
                assertRetransmitRejected(client, 1, 6, ProtocolCode.RETRANSMIT_OUT_OF_RANGE);
                assertRetransmitRejected(client, 1, 0, ProtocolCode.RETRANSMIT_OUT_OF_RANGE);
            }
        } finally {
            venue.close();
        }

        // After a restart the session and its numbering are still there, and old reports come from history.
        venue = TestVenue.start(dir, SETTINGS);
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            assertEquals(6, client.establish(UUID, lastTimestamp + 1, "demo-1", secret));
            client.send(retransmitRequest(1, 5));
            List<RawClient.Report> all = retransmission(client, 1, 5);
            assertEquals(live, all.stream().map(RetransmitIT::unflagged).toList());

            TestVenue.await(venue.engine().submit(new Command.CancelOrder(1, 0, "r2")));
            RawClient.Report next = client.nextReport();
            assertEquals(6, next.seqNo());
            assertEquals(live.get(1).orderId(), next.orderId());
            assertEquals(ExecType.CANCELLED, next.execType());
        } finally {
            venue.close();
        }
    }

    @Test
    void aRequestOverTheCapIsRefused() throws Exception {
        try (TestVenue venue = TestVenue.start(dir, SETTINGS);
             RawClient client = RawClient.connect(venue.binaryPort())) {
            client.logon(UUID, "demo-1", venue.demoSecret(1), false, 0);
            int tsla = venue.instrumentId("TSLAx");
            for (int i = 0; i < 6; i++) {
                client.send(RawClient.limitOrder("cap-" + i, tsla, Side.BUY, 40_000 + i, 1_000));
            }
            for (int i = 0; i < 6; i++) {
                client.nextReport();
            }
            assertRetransmitRejected(client, 1, 6, ProtocolCode.RETRANSMIT_TOO_LARGE);
            client.send(retransmitRequest(2, 5));
            assertEquals(5, retransmission(client, 2, 5).size());
        }
    }

    private static RawClient.Report unflagged(RawClient.Report r) {
        return new RawClient.Report(r.seqNo(), false, r.engineSeq(), r.orderId(), r.clOrdId(), r.securityId(), r.side(),
            r.execType(), r.ordStatus(), r.price(), r.orderQty(), r.leavesQty(), r.cumQty(), r.lastPx(), r.lastQty(),
            r.tradeId(), r.fee(), r.liquidity(), r.reason());
    }

    static java.util.function.Function<org.agrona.ExpandableArrayBuffer, Integer> retransmitRequest(long from, long count) {
        return b -> MessageHeaderEncoder.ENCODED_LENGTH + new RetransmitRequestEncoder()
            .wrapAndApplyHeader(b, Framing.HEADER_LENGTH, new MessageHeaderEncoder())
            .uuid(UUID).fromSeqNo(from).count(count).encodedLength();
    }

    /** Reads a Retransmission header for (from, count) and the reports that follow it. */
    private static List<RawClient.Report> retransmission(RawClient client, long from, long count) throws Exception {
        RetransmissionDecoder header = new RetransmissionDecoder()
            .wrapAndApplyHeader(client.next(RetransmissionDecoder.TEMPLATE_ID).buffer(), 0, new MessageHeaderDecoder());
        assertEquals(from, header.fromSeqNo());
        assertEquals(count, header.count());
        List<RawClient.Report> reports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            RawClient.Report report = client.nextReport();
            assertEquals(from + i, report.seqNo());
            assertTrue(report.possRetrans());
            reports.add(report);
        }
        return reports;
    }

    private static void assertRetransmitRejected(RawClient client, long from, long count, ProtocolCode code) throws Exception {
        client.send(retransmitRequest(from, count));
        RetransmitRejectDecoder reject = new RetransmitRejectDecoder()
            .wrapAndApplyHeader(client.next(RetransmitRejectDecoder.TEMPLATE_ID).buffer(), 0, new MessageHeaderDecoder());
        assertEquals(code.code(), reject.errorCode(), reject.reason());
    }
}
