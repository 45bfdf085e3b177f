package io.xex.gateway.binary;

import io.xex.gateway.TestVenue;
import io.xex.matching.Side;
import io.xex.protocol.ProtocolCode;
import io.xex.protocol.sbe.BusinessRejectDecoder;
import io.xex.protocol.sbe.ExecType;
import io.xex.protocol.sbe.MassQuoteAckDecoder;
import io.xex.protocol.sbe.MessageHeaderDecoder;
import io.xex.protocol.sbe.TimeInForce;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MassQuote replaces the account's two-sided quote per symbol and acknowledges each quote. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MassQuoteIT {
    @TempDir
    static Path dir;
    static TestVenue venue;
    static int tsla;
    static int nvda;

    @BeforeAll
    static void start() throws Exception {
        venue = TestVenue.start(dir, Map.of());
        tsla = venue.instrumentId("TSLAx");
        nvda = venue.instrumentId("NVDAx");
    }

    @AfterAll
    static void stop() {
        venue.close();
    }

    /** The account's live orders as "side price quantity" by client order id. */
    private static Map<String, String> book(long account) throws Exception {
        return TestVenue.await(venue.engine().query(e -> {
            Map<String, String> orders = new TreeMap<>();
            e.forEachOrderOf(account, o -> orders.put(o.clientOrderId(), o.side() + " " + o.price() + " " + o.remaining()));
            return orders;
        })).value();
    }

    private static MassQuoteAckDecoder ack(RawClient client) throws Exception {
        return new MassQuoteAckDecoder()
            .wrapAndApplyHeader(client.next(MassQuoteAckDecoder.TEMPLATE_ID).buffer(), 0, new MessageHeaderDecoder());
    }

    @Test
    void aQuoteReplacesTheLastOneOnItsSymbolAndQuantityZeroWithdrawsASide() throws Exception {
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            client.logon(51, "demo-1", venue.demoSecret(1), false, 0);
            client.send(RawClient.massQuote(1, TimeInForce.GTC,
                new RawClient.Quote(tsla, 41_000, 1_000, 43_000, 1_000),
                new RawClient.Quote(nvda, 17_000, 2_000, 19_000, 2_000)));
            List<RawClient.Report> reports = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                reports.add(client.nextReport());
            }
            reports.forEach(r -> assertEquals(ExecType.NEW, r.execType()));
            MassQuoteAckDecoder first = ack(client);
            assertEquals(1, first.requestId());
            List<Long> firstIds = new ArrayList<>();
            for (MassQuoteAckDecoder.QuotesDecoder q : first.quotes()) {
                assertEquals(0, q.bidStatus());
                assertEquals(0, q.askStatus());
                firstIds.add(q.bidOrderId());
                firstIds.add(q.askOrderId());
            }
            assertEquals(reports.stream().map(RawClient.Report::orderId).sorted().toList(), firstIds.stream().sorted().toList());
            assertEquals(Map.of(
                "~q" + tsla + "b", "BUY 41000 1000", "~q" + tsla + "a", "SELL 43000 1000",
                "~q" + nvda + "b", "BUY 17000 2000", "~q" + nvda + "a", "SELL 19000 2000"), book(1));

            // TSLAx only: a new bid, no ask; NVDAx untouched.
            client.send(RawClient.massQuote(2, TimeInForce.GTC, new RawClient.Quote(tsla, 41_500, 500, 0, 0)));
            List<ExecType> kinds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                kinds.add(client.nextReport().execType());
            }
            assertEquals(List.of(ExecType.CANCELLED, ExecType.NEW, ExecType.CANCELLED), kinds);
            MassQuoteAckDecoder second = ack(client);
            MassQuoteAckDecoder.QuotesDecoder q = second.quotes().next();
            assertEquals(0, q.bidStatus());
            assertTrue(q.bidOrderId() > 0);
            assertEquals(0, q.askOrderId(), "no ask asked for");
            assertEquals(Map.of(
                "~q" + tsla + "b", "BUY 41500 500",
                "~q" + nvda + "b", "BUY 17000 2000", "~q" + nvda + "a", "SELL 19000 2000"), book(1));
        }
    }

    @Test
    void aQuoteSideTheEngineRefusesCarriesItsNumberAndTheReservedIdsAreTheQuotesOnly() throws Exception {
        try (RawClient client = RawClient.connect(venue.binaryPort())) {
            client.logon(52, "demo-2", venue.demoSecret(2), false, 0);
            client.send(RawClient.massQuote(9, TimeInForce.POST_ONLY, new RawClient.Quote(tsla, 10_000, 1_000, 43_500, 1_000)));
            assertEquals(ExecType.REJECTED, client.nextReport().execType());
            assertEquals(ExecType.NEW, client.nextReport().execType());
            MassQuoteAckDecoder.QuotesDecoder q = ack(client).quotes().next();
            assertEquals(io.xex.matching.RejectReason.TRADING_PRICE_OUTSIDE_ENTRY_BAND.code(), q.bidStatus());
            assertEquals(0, q.bidOrderId());
            assertEquals(0, q.askStatus());

            client.send(RawClient.limitOrder("~q0b", tsla, io.xex.protocol.sbe.Side.BUY, 41_000, 1_000));
            BusinessRejectDecoder reject = new BusinessRejectDecoder()
                .wrapAndApplyHeader(client.next(BusinessRejectDecoder.TEMPLATE_ID).buffer(), 0, new MessageHeaderDecoder());
            assertEquals(ProtocolCode.RESERVED_CLIENT_ORDER_ID.code(), reject.errorCode());
            assertEquals(Side.SELL + " 43500 1000", book(2).get("~q" + tsla + "a"));
        }
    }
}
