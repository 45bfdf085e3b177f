package io.xex.gateway.binary;

import io.xex.gateway.TestVenue;
import io.xex.protocol.ProtocolCode;
import io.xex.protocol.sbe.BusinessRejectDecoder;
import io.xex.protocol.sbe.ExecType;
import io.xex.protocol.sbe.Liquidity;
import io.xex.protocol.sbe.MassCancelAckDecoder;
import io.xex.protocol.sbe.MessageHeaderDecoder;
import io.xex.protocol.sbe.OrdStatus;
import io.xex.protocol.sbe.Side;
import io.xex.protocol.sbe.SideFilter;
import io.xex.matching.RejectReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Orders over real TCP on an established session: acknowledgements, an idempotent resend, trades on both
 * sides, engine rejects with their numbers, cancel, amend and mass cancel. Each test uses its own accounts.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class OrderFlowIT {
    private static final AtomicLong UUIDS = new AtomicLong(2000);

    @TempDir
    static Path dir;
    static TestVenue venue;
    static int tsla;

    @BeforeAll
    static void start() throws Exception {
        venue = TestVenue.start(dir, Map.of("XEX_GATEWAY_DEMO_ACCOUNTS", "8"));
        tsla = venue.instrumentId("TSLAx");
    }

    @AfterAll
    static void stop() {
        venue.close();
    }

    private static RawClient session(long account) throws Exception {
        RawClient client = RawClient.connect(venue.binaryPort());
        assertEquals(1, client.logon(UUIDS.incrementAndGet(), "demo-" + account, venue.demoSecret(account), false, 0));
        return client;
    }

    @Test
    void aNewOrderIsAcknowledgedAndItsResendIsRecognisedNotEntered() throws Exception {
        try (RawClient client = session(1)) {
            client.send(RawClient.limitOrder("buy-1", tsla, Side.BUY, 41_000, 1_000));
            RawClient.Report ack = client.nextReport();
            assertEquals(1, ack.seqNo());
            assertEquals(ExecType.NEW, ack.execType());
            assertEquals(OrdStatus.NEW, ack.ordStatus());
            assertEquals("buy-1", ack.clOrdId());
            assertEquals(41_000, ack.price());
            assertEquals(1_000, ack.leavesQty());
            assertTrue(ack.orderId() > 0);

            client.send(RawClient.limitOrder("buy-1", tsla, Side.BUY, 41_000, 1_000));
            BusinessRejectDecoder reject = new BusinessRejectDecoder()
                .wrapAndApplyHeader(client.next(BusinessRejectDecoder.TEMPLATE_ID).buffer(), 0, new MessageHeaderDecoder());
            assertEquals(ProtocolCode.DUPLICATE_CLIENT_ORDER_ID.code(), reject.errorCode());
            assertEquals(ack.orderId(), reject.orderId());
            assertEquals("buy-1", reject.clOrdId());
            assertEquals(List.of(ack.orderId()), venue.liveOrders(1));
        }
    }

    @Test
    void anOrderEnteredBeforeTheSessionExistedIsRecognisedToo() throws Exception {
        // Entered another way (as over the WebSocket) and already over: an IOC that found nothing.
        io.xex.runtime.engine.CommandResult entered = TestVenue.await(venue.engine().submit(new io.xex.matching.Command.PlaceOrder(
            7, 1, "before", tsla, io.xex.matching.Side.BUY, io.xex.matching.OrderType.LIMIT,
            io.xex.matching.TimeInForce.IOC, 41_000, 1_000, 0)));
        long orderId = ((io.xex.matching.Command.PlaceOrder) entered.command()).orderId();
        try (RawClient client = session(7)) {
            client.send(RawClient.limitOrder("before", tsla, Side.BUY, 41_000, 1_000));
            BusinessRejectDecoder reject = new BusinessRejectDecoder()
                .wrapAndApplyHeader(client.next(BusinessRejectDecoder.TEMPLATE_ID).buffer(), 0, new MessageHeaderDecoder());
            assertEquals(ProtocolCode.DUPLICATE_CLIENT_ORDER_ID.code(), reject.errorCode());
            assertEquals(orderId, reject.orderId());
        }
    }

    @Test
    void aTradeIsReportedToBothSidesWithFeesAndLiquidity() throws Exception {
        try (RawClient seller = session(2); RawClient buyer = session(3)) {
            seller.send(RawClient.limitOrder("ask", tsla, Side.SELL, 42_000, 2_000));
            RawClient.Report resting = seller.nextReport();
            assertEquals(ExecType.NEW, resting.execType());

            buyer.send(RawClient.limitOrder("bid", tsla, Side.BUY, 42_000, 500));
            RawClient.Report accepted = buyer.nextReport();
            RawClient.Report taken = buyer.nextReport();
            assertEquals(ExecType.NEW, accepted.execType());
            assertEquals(ExecType.TRADE, taken.execType());
            assertEquals(2, taken.seqNo());
            assertEquals(OrdStatus.FILLED, taken.ordStatus());
            assertEquals(42_000, taken.lastPx());
            assertEquals(500, taken.lastQty());
            assertEquals(Liquidity.TAKER, taken.liquidity());
            assertTrue(taken.fee() > 0, "the taker pays a fee");

            RawClient.Report made = seller.nextReport();
            assertEquals(ExecType.TRADE, made.execType());
            assertEquals(OrdStatus.PARTIALLY_FILLED, made.ordStatus());
            assertEquals(resting.orderId(), made.orderId());
            assertEquals(1_500, made.leavesQty());
            assertEquals(500, made.cumQty());
            assertEquals(Liquidity.MAKER, made.liquidity());
            assertEquals(taken.tradeId(), made.tradeId());
        }
    }

    @Test
    void engineRejectsCarryTheirNumbers() throws Exception {
        try (RawClient client = session(4)) {
            client.send(RawClient.limitOrder("far", tsla, Side.BUY, 10_000, 1_000));
            RawClient.Report rejected = client.nextReport();
            assertEquals(ExecType.REJECTED, rejected.execType());
            assertEquals(OrdStatus.REJECTED, rejected.ordStatus());
            assertEquals(RejectReason.TRADING_PRICE_OUTSIDE_ENTRY_BAND.code(), rejected.reason());
            assertEquals(0, rejected.orderId());
            assertEquals("far", rejected.clOrdId());

            client.send(RawClient.cancel(0, "nothing-like-it"));
            RawClient.Report unknown = client.nextReport();
            assertEquals(ExecType.REJECTED, unknown.execType());
            assertEquals(RejectReason.REQUEST_UNKNOWN_ORDER.code(), unknown.reason());
            assertEquals(2, unknown.seqNo());
        }
    }

    @Test
    void cancelByClientOrderIdAndAmendByOrderId() throws Exception {
        try (RawClient client = session(5)) {
            client.send(RawClient.limitOrder("c1", tsla, Side.BUY, 40_000, 1_000));
            long orderId = client.nextReport().orderId();
            client.send(RawClient.amend(orderId, "", 40_100, 800));
            RawClient.Report amended = client.nextReport();
            assertEquals(ExecType.AMENDED, amended.execType());
            assertEquals(40_100, amended.price());
            assertEquals(800, amended.orderQty());

            client.send(RawClient.cancel(0, "c1"));
            RawClient.Report cancelled = client.nextReport();
            assertEquals(ExecType.CANCELLED, cancelled.execType());
            assertEquals(OrdStatus.CANCELLED, cancelled.ordStatus());
            assertEquals(orderId, cancelled.orderId());
            assertEquals(io.xex.matching.DoneReason.CANCELLED.code(), cancelled.reason());
            assertEquals(List.of(), venue.liveOrders(5));
        }
    }

    @Test
    void massCancelByOneSideLeavesTheOtherSide() throws Exception {
        try (RawClient client = session(6)) {
            client.send(RawClient.limitOrder("b1", tsla, Side.BUY, 40_000, 1_000));
            client.send(RawClient.limitOrder("b2", tsla, Side.BUY, 40_010, 1_000));
            client.send(RawClient.limitOrder("s1", tsla, Side.SELL, 44_000, 1_000));
            client.nextReport();
            client.nextReport();
            long sell = client.nextReport().orderId();

            client.send(RawClient.massCancel(77, tsla, SideFilter.BUY));
            assertEquals(ExecType.CANCELLED, client.nextReport().execType());
            assertEquals(ExecType.CANCELLED, client.nextReport().execType());
            MassCancelAckDecoder ack = new MassCancelAckDecoder()
                .wrapAndApplyHeader(client.next(MassCancelAckDecoder.TEMPLATE_ID).buffer(), 0, new MessageHeaderDecoder());
            assertEquals(77, ack.requestId());
            assertEquals(0, ack.errorCode());
            assertEquals(2, ack.cancelledCount());
            assertEquals(List.of(sell), venue.liveOrders(6));

            client.send(RawClient.massCancel(78, -1, SideFilter.ANY));
            assertEquals(ExecType.CANCELLED, client.nextReport().execType());
            ack.wrapAndApplyHeader(client.next(MassCancelAckDecoder.TEMPLATE_ID).buffer(), 0, new MessageHeaderDecoder());
            assertEquals(1, ack.cancelledCount());
            assertEquals(List.of(), venue.liveOrders(6));
        }
    }
}
