package io.xex.gateway.binary;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xex.runtime.Conditions;
import io.xex.gateway.TestVenue;
import io.xex.matching.Command;
import io.xex.protocol.client.BinaryClient;
import io.xex.protocol.client.BinaryClientConfig;
import io.xex.protocol.client.BinaryListener;
import io.xex.protocol.client.Established;
import io.xex.protocol.sbe.ExecutionReportDecoder;
import io.xex.protocol.sbe.MassQuoteAckDecoder;
import io.xex.protocol.sbe.OrdType;
import io.xex.protocol.sbe.Side;
import io.xex.protocol.sbe.TimeInForce;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The project's Java client against the real gateway: it negotiates, trades, and after a disconnect and
 * after a venue restart gets every report it missed exactly once and in order, before the live ones.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class ClientSessionIT {
    private static final Duration BOUND = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    /** Reports as the listener saw them: "seqNo execType clOrdId". */
    private final List<String> reports = new CopyOnWriteArrayList<>();
    private final AtomicInteger quoteAcks = new AtomicInteger();

    private final BinaryListener listener = new BinaryListener() {
        @Override
        public void onExecutionReport(ExecutionReportDecoder report) {
            reports.add(report.seqNo() + " " + report.execType() + " " + report.clOrdId());
        }

        @Override
        public void onMassQuoteAck(MassQuoteAckDecoder ack) {
            quoteAcks.incrementAndGet();
        }
    };

    @Test
    void missedReportsArriveOnceAndInOrderAfterAReconnectAndAfterARestart() throws Exception {
        Vertx vertx = Vertx.vertx();
        Context context = vertx.getOrCreateContext();
        String bid;
        String ask;
        try {
            long lastSeqNo;
            TestVenue venue = TestVenue.start(dir, Map.of());
            int tsla = venue.instrumentId("TSLAx");
            bid = "~q" + tsla + "b";
            ask = "~q" + tsla + "a";
            byte[] secret = venue.demoSecret(1).getBytes(StandardCharsets.UTF_8);
            BinaryClientConfig config = BinaryClientConfig.of("127.0.0.1", venue.binaryPort(), 71, "demo-1", secret)
                .withCancelOnDisconnect(false, 0);
            BinaryClient client = on(context, () -> new BinaryClient(vertx, config, listener));
            try {
                assertEquals(1, TestVenue.await(on(context, client::connect)).nextSeqNo());
                on(context, () -> client.newOrder("c-1", tsla, Side.BUY, OrdType.LIMIT, TimeInForce.GTC, 41_000, 1_000, 0));
                awaitReports(1);

                TestVenue.await(on(context, client::disconnect));
                TestVenue.await(venue.engine().submit(new Command.CancelOrder(1, 0, "c-1")));
                TestVenue.await(venue.engine().submit(new Command.PlaceOrder(1, 1, "ws-2", tsla,
                    io.xex.matching.Side.BUY, io.xex.matching.OrderType.LIMIT, io.xex.matching.TimeInForce.GTC,
                    40_000, 1_000, 0)));

                Established again = TestVenue.await(on(context, client::reconnect));
                assertEquals(4, again.nextSeqNo());
                awaitReports(3);
                on(context, () -> client.massQuote(5, TimeInForce.GTC).quote(tsla, 40_500, 100, 43_500, 100).send());
                awaitReports(5);
                Conditions.awaitTrue(BOUND, () -> "the mass quote acknowledged", () -> quoteAcks.get() == 1);
                lastSeqNo = on(context, client::lastSeqNo);
            } finally {
                TestVenue.await(on(context, client::close));
                venue.close();
            }

            venue = TestVenue.start(dir, Map.of());
            try {
                // Reports made while no venue ran cannot exist; made after the restart, before the client is back:
                TestVenue.await(venue.engine().submit(new Command.CancelOrder(1, 0, "ws-2")));
                BinaryClientConfig moved = BinaryClientConfig.of("127.0.0.1", venue.binaryPort(), 71, "demo-1", secret)
                    .withCancelOnDisconnect(false, 0);
                BinaryClient resumed = on(context, () -> new BinaryClient(vertx, moved, listener));
                try {
                    assertEquals(7, TestVenue.await(on(context, () -> resumed.resume(lastSeqNo))).nextSeqNo());
                    awaitReports(6);
                } finally {
                    TestVenue.await(on(context, resumed::close));
                }
            } finally {
                venue.close();
            }
        } finally {
            TestVenue.await(vertx.close());
        }
        assertEquals(List.of("1 NEW c-1", "2 CANCELLED c-1", "3 NEW ws-2", "4 NEW " + bid, "5 NEW " + ask,
            "6 CANCELLED ws-2"), reports);
    }

    private void awaitReports(int count) {
        Conditions.awaitTrue(BOUND, () -> count + " reports, have " + reports, () -> reports.size() >= count);
    }

    /** Runs {@code action} on the client's context and returns its result. */
    private static <T> T on(Context context, Callable<T> action) throws Exception {
        return TestVenue.await(Future.<T>future(p -> context.runOnContext(v -> {
            try {
                p.complete(action.call());
            } catch (Exception e) {
                p.fail(e);
            }
        })));
    }
}
