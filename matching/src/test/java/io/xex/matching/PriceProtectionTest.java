package io.xex.matching;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static io.xex.matching.EngineFixture.NVDAX;
import static io.xex.matching.EngineFixture.TSLAX;
import static io.xex.matching.EngineFixture.USDT;
import static io.xex.matching.EngineFixture.gtc;
import static io.xex.matching.EngineFixture.limit;
import static io.xex.matching.EngineFixture.market;
import static io.xex.matching.EngineFixture.marketBudget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Price protection (SPEC §4): entry and execution bands around the reference price, the tighter bands
 * and refused MARKET orders while the underlying is closed, the reference following our own trades
 * while closed, operator states, and the volatility guard.
 *
 * <p>Bands of TSLAx, reference 10,000 ticks:
 * <pre>
 *   OPEN                entry ±1000 bps: 9,000..11,000   execution ±500 bps: 9,500..10,500
 *   CLOSED_UNDERLYING   entry  ±500 bps: 9,500..10,500   execution ±250 bps: 9,750..10,250
 * </pre>
 * The guard halts for two minutes when a trade would be more than 300 bps from the first trade price of a
 * one-minute window.
 */
class PriceProtectionTest {
    private static final long GUARD_WINDOW_NS = 60_000_000_000L;
    private static final long GUARD_HALT_NS = 120_000_000_000L;
    private static final long REFERENCE_PERIOD_NS = 60_000_000_000L;
    private static final BandSpec BANDS =
        new BandSpec(1_000, 500, 500, 250, 500, REFERENCE_PERIOD_NS, 300, GUARD_WINDOW_NS, GUARD_HALT_NS);
    private static final long REFERENCE = 10_000;

    /** TSLAx OPEN at the reference with its bands: 10,000 ± 10% entry, ± 5% execution. */
    private static final Event.Status OPEN_AT_REFERENCE =
        status(TradingState.OPEN, 10_000, 9_000, 11_000, 9_500, 10_500);

    private static EngineFixture bandedMarket(TradingState state, long reference) {
        EngineFixture f = new EngineFixture(BANDS, state, reference);
        f.fundedAccount(1);
        f.fundedAccount(2);
        f.fundedAccount(3);
        return f;
    }

    private static EngineFixture open() {
        return bandedMarket(TradingState.OPEN, REFERENCE);
    }

    /** Closed for longer than a reference period, so the next trade between two accounts moves it a full step. */
    private static EngineFixture closed() {
        EngineFixture f = bandedMarket(TradingState.CLOSED_UNDERLYING, REFERENCE);
        f.advanceNs(REFERENCE_PERIOD_NS);
        return f;
    }

    private static Event.Status status(TradingState state, long reference, long entryLow, long entryHigh,
                                       long executionLow, long executionHigh) {
        return new Event.Status(TSLAX, state, reference, entryLow, entryHigh, executionLow, executionHigh);
    }

    private static Event.Rejected placeRejected(RejectReason reason) {
        return new Event.Rejected("PlaceOrder", reason);
    }

    private static Command.PlaceOrder ioc(long account, long orderId, Side side, long price, long quantity) {
        return limit(account, orderId, TSLAX, side, TimeInForce.IOC, price, quantity);
    }

    // ---------------------------------------------------------------------------------------------
    // Entry band

    @Test
    void limitOrdersAtTheEntryBandEdgesAreAccepted() {
        EngineFixture f = open();
        // entryLow = 10,000 − 10,000 × 1,000 / 10,000 = 9,000; entryHigh = 10,000 + 1,000 = 11,000
        assertEquals(List.of(
            new Event.Accepted(1, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 9_000, 1),
            new Event.Rested(1, 9_000, 1)), f.flow(gtc(1, 1, Side.BUY, 9_000, 1)));
        assertEquals(List.of(
            new Event.Accepted(2, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 11_000, 1),
            new Event.Rested(2, 11_000, 1)), f.flow(gtc(2, 2, Side.SELL, 11_000, 1)));
    }

    @Test
    void limitOrdersOneTickOutsideTheEntryBandAreRejectedOnEitherSide() {
        EngineFixture f = open();
        Event.Rejected outside = placeRejected(RejectReason.TRADING_PRICE_OUTSIDE_ENTRY_BAND);
        assertEquals(List.of(outside), f.apply(gtc(1, 1, Side.BUY, 8_999, 1)));
        assertEquals(List.of(outside), f.apply(gtc(1, 2, Side.SELL, 11_001, 1)));
        // aggressive prices are refused too: the band bounds the order's price, not only passive quotes
        assertEquals(List.of(outside), f.apply(gtc(1, 3, Side.BUY, 11_001, 1)));
        assertEquals(List.of(outside), f.apply(ioc(1, 4, Side.SELL, 8_999, 1)));
        assertEquals(0, f.engine.liveOrderCount());
        assertEquals(100_000_000, f.engine.available(1, USDT));
    }

    @Test
    void anAmendToAPriceOutsideTheEntryBandIsRejectedAndTheOrderStaysAsItWas() {
        EngineFixture f = open();
        long bid = f.rest(1, Side.BUY, 9_900, 5);
        assertEquals(List.of(new Event.Rejected("AmendOrder", RejectReason.TRADING_PRICE_OUTSIDE_ENTRY_BAND)),
            f.apply(new Command.AmendOrder(1, bid, null, 8_999, 5)));
        assertEquals(9_900, f.engine.order(bid).price());
        assertEquals(5, f.engine.order(bid).remaining());
        assertEquals(List.of(new Event.Amended(bid, 9_900, 5, 9_000, 5, 5, false), new Event.Rested(bid, 9_000, 5)),
            f.flow(new Command.AmendOrder(1, bid, null, 9_000, 5)));
    }

    // ---------------------------------------------------------------------------------------------
    // Execution band

    @Test
    void aBuyTakersRemainderExpiresAtTheUpperExecutionEdgeAfterTradingWhatIsInside() {
        EngineFixture f = open();
        // both asks are inside the entry band (≤ 11,000); only the first is inside the execution band (≤ 10,500)
        long atEdge = f.rest(1, Side.SELL, 10_500, 2);
        long beyond = f.rest(1, Side.SELL, 10_501, 3);
        long buy = f.nextOrderId();
        assertEquals(List.of(
            new Event.Accepted(buy, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 10_800, 10),
            new Event.Trade(1, buy, atEdge, 10_500, 2, 0, 0),
            new Event.Done(atEdge, DoneReason.FILLED, 2, 0),
            new Event.Done(buy, DoneReason.EXPIRED_EXECUTION_BAND, 2, 8)), f.flow(gtc(2, buy, Side.BUY, 10_800, 10)));
        assertNull(f.engine.order(buy));
        assertEquals(3, f.engine.order(beyond).remaining());
        // the buyer paid 2 × 10,500 and has nothing locked any more
        assertEquals(100_000_000 - 21_000, f.engine.available(2, USDT));
        assertEquals(0, f.engine.locked(2, USDT));
    }

    @Test
    void aSellTakersRemainderExpiresAtTheLowerExecutionEdgeAfterTradingWhatIsInside() {
        EngineFixture f = open();
        long atEdge = f.rest(1, Side.BUY, 9_500, 2);
        long beyond = f.rest(1, Side.BUY, 9_499, 3);
        long sell = f.nextOrderId();
        assertEquals(List.of(
            new Event.Accepted(sell, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 9_200, 10),
            new Event.Trade(1, sell, atEdge, 9_500, 2, 0, 0),
            new Event.Done(atEdge, DoneReason.FILLED, 2, 0),
            new Event.Done(sell, DoneReason.EXPIRED_EXECUTION_BAND, 2, 8)), f.flow(gtc(2, sell, Side.SELL, 9_200, 10)));
        assertEquals(3, f.engine.order(beyond).remaining());
        assertEquals(0, f.engine.locked(2, EngineFixture.TSLA));
    }

    @Test
    void aGtcBidAboveTheExecutionBandRestsWhenNothingCrosses() {
        EngineFixture f = open();
        assertEquals(List.of(
            new Event.Accepted(1, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 10_800, 2),
            new Event.Rested(1, 10_800, 2)), f.flow(gtc(1, 1, Side.BUY, 10_800, 2)));
    }

    @Test
    void theExecutionBandBoundsOnlyTheTakersOwnSide() {
        EngineFixture f = open();
        // a bid above the upper execution edge (10,500) and an ask below the lower one (9,500) rest
        long highBid = f.rest(1, Side.BUY, 10_800, 2);
        f.apply(gtc(1, f.nextOrderId(), Side.BUY, 10_000, 1));
        // a sell taker is bounded by the lower edge only: selling at 10,800 is fine for the seller
        long sell = f.nextOrderId();
        assertEquals(List.of(
            new Event.Accepted(sell, Side.SELL, OrderType.LIMIT, TimeInForce.IOC, 10_000, 2),
            new Event.Trade(1, sell, highBid, 10_800, 2, 0, 0),
            new Event.Done(highBid, DoneReason.FILLED, 2, 0),
            new Event.Done(sell, DoneReason.FILLED, 2, 0)), f.flow(ioc(2, sell, Side.SELL, 10_000, 2)));
    }

    @Test
    void aBuyTakerMayLiftAnAskBelowTheLowerExecutionEdge() {
        EngineFixture f = open();
        long lowAsk = f.rest(1, Side.SELL, 9_200, 2);
        long buy = f.nextOrderId();
        assertEquals(List.of(
            new Event.Accepted(buy, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 10_000, 2),
            new Event.Trade(1, buy, lowAsk, 9_200, 2, 0, 0),
            new Event.Done(lowAsk, DoneReason.FILLED, 2, 0),
            new Event.Done(buy, DoneReason.FILLED, 2, 0)), f.flow(ioc(2, buy, Side.BUY, 10_000, 2)));
    }

    // ---------------------------------------------------------------------------------------------
    // MARKET orders

    @Test
    void aMarketBuysRemainderExpiresAtTheExecutionBand() {
        EngineFixture f = open();
        long atEdge = f.rest(1, Side.SELL, 10_500, 2);
        long beyond = f.rest(1, Side.SELL, 10_501, 3);
        long buy = f.nextOrderId();
        // a MARKET order's price is the protection price it is bounded by: the upper execution edge
        assertEquals(List.of(
            new Event.Accepted(buy, Side.BUY, OrderType.MARKET, TimeInForce.IOC, 10_500, 5),
            new Event.Trade(1, buy, atEdge, 10_500, 2, 0, 0),
            new Event.Done(atEdge, DoneReason.FILLED, 2, 0),
            new Event.Done(buy, DoneReason.EXPIRED_EXECUTION_BAND, 2, 3)), f.flow(market(2, buy, Side.BUY, 5)));
        assertEquals(3, f.engine.order(beyond).remaining());
        assertEquals(0, f.engine.locked(2, USDT));
    }

    @Test
    void aMarketSellsRemainderExpiresAtTheExecutionBand() {
        EngineFixture f = open();
        long atEdge = f.rest(1, Side.BUY, 9_500, 2);
        long beyond = f.rest(1, Side.BUY, 9_499, 3);
        long sell = f.nextOrderId();
        assertEquals(List.of(
            new Event.Accepted(sell, Side.SELL, OrderType.MARKET, TimeInForce.IOC, 9_500, 5),
            new Event.Trade(1, sell, atEdge, 9_500, 2, 0, 0),
            new Event.Done(atEdge, DoneReason.FILLED, 2, 0),
            new Event.Done(sell, DoneReason.EXPIRED_EXECUTION_BAND, 2, 3)), f.flow(market(2, sell, Side.SELL, 5)));
        assertEquals(3, f.engine.order(beyond).remaining());
    }

    @Test
    void aMarketOrderInsideTheBandFills() {
        EngineFixture f = open();
        long ask = f.rest(1, Side.SELL, 10_100, 5);
        long buy = f.nextOrderId();
        assertEquals(List.of(
            new Event.Accepted(buy, Side.BUY, OrderType.MARKET, TimeInForce.IOC, 10_500, 3),
            new Event.Trade(1, buy, ask, 10_100, 3, 0, 0),
            new Event.Done(buy, DoneReason.FILLED, 3, 0)), f.flow(market(2, buy, Side.BUY, 3)));
        // locked at the band edge, 3 × 10,500, then released down to what was paid, 3 × 10,100
        assertEquals(100_000_000 - 30_300, f.engine.available(2, USDT));
        assertEquals(0, f.engine.locked(2, USDT));
    }

    @Test
    void aMarketOrderWithNothingToTradeExpiresIoc() {
        EngineFixture f = open();
        assertEquals(List.of(
            new Event.Accepted(1, Side.BUY, OrderType.MARKET, TimeInForce.IOC, 10_500, 5),
            new Event.Done(1, DoneReason.EXPIRED_IOC, 0, 5)), f.flow(market(2, 1, Side.BUY, 5)));
        assertEquals(List.of(
            new Event.Accepted(2, Side.SELL, OrderType.MARKET, TimeInForce.IOC, 9_500, 5),
            new Event.Done(2, DoneReason.EXPIRED_IOC, 0, 5)), f.flow(market(2, 2, Side.SELL, 5)));
        assertEquals(100_000_000, f.engine.available(2, USDT));
        assertEquals(0, f.engine.locked(2, USDT));
    }

    // ---------------------------------------------------------------------------------------------
    // Underlying closed

    @Test
    void whileTheUnderlyingIsClosedTheEntryBandIsTighter() {
        EngineFixture f = closed();
        // closed entry band: 10,000 ± 10,000 × 500 / 10,000 = 9,500..10,500
        assertEquals(List.of(
            new Event.Accepted(1, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 9_500, 1),
            new Event.Rested(1, 9_500, 1)), f.flow(gtc(1, 1, Side.BUY, 9_500, 1)));
        assertEquals(List.of(
            new Event.Accepted(2, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 10_500, 1),
            new Event.Rested(2, 10_500, 1)), f.flow(gtc(1, 2, Side.SELL, 10_500, 1)));
        Event.Rejected outside = placeRejected(RejectReason.TRADING_PRICE_OUTSIDE_ENTRY_BAND);
        assertEquals(List.of(outside), f.apply(gtc(1, 3, Side.BUY, 9_499, 1)));
        assertEquals(List.of(outside), f.apply(gtc(1, 4, Side.SELL, 10_501, 1)));
    }

    @Test
    void whileTheUnderlyingIsClosedTheExecutionBandIsTighter() {
        EngineFixture f = closed();
        // closed execution band: 10,000 ± 250 = 9,750..10,250
        long atEdge = f.rest(1, Side.SELL, 10_250, 1);
        long beyond = f.rest(1, Side.SELL, 10_300, 1);
        long buy = f.nextOrderId();
        // the trade at 10,250 moves the reference 5% of the way: 10,000 + 250 × 500 / 10,000 = 10,012 (12.5 down);
        // bands: entry 10,012 × 500 / 10,000 = 500 (500.6 down) → 9,512..10,512,
        //        execution 10,012 × 250 / 10,000 = 250 (250.3 down) → 9,762..10,262
        assertEquals(List.of(
            new Event.Accepted(buy, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 10_400, 2),
            new Event.Trade(1, buy, atEdge, 10_250, 1, 0, 0),
            status(TradingState.CLOSED_UNDERLYING, 10_012, 9_512, 10_512, 9_762, 10_262),
            new Event.Done(atEdge, DoneReason.FILLED, 1, 0),
            new Event.Done(buy, DoneReason.EXPIRED_EXECUTION_BAND, 1, 1)), f.flow(gtc(2, buy, Side.BUY, 10_400, 2)));
        assertEquals(1, f.engine.order(beyond).remaining());
    }

    @Test
    void marketOrdersAreRefusedWhileTheUnderlyingIsClosed() {
        EngineFixture f = closed();
        f.rest(1, Side.SELL, 10_000, 5);
        f.rest(1, Side.BUY, 9_900, 5);
        Event.Rejected refused = placeRejected(RejectReason.TRADING_MARKET_ORDERS_CLOSED_UNDERLYING);
        assertEquals(List.of(refused), f.apply(market(2, 10, Side.BUY, 1)));
        assertEquals(List.of(refused), f.apply(market(2, 11, Side.SELL, 1)));
        assertEquals(List.of(refused), f.apply(marketBudget(2, 12, 50_000)));
        assertEquals(0, f.engine.lastTradeId());
        assertEquals(2, f.engine.liveOrderCount());
    }

    @Test
    void whileClosedTradesMoveTheReferenceAShareOfTheWayPerPeriodNotPerTrade() {
        EngineFixture f = closed();
        long first = f.rest(1, Side.SELL, 10_200, 1);
        long second = f.rest(1, Side.SELL, 10_200, 1);
        long buy = f.nextOrderId();
        // a full period since the close: 10,000 + (10,200 − 10,000) × 500 / 10,000 = 10,010
        //   entry 10,010 × 500 / 10,000 = 500 (500.5 down) → 9,510..10,510; execution 250 (250.25 down) → 9,760..10,260
        // the second trade comes no time later: it does not move the reference again
        assertEquals(List.of(
            new Event.Accepted(buy, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 10_200, 2),
            new Event.Trade(1, buy, first, 10_200, 1, 0, 0),
            status(TradingState.CLOSED_UNDERLYING, 10_010, 9_510, 10_510, 9_760, 10_260),
            new Event.Done(first, DoneReason.FILLED, 1, 0),
            new Event.Trade(2, buy, second, 10_200, 1, 0, 0),
            new Event.Done(second, DoneReason.FILLED, 1, 0),
            new Event.Done(buy, DoneReason.FILLED, 2, 0)), f.flow(gtc(2, buy, Side.BUY, 10_200, 2)));
        assertEquals(10_010, f.engine.referencePrice(TSLAX));

        // half a period later: (10,200 − 10,010) × 500 / 10,000 = 9 (9.5 down), × 5,000 / 10,000 = 4 (4.5 down) → 10,014
        f.advanceNs(REFERENCE_PERIOD_NS / 2);
        long third = f.rest(1, Side.SELL, 10_200, 1);
        assertEquals(status(TradingState.CLOSED_UNDERLYING, 10_014, 9_514, 10_514, 9_764, 10_264),
            f.flow(ioc(2, f.nextOrderId(), Side.BUY, 10_200, 1)).get(2));
        assertEquals(0, f.engine.liveOrderCount(), "order " + third + " traded");

        // the new entry band is in force: 10,514 is accepted, 10,515 is not
        assertEquals(Event.Rested.class, f.flow(gtc(1, f.nextOrderId(), Side.SELL, 10_514, 1)).get(1).getClass());
        assertEquals(List.of(placeRejected(RejectReason.TRADING_PRICE_OUTSIDE_ENTRY_BAND)),
            f.apply(gtc(1, f.nextOrderId(), Side.SELL, 10_515, 1)));
    }

    @Test
    void whileClosedManySmallTradesCannotWalkTheReference() {
        EngineFixture f = closed();
        for (int i = 0; i < 50; i++) {
            f.rest(1, Side.SELL, 10_240, 1);
            f.apply(ioc(2, f.nextOrderId(), Side.BUY, 10_240, 1));
            f.advanceNs(1_000_000_000L);
        }
        // The first trade comes a full period after the close: one full step, 240 × 500 / 10,000 = 12 ticks.
        // The next 49 come over 49 s, 49/60 of a period: at most 49/60 of a step of at most 12 ticks, under 10.
        // So at most 12 + 10 = 22 ticks in all. (Moving 5% of the way per trade, 50 trades would have moved it
        // 240 × (1 − 0.95^50) ≈ 222 ticks.)
        long reference = f.engine.referencePrice(TSLAX);
        assertTrue(reference >= REFERENCE + 12 && reference <= REFERENCE + 22, "reference " + reference);
    }

    @Test
    void whileClosedAnAccountTradingWithItselfDoesNotMoveTheReference() {
        EngineFixture f = closed();
        f.fundedAccount(9, 0, 0, StpMode.NONE);
        long ask = f.rest(9, Side.SELL, 10_200, 1);
        long buy = f.nextOrderId();
        assertEquals(List.of(
            new Event.Accepted(buy, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 10_200, 1),
            new Event.Trade(1, buy, ask, 10_200, 1, 0, 0),
            new Event.Done(ask, DoneReason.FILLED, 1, 0),
            new Event.Done(buy, DoneReason.FILLED, 1, 0)), f.flow(ioc(9, buy, Side.BUY, 10_200, 1)));
        assertEquals(REFERENCE, f.engine.referencePrice(TSLAX));
    }

    @Test
    void whileClosedASmallGapClosesByATickPerPeriod() {
        EngineFixture f = closed();
        f.rest(1, Side.SELL, 10_010, 1);
        // (10,010 − 10,000) × 500 / 10,000 = 0 (0.5 down): after a full period it moves one tick
        assertEquals(status(TradingState.CLOSED_UNDERLYING, 10_001, 9_501, 10_501, 9_751, 10_251),
            f.flow(ioc(2, f.nextOrderId(), Side.BUY, 10_010, 1)).get(2));
    }

    @Test
    void whileClosedATradeBelowTheReferenceMovesItDown() {
        EngineFixture f = closed();
        long bid = f.rest(1, Side.BUY, 9_800, 1);
        long sell = f.nextOrderId();
        // 10,000 + (9,800 − 10,000) × 500 / 10,000 = 9,990
        //   entry 9,990 × 500 / 10,000 = 499 (499.5 down) → 9,491..10,489; execution 249 (249.75 down) → 9,741..10,239
        assertEquals(List.of(
            new Event.Accepted(sell, Side.SELL, OrderType.LIMIT, TimeInForce.IOC, 9_800, 1),
            new Event.Trade(1, sell, bid, 9_800, 1, 0, 0),
            status(TradingState.CLOSED_UNDERLYING, 9_990, 9_491, 10_489, 9_741, 10_239),
            new Event.Done(bid, DoneReason.FILLED, 1, 0),
            new Event.Done(sell, DoneReason.FILLED, 1, 0)), f.flow(ioc(2, sell, Side.SELL, 9_800, 1)));
    }

    @Test
    void whileClosedATradeAtTheReferenceLeavesItWithoutAStatusEvent() {
        EngineFixture f = closed();
        long ask = f.rest(1, Side.SELL, 10_000, 1);
        long buy = f.nextOrderId();
        assertEquals(List.of(
            new Event.Accepted(buy, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 10_000, 1),
            new Event.Trade(1, buy, ask, 10_000, 1, 0, 0),
            new Event.Done(ask, DoneReason.FILLED, 1, 0),
            new Event.Done(buy, DoneReason.FILLED, 1, 0)), f.flow(ioc(2, buy, Side.BUY, 10_000, 1)));
        assertEquals(10_000, f.engine.referencePrice(TSLAX));
    }

    @Test
    void whileOpenTradesDoNotMoveTheReference() {
        EngineFixture f = open();
        long ask = f.rest(1, Side.SELL, 10_200, 1);
        long buy = f.nextOrderId();
        assertEquals(List.of(
            new Event.Accepted(buy, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 10_200, 1),
            new Event.Trade(1, buy, ask, 10_200, 1, 0, 0),
            new Event.Done(ask, DoneReason.FILLED, 1, 0),
            new Event.Done(buy, DoneReason.FILLED, 1, 0)), f.flow(ioc(2, buy, Side.BUY, 10_200, 1)));
        assertEquals(10_000, f.engine.referencePrice(TSLAX));
    }

    // ---------------------------------------------------------------------------------------------
    // HALTED and CANCEL_ONLY

    @ParameterizedTest(name = "{0} refuses {1}")
    @CsvSource({"HALTED, TRADING_HALTED", "CANCEL_ONLY, TRADING_CANCEL_ONLY"})
    void aStoppedSymbolRefusesNewOrdersButCancelsAndReductionsGoOn(TradingState state, RejectReason reason) {
        EngineFixture f = open();
        long a = f.rest(1, Side.BUY, 9_900, 5);
        long b = f.rest(1, Side.BUY, 9_800, 5);
        f.rest(3, Side.SELL, 10_100, 5);
        assertEquals(List.of(status(state, 10_000, 9_000, 11_000, 9_500, 10_500)),
            f.apply(new Command.SetTradingState(TSLAX, state)));
        assertEquals(state, f.engine.tradingState(TSLAX));

        assertEquals(List.of(placeRejected(reason)), f.apply(gtc(2, 10, Side.BUY, 9_900, 1)));
        assertEquals(List.of(placeRejected(reason)), f.apply(ioc(2, 11, Side.BUY, 10_100, 1)));
        assertEquals(List.of(placeRejected(reason)), f.apply(market(2, 12, Side.SELL, 1)));
        assertEquals(0, f.engine.lastTradeId());

        assertEquals(List.of(new Event.Reduced(a, 5, 3)), f.flow(new Command.ReduceOrder(1, a, 2)));
        assertEquals(List.of(new Event.Done(b, DoneReason.CANCELLED, 0, 5)), f.flow(new Command.CancelOrder(1, b, null)));
        assertEquals(List.of(new Event.Done(a, DoneReason.CANCELLED_ALL, 0, 3)), f.flow(new Command.CancelAll(1, TSLAX)));
        assertEquals(1, f.engine.liveOrderCount());
        assertEquals(0, f.engine.locked(1, USDT));
    }

    @ParameterizedTest(name = "{0} refuses a price change with {1}")
    @CsvSource({"HALTED, TRADING_HALTED", "CANCEL_ONLY, TRADING_CANCEL_ONLY"})
    void aStoppedSymbolRefusesAmendsThatAddRiskButAcceptsALowerQuantity(TradingState state, RejectReason reason) {
        EngineFixture f = open();
        long bid = f.rest(1, Side.BUY, 9_900, 5);
        f.apply(new Command.SetTradingState(TSLAX, state));
        Event.Rejected refused = new Event.Rejected("AmendOrder", reason);
        assertEquals(List.of(refused), f.apply(new Command.AmendOrder(1, bid, null, 9_950, 5)));
        assertEquals(List.of(refused), f.apply(new Command.AmendOrder(1, bid, null, 9_850, 3)));
        assertEquals(List.of(refused), f.apply(new Command.AmendOrder(1, bid, null, 9_900, 6)));
        assertEquals(9_900, f.engine.order(bid).price());
        assertEquals(List.of(new Event.Amended(bid, 9_900, 5, 9_900, 3, 3, true)),
            f.flow(new Command.AmendOrder(1, bid, null, 9_900, 3)));
        assertEquals(9_900 * 3, f.engine.locked(1, USDT));
    }

    @Test
    void resumingAHaltedSymbolAcceptsOrdersAgain() {
        EngineFixture f = open();
        f.apply(new Command.SetTradingState(TSLAX, TradingState.HALTED));
        assertEquals(List.of(OPEN_AT_REFERENCE), f.apply(new Command.SetTradingState(TSLAX, TradingState.OPEN)));
        assertEquals(List.of(
            new Event.Accepted(1, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 9_900, 1),
            new Event.Rested(1, 9_900, 1)), f.flow(gtc(1, 1, Side.BUY, 9_900, 1)));
    }

    // ---------------------------------------------------------------------------------------------
    // SetTradingState and SetReferencePrice

    @Test
    void setTradingStateReportsTheStateWithTheBandsOfThatState() {
        EngineFixture f = open();
        assertEquals(List.of(status(TradingState.CLOSED_UNDERLYING, 10_000, 9_500, 10_500, 9_750, 10_250)),
            f.apply(new Command.SetTradingState(TSLAX, TradingState.CLOSED_UNDERLYING)));
        assertEquals(List.of(OPEN_AT_REFERENCE), f.apply(new Command.SetTradingState(TSLAX, TradingState.OPEN)));
    }

    @Test
    void aSymbolWithoutBandsReportsUnboundedEdges() {
        EngineFixture f = open();
        assertEquals(List.of(new Event.Status(NVDAX, TradingState.HALTED, 0, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE)),
            f.apply(new Command.SetTradingState(NVDAX, TradingState.HALTED)));
        assertEquals(List.of(new Event.Status(NVDAX, TradingState.HALTED, 5_000, 0, Long.MAX_VALUE, 0, Long.MAX_VALUE)),
            f.apply(new Command.SetReferencePrice(NVDAX, 5_000)));
    }

    @Test
    void setTradingStateOnAnUnknownInstrumentIsRejected() {
        EngineFixture f = open();
        assertEquals(List.of(new Event.Rejected("SetTradingState", RejectReason.REQUEST_UNKNOWN_INSTRUMENT)),
            f.apply(new Command.SetTradingState(2, TradingState.HALTED)));
        assertEquals(List.of(new Event.Rejected("SetTradingState", RejectReason.REQUEST_UNKNOWN_INSTRUMENT)),
            f.apply(new Command.SetTradingState(-1, TradingState.HALTED)));
    }

    @Test
    void setReferencePriceMovesTheBands() {
        EngineFixture f = open();
        // 20,000 ± 2,000 entry, ± 1,000 execution
        assertEquals(List.of(status(TradingState.OPEN, 20_000, 18_000, 22_000, 19_000, 21_000)),
            f.apply(new Command.SetReferencePrice(TSLAX, 20_000)));
        assertEquals(20_000, f.engine.referencePrice(TSLAX));
        assertEquals(List.of(placeRejected(RejectReason.TRADING_PRICE_OUTSIDE_ENTRY_BAND)),
            f.apply(gtc(1, 1, Side.BUY, 17_999, 1)));
        assertEquals(Event.Rested.class, f.flow(gtc(1, 2, Side.BUY, 18_000, 1)).get(1).getClass());
    }

    @Test
    void upperBandEdgesStopAtTheMaximumPrice() {
        EngineFixture f = open();
        // 1,000,000 − 100,000 and − 50,000 below; above, the edges would pass the maximum price of 1,000,000
        assertEquals(List.of(status(TradingState.OPEN, 1_000_000, 900_000, 1_000_000, 950_000, 1_000_000)),
            f.apply(new Command.SetReferencePrice(TSLAX, EngineFixture.MAX_PRICE)));
    }

    @Test
    void setReferencePriceRefusesPricesOutsideOneToTheMaximumAndUnknownInstruments() {
        EngineFixture f = open();
        Event.Rejected invalid = new Event.Rejected("SetReferencePrice", RejectReason.REQUEST_INVALID_PRICE);
        assertEquals(List.of(invalid), f.apply(new Command.SetReferencePrice(TSLAX, 0)));
        assertEquals(List.of(invalid), f.apply(new Command.SetReferencePrice(TSLAX, -10_000)));
        assertEquals(List.of(invalid), f.apply(new Command.SetReferencePrice(TSLAX, EngineFixture.MAX_PRICE + 1)));
        assertEquals(List.of(new Event.Rejected("SetReferencePrice", RejectReason.REQUEST_UNKNOWN_INSTRUMENT)),
            f.apply(new Command.SetReferencePrice(2, 10_000)));
        assertEquals(10_000, f.engine.referencePrice(TSLAX));
    }

    // ---------------------------------------------------------------------------------------------
    // No reference price yet

    @Test
    void withoutAReferencePriceABandedSymbolRefusesOrders() {
        EngineFixture f = bandedMarket(TradingState.OPEN, 0);
        Event.Rejected noReference = placeRejected(RejectReason.TRADING_NO_REFERENCE_PRICE);
        assertEquals(List.of(noReference), f.apply(gtc(1, 1, Side.BUY, 10_000, 1)));
        assertEquals(List.of(noReference), f.apply(ioc(1, 2, Side.SELL, 10_000, 1)));
        assertEquals(List.of(noReference), f.apply(market(1, 3, Side.BUY, 1)));
        assertEquals(List.of(noReference), f.apply(market(1, 4, Side.SELL, 1)));
        assertEquals(List.of(noReference), f.apply(marketBudget(1, 5, 50_000)));
        assertEquals(0, f.engine.liveOrderCount());
        // a symbol without bands needs no reference
        assertEquals(Event.Rested.class, f.flow(limit(1, 6, NVDAX, Side.BUY, TimeInForce.GTC, 10_000, 1)).get(1).getClass());
    }

    @Test
    void theFirstReferencePriceOpensTheBands() {
        EngineFixture f = bandedMarket(TradingState.OPEN, 0);
        assertEquals(List.of(OPEN_AT_REFERENCE), f.apply(new Command.SetReferencePrice(TSLAX, 10_000)));
        assertEquals(List.of(
            new Event.Accepted(1, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 10_000, 1),
            new Event.Rested(1, 10_000, 1)), f.flow(gtc(1, 1, Side.BUY, 10_000, 1)));
    }

    // ---------------------------------------------------------------------------------------------
    // Volatility guard

    /**
     * Opens a guard window at 10,000 with a trade, then sends a buy that trades at 10,300 (exactly 300 bps:
     * not more than the guard allows) and would trade next at 10,301 (more than 300 bps): the guard halts.
     * Leaves an ask of 1 at 10,301 resting. Returns the id of that ask.
     */
    private static long tripGuard(EngineFixture f) {
        long first = f.rest(1, Side.SELL, 10_000, 1);
        long edge = f.rest(1, Side.SELL, 10_300, 1);
        long beyond = f.rest(1, Side.SELL, 10_301, 1);
        long opener = f.nextOrderId();
        assertEquals(List.of(
            new Event.Accepted(opener, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 10_000, 1),
            new Event.Trade(1, opener, first, 10_000, 1, 0, 0),
            new Event.Done(first, DoneReason.FILLED, 1, 0),
            new Event.Done(opener, DoneReason.FILLED, 1, 0)), f.flow(ioc(2, opener, Side.BUY, 10_000, 1)));
        long buy = f.nextOrderId();
        // 300 × 10,000 > 10,000 × 300 is false: 10,300 trades; 301 × 10,000 > 10,000 × 300: 10,301 does not
        assertEquals(List.of(
            new Event.Accepted(buy, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 10_400, 3),
            new Event.Trade(2, buy, edge, 10_300, 1, 0, 0),
            new Event.Done(edge, DoneReason.FILLED, 1, 0),
            status(TradingState.HALTED, 10_000, 9_000, 11_000, 9_500, 10_500),
            new Event.Done(buy, DoneReason.EXPIRED_VOLATILITY_HALT, 1, 2)), f.flow(gtc(2, buy, Side.BUY, 10_400, 3)));
        return beyond;
    }

    @Test
    void aTradeMovingTooFarWithinTheWindowHaltsTheSymbolInsteadOfHappening() {
        EngineFixture f = open();
        long beyond = tripGuard(f);
        assertEquals(TradingState.HALTED, f.engine.tradingState(TSLAX));
        assertEquals(2, f.engine.lastTradeId());
        assertEquals(1, f.engine.order(beyond).remaining());
        // the expired GTC buy holds nothing: account 2 paid 10,000 + 10,300
        assertEquals(0, f.engine.locked(2, USDT));
        assertEquals(100_000_000 - 20_300, f.engine.available(2, USDT));
    }

    @Test
    void duringAGuardHaltOrdersAreRefusedAndCancelsWork() {
        EngineFixture f = open();
        long beyond = tripGuard(f);
        assertEquals(List.of(placeRejected(RejectReason.TRADING_HALTED)), f.apply(gtc(2, 100, Side.BUY, 10_301, 1)));
        assertEquals(List.of(placeRejected(RejectReason.TRADING_HALTED)), f.apply(market(3, 101, Side.BUY, 1)));
        assertEquals(List.of(new Event.Done(beyond, DoneReason.CANCELLED, 0, 1)),
            f.flow(new Command.CancelOrder(1, beyond, null)));
    }

    @Test
    void theHaltEndsAfterItsDurationWithTheNextCommandOfAnyKind() {
        EngineFixture f = open();
        long beyond = tripGuard(f);
        f.advanceNs(GUARD_HALT_NS - 1);
        // one nanosecond early: still halted, and a command on another symbol says nothing about TSLAx
        assertEquals(List.of(
            new Event.Accepted(100, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 5_000, 1),
            new Event.Rested(100, 5_000, 1)), f.flow(limit(3, 100, NVDAX, Side.BUY, TimeInForce.GTC, 5_000, 1)));
        assertEquals(List.of(placeRejected(RejectReason.TRADING_HALTED)), f.apply(gtc(2, 101, Side.BUY, 10_301, 1)));

        f.advanceNs(1);
        // a command on NVDAx first restores TSLAx, then goes on as usual
        assertEquals(List.of(
            OPEN_AT_REFERENCE,
            new Event.Accepted(102, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 5_001, 1),
            new Event.Rested(102, 5_001, 1)), f.flow(limit(3, 102, NVDAX, Side.BUY, TimeInForce.GTC, 5_001, 1)));
        assertEquals(TradingState.OPEN, f.engine.tradingState(TSLAX));

        // the halt opened no window: the next trade opens a new one at its own price, and trades
        long buy = 103;
        assertEquals(List.of(
            new Event.Accepted(buy, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 10_301, 1),
            new Event.Trade(3, buy, beyond, 10_301, 1, 0, 0),
            new Event.Done(beyond, DoneReason.FILLED, 1, 0),
            new Event.Done(buy, DoneReason.FILLED, 1, 0)), f.flow(ioc(2, buy, Side.BUY, 10_301, 1)));
    }

    @Test
    void theHaltEndsBeforeEvenADepositOrARejectedCommand() {
        EngineFixture f = open();
        tripGuard(f);
        f.advanceNs(GUARD_HALT_NS);
        assertEquals(List.of(OPEN_AT_REFERENCE, new Event.Balance(3, USDT, 100_000_100, 0)),
            f.apply(new Command.Deposit(3, USDT, 100)));

        EngineFixture g = open();
        tripGuard(g);
        g.advanceNs(GUARD_HALT_NS);
        assertEquals(List.of(OPEN_AT_REFERENCE, new Event.Rejected("CancelOrder", RejectReason.REQUEST_UNKNOWN_ORDER)),
            g.apply(new Command.CancelOrder(3, 999, null)));
    }

    @Test
    void aGuardHaltIsToldApartFromAnOperatorsHalt() {
        EngineFixture f = open();
        assertFalse(f.engine.haltedByGuard(TSLAX));
        tripGuard(f);
        assertEquals(TradingState.HALTED, f.engine.tradingState(TSLAX));
        assertTrue(f.engine.haltedByGuard(TSLAX), "the guard's halt ends by itself");

        EngineFixture g = open();
        g.apply(new Command.SetTradingState(TSLAX, TradingState.HALTED));
        assertEquals(TradingState.HALTED, g.engine.tradingState(TSLAX));
        assertFalse(g.engine.haltedByGuard(TSLAX), "an operator's halt waits for the operator");
    }

    @Test
    void anOperatorsResumeEndsAGuardHaltEarlyAndNothingRestoresItLater() {
        EngineFixture f = open();
        tripGuard(f);
        assertEquals(List.of(OPEN_AT_REFERENCE), f.apply(new Command.SetTradingState(TSLAX, TradingState.OPEN)));
        assertFalse(f.engine.haltedByGuard(TSLAX), "a resume ends the guard's halt");
        f.advanceNs(GUARD_HALT_NS);
        assertEquals(List.of(new Event.Balance(3, USDT, 100_000_100, 0)), f.apply(new Command.Deposit(3, USDT, 100)));
    }

    @Test
    void aGuardHaltWhileTheUnderlyingIsClosedKeepsTheClosedBandsAndReturnsToClosed() {
        EngineFixture f = closed();
        long low = f.rest(1, Side.SELL, 9_800, 1);
        long high = f.rest(1, Side.SELL, 10_200, 1);
        long opener = f.nextOrderId();
        // the trade at 9,800 opens the window and moves the reference to 10,000 − 200 × 500 / 10,000 = 9,990:
        //   entry 499 (499.5 down) → 9,491..10,489; execution 249 (249.75 down) → 9,741..10,239
        Event.Status closedAt9990 = status(TradingState.CLOSED_UNDERLYING, 9_990, 9_491, 10_489, 9_741, 10_239);
        assertEquals(List.of(
            new Event.Accepted(opener, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 9_800, 1),
            new Event.Trade(1, opener, low, 9_800, 1, 0, 0),
            closedAt9990,
            new Event.Done(low, DoneReason.FILLED, 1, 0),
            new Event.Done(opener, DoneReason.FILLED, 1, 0)), f.flow(ioc(2, opener, Side.BUY, 9_800, 1)));
        // 10,200 is inside the execution band (≤ 10,239) but 400 from 9,800: 400 × 10,000 > 9,800 × 300
        long buy = f.nextOrderId();
        assertEquals(List.of(
            new Event.Accepted(buy, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 10_200, 1),
            status(TradingState.HALTED, 9_990, 9_491, 10_489, 9_741, 10_239),
            new Event.Done(buy, DoneReason.EXPIRED_VOLATILITY_HALT, 0, 1)), f.flow(gtc(2, buy, Side.BUY, 10_200, 1)));
        assertEquals(1, f.engine.order(high).remaining());

        f.advanceNs(GUARD_HALT_NS);
        assertEquals(List.of(closedAt9990, new Event.Balance(3, USDT, 100_000_100, 0)),
            f.apply(new Command.Deposit(3, USDT, 100)));
        assertEquals(TradingState.CLOSED_UNDERLYING, f.engine.tradingState(TSLAX));
    }

    @Test
    void aMoveSpreadOverMoreThanTheWindowDoesNotHalt() {
        EngineFixture f = open();
        long a = f.rest(1, Side.SELL, 10_000, 1);
        long b = f.rest(1, Side.SELL, 10_200, 1);
        long c = f.rest(1, Side.SELL, 10_400, 1);
        f.apply(ioc(2, 10, Side.BUY, 10_000, 1));
        f.advanceNs(GUARD_WINDOW_NS / 2);
        // 200 from 10,000 is within 300 bps
        assertEquals(List.of(
            new Event.Accepted(11, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 10_200, 1),
            new Event.Trade(2, 11, b, 10_200, 1, 0, 0),
            new Event.Done(b, DoneReason.FILLED, 1, 0),
            new Event.Done(11, DoneReason.FILLED, 1, 0)), f.flow(ioc(2, 11, Side.BUY, 10_200, 1)));
        f.advanceNs(GUARD_WINDOW_NS / 2);
        // a window after the trade at 10,000 it has run out: 10,400 opens a new one instead of halting
        assertEquals(List.of(
            new Event.Accepted(12, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 10_400, 1),
            new Event.Trade(3, 12, c, 10_400, 1, 0, 0),
            new Event.Done(c, DoneReason.FILLED, 1, 0),
            new Event.Done(12, DoneReason.FILLED, 1, 0)), f.flow(ioc(2, 12, Side.BUY, 10_400, 1)));
        assertEquals(TradingState.OPEN, f.engine.tradingState(TSLAX));
        assertNull(f.engine.order(a));
    }

    @Test
    void theSameMoveOneNanosecondInsideTheWindowHalts() {
        EngineFixture f = open();
        f.rest(1, Side.SELL, 10_000, 1);
        f.rest(1, Side.SELL, 10_200, 1);
        long c = f.rest(1, Side.SELL, 10_400, 1);
        f.apply(ioc(2, 10, Side.BUY, 10_000, 1));
        f.advanceNs(GUARD_WINDOW_NS / 2);
        f.apply(ioc(2, 11, Side.BUY, 10_200, 1));
        f.advanceNs(GUARD_WINDOW_NS / 2 - 1);
        // 400 from the window's first price 10,000 (not from the last trade, 10,200): more than 300 bps
        assertEquals(List.of(
            new Event.Accepted(12, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 10_400, 1),
            status(TradingState.HALTED, 10_000, 9_000, 11_000, 9_500, 10_500),
            new Event.Done(12, DoneReason.EXPIRED_VOLATILITY_HALT, 0, 1)), f.flow(ioc(2, 12, Side.BUY, 10_400, 1)));
        assertEquals(1, f.engine.order(c).remaining());
    }

    @Test
    void aFokThatCouldOnlyFillPastTheGuardTradesNothing() {
        EngineFixture f = open();
        long first = f.rest(1, Side.SELL, 10_000, 1);
        long edge = f.rest(1, Side.SELL, 10_300, 1);
        long beyond = f.rest(1, Side.SELL, 10_301, 1);
        f.apply(ioc(2, 10, Side.BUY, 10_000, 1));
        assertNull(f.engine.order(first));
        // filling 2 needs the trade at 10,301, which the guard forbids: fill or kill trades all or nothing
        assertEquals(List.of(
            new Event.Accepted(11, Side.BUY, OrderType.LIMIT, TimeInForce.FOK, 10_400, 2),
            new Event.Done(11, DoneReason.EXPIRED_FOK, 0, 2)),
            f.flow(limit(2, 11, TSLAX, Side.BUY, TimeInForce.FOK, 10_400, 2)));
        assertEquals(1, f.engine.order(edge).remaining());
        assertEquals(1, f.engine.order(beyond).remaining());
    }
}
