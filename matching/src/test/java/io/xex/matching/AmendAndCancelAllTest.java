package io.xex.matching;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.xex.matching.EngineFixture.NVDA;
import static io.xex.matching.EngineFixture.NVDAX;
import static io.xex.matching.EngineFixture.TSLA;
import static io.xex.matching.EngineFixture.TSLAX;
import static io.xex.matching.EngineFixture.USDT;
import static io.xex.matching.EngineFixture.gtc;
import static io.xex.matching.EngineFixture.limit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Amend (SPEC §4: quantity down keeps time priority, a price change or quantity up loses it) and cancel-all. */
class AmendAndCancelAllTest {
    private static final long FUNDS = 100_000_000;
    private static final long SHARES = 1_000;

    private final EngineFixture f = new EngineFixture();

    @BeforeEach
    void accounts() {
        f.fundedAccount(1);
        f.fundedAccount(2);
        f.fundedAccount(3);
        f.fundedAccount(4);
    }

    private static Command.AmendOrder amend(long account, long orderId, long price, long quantity) {
        return new Command.AmendOrder(account, orderId, null, price, quantity);
    }

    /** Ids of the resting orders of one side of TSLAx, in priority order. */
    private List<Long> queue(Side side) {
        List<Long> ids = new ArrayList<>();
        f.engine.forEachOrder(TSLAX, side, order -> ids.add(order.orderId()));
        return ids;
    }

    // ---------------------------------------------------------------------------------------------
    // Amend

    @Test
    void quantityDownAtTheSamePriceKeepsPriority() {
        f.apply(gtc(1, 1, Side.SELL, 100, 10));
        f.apply(gtc(2, 2, Side.SELL, 100, 10));
        assertEquals(List.of(
            new Event.Balance(1, TSLA, SHARES - 6, 6),
            new Event.Amended(1, 100, 10, 100, 6, 6, true)), f.apply(amend(1, 1, 100, 6)));
        assertEquals(List.of(1L, 2L), queue(Side.SELL));
        assertEquals(List.of(
            new Event.Accepted(3, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 100, 7),
            new Event.Trade(1, 3, 1, 100, 6, 0, 0),
            new Event.Done(1, DoneReason.FILLED, 6, 0),
            new Event.Trade(2, 3, 2, 100, 1, 0, 0),
            new Event.Done(3, DoneReason.FILLED, 7, 0)), f.flow(gtc(3, 3, Side.BUY, 100, 7)));
    }

    @Test
    void quantityDownOfAPartlyFilledOrderCountsWhatHasTraded() {
        f.apply(gtc(1, 1, Side.SELL, 100, 10));
        f.apply(gtc(2, 2, Side.BUY, 100, 4));
        // total 10, filled 4; a new total of 7 leaves 3
        assertEquals(List.of(
            new Event.Balance(1, TSLA, SHARES - 7, 3),
            new Event.Amended(1, 100, 10, 100, 7, 3, true)), f.apply(amend(1, 1, 100, 7)));
        assertEquals(4, f.engine.order(1).filled());
    }

    @Test
    void priceChangeLosesPriority() {
        f.apply(gtc(1, 1, Side.BUY, 100, 5));
        f.apply(gtc(2, 2, Side.BUY, 99, 5));
        assertEquals(List.of(
            new Event.Balance(1, USDT, FUNDS - 495, 495),
            new Event.Amended(1, 100, 5, 99, 5, 5, false),
            new Event.Rested(1, 99, 5)), f.apply(amend(1, 1, 99, 5)));
        assertEquals(List.of(2L, 1L), queue(Side.BUY));
        assertEquals(List.of(
            new Event.Accepted(3, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 99, 6),
            new Event.Trade(1, 3, 2, 99, 5, 0, 0),
            new Event.Done(2, DoneReason.FILLED, 5, 0),
            new Event.Trade(2, 3, 1, 99, 1, 0, 0),
            new Event.Done(3, DoneReason.FILLED, 6, 0)), f.flow(gtc(3, 3, Side.SELL, 99, 6)));
    }

    @Test
    void priceChangeThatNowCrossesMatchesAfterTheAmendedEvent() {
        f.apply(gtc(1, 1, Side.BUY, 99, 5));
        f.apply(gtc(2, 2, Side.SELL, 101, 3));
        f.apply(gtc(3, 3, Side.SELL, 102, 4));
        // lock 5 × 99 = 495 becomes 5 × 101 = 505; after 3 traded at 101 it is 2 × 101 = 202.
        assertEquals(List.of(
            new Event.Balance(1, USDT, FUNDS - 505, 505),
            new Event.Amended(1, 99, 5, 101, 5, 5, false),
            new Event.Trade(1, 1, 2, 101, 3, 0, 0),
            new Event.Balance(1, USDT, FUNDS - 505, 202),
            new Event.Balance(1, TSLA, SHARES + 3, 0),
            new Event.Balance(2, TSLA, SHARES - 3, 0),
            new Event.Balance(2, USDT, FUNDS + 303, 0),
            new Event.Done(2, DoneReason.FILLED, 3, 0),
            new Event.Rested(1, 101, 2)), f.apply(amend(1, 1, 101, 5)));
        assertEquals(List.of(1L), queue(Side.BUY));
        assertEquals(List.of(3L), queue(Side.SELL));
    }

    @Test
    void priceChangeThatFillsEndsTheOrder() {
        f.apply(gtc(1, 1, Side.SELL, 102, 4));
        f.apply(gtc(2, 2, Side.SELL, 101, 3));
        f.apply(gtc(3, 3, Side.BUY, 99, 4));
        assertEquals(List.of(
            new Event.Amended(3, 99, 4, 102, 4, 4, false),
            new Event.Trade(1, 3, 2, 101, 3, 0, 0),
            new Event.Done(2, DoneReason.FILLED, 3, 0),
            new Event.Trade(2, 3, 1, 102, 1, 0, 0),
            new Event.Done(3, DoneReason.FILLED, 4, 0)), f.flow(amend(3, 3, 102, 4)));
        assertNull(f.engine.order(3));
        assertEquals(List.of(), queue(Side.BUY));
        assertEquals(0, f.engine.locked(3, USDT));
        assertEquals(FUNDS - 303 - 102, f.engine.available(3, USDT));
    }

    @Test
    void quantityUpGoesToTheBackOfItsLevel() {
        f.apply(gtc(1, 1, Side.SELL, 100, 5));
        f.apply(gtc(2, 2, Side.SELL, 100, 5));
        assertEquals(List.of(
            new Event.Balance(1, TSLA, SHARES - 8, 8),
            new Event.Amended(1, 100, 5, 100, 8, 8, false),
            new Event.Rested(1, 100, 8)), f.apply(amend(1, 1, 100, 8)));
        assertEquals(List.of(2L, 1L), queue(Side.SELL));
        assertEquals(List.of(
            new Event.Accepted(3, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 100, 6),
            new Event.Trade(1, 3, 2, 100, 5, 0, 0),
            new Event.Done(2, DoneReason.FILLED, 5, 0),
            new Event.Trade(2, 3, 1, 100, 1, 0, 0),
            new Event.Done(3, DoneReason.FILLED, 6, 0)), f.flow(gtc(3, 3, Side.BUY, 100, 6)));
        assertEquals(7, f.engine.order(1).remaining());
    }

    @Test
    void quantityAtOrBelowWhatHasTradedEndsTheOrder() {
        f.apply(gtc(1, 1, Side.SELL, 100, 10));
        f.apply(gtc(1, 2, Side.SELL, 100, 10));
        f.apply(gtc(2, 3, Side.BUY, 100, 14));
        // order 1 is filled, order 2 has traded 4 of 10 and locks the 6 left
        assertEquals(List.of(
            new Event.Balance(1, TSLA, SHARES - 20 + 6, 0),
            new Event.Done(2, DoneReason.REDUCED_TO_ZERO, 4, 6)), f.apply(amend(1, 2, 100, 4)));
        assertNull(f.engine.order(2));

        f.apply(gtc(1, 4, Side.SELL, 100, 10));
        f.apply(gtc(2, 5, Side.BUY, 100, 4));
        // a new price with a total below what has traded ends it as well
        assertEquals(List.of(
            new Event.Balance(1, TSLA, SHARES - 18, 0), // 14 sold before, 4 now
            new Event.Done(4, DoneReason.REDUCED_TO_ZERO, 4, 6)), f.apply(amend(1, 4, 101, 3)));
        assertEquals(List.of(), queue(Side.SELL));
    }

    @Test
    void amendByClientOrderId() {
        f.apply(new Command.PlaceOrder(1, 1, "q-1", TSLAX, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 100, 10, 0));
        assertEquals(List.of(new Event.Rejected("AmendOrder", RejectReason.REQUEST_UNKNOWN_ORDER)),
            f.flow(new Command.AmendOrder(2, 0, "q-1", 100, 7)));
        assertEquals(List.of(new Event.Amended(1, 100, 10, 100, 7, 7, true)),
            f.flow(new Command.AmendOrder(1, 0, "q-1", 100, 7)));
        assertEquals(List.of(
            new Event.Amended(1, 100, 7, 101, 7, 7, false),
            new Event.Rested(1, 101, 7)), f.flow(new Command.AmendOrder(1, 0, "q-1", 101, 7)));
        assertEquals("q-1", f.engine.order(1).clientOrderId());
    }

    @Test
    void amendThatChangesNothingIsRejected() {
        f.apply(gtc(1, 1, Side.BUY, 100, 10));
        assertEquals(List.of(new Event.Rejected("AmendOrder", RejectReason.REQUEST_AMEND_NOTHING_TO_CHANGE)),
            f.apply(amend(1, 1, 100, 10)));
        assertEquals(List.of(new Event.Rejected("AmendOrder", RejectReason.REQUEST_UNKNOWN_ORDER)),
            f.apply(amend(1, 99, 100, 5)));
    }

    @Test
    void amendNeedingMoreFundsThanAvailableIsRejectedAndLeavesTheOrderAsItWas() {
        f.apply(new Command.CreateAccount(5, 0, 0, StpMode.EXPIRE_TAKER));
        f.apply(new Command.Deposit(5, USDT, 1_000));
        f.apply(gtc(5, 1, Side.BUY, 100, 5));
        f.apply(gtc(2, 2, Side.BUY, 100, 5));
        // 11 lots need 1,100, 600 more than the 500 locked, and only 500 are available
        assertEquals(List.of(new Event.Rejected("AmendOrder", RejectReason.RISK_INSUFFICIENT_FUNDS)),
            f.apply(amend(5, 1, 100, 11)));
        assertEquals(List.of(new Event.Rejected("AmendOrder", RejectReason.RISK_INSUFFICIENT_FUNDS)),
            f.apply(amend(5, 1, 201, 5)));
        assertEquals(5, f.engine.order(1).remaining());
        assertEquals(100, f.engine.order(1).price());
        assertEquals(List.of(1L, 2L), queue(Side.BUY));
        assertEquals(500, f.engine.available(5, USDT));
        assertEquals(500, f.engine.locked(5, USDT));
        // exactly what is available is enough
        assertEquals(List.of(
            new Event.Balance(5, USDT, 0, 1_000),
            new Event.Amended(1, 100, 5, 100, 10, 10, false),
            new Event.Rested(1, 100, 10)), f.apply(amend(5, 1, 100, 10)));
    }

    @Test
    void lockAfterEveryAmendIsWhatTheOrderCanStillCost() {
        f.fundedAccount(5, 10, 25, StpMode.EXPIRE_TAKER);
        // A buy locks value + floor(value × 25 / 10,000), the higher of its two fee rates.
        f.apply(gtc(5, 1, Side.BUY, 10_000, 10));
        assertEquals(100_000 + 250, f.engine.locked(5, USDT));

        f.apply(amend(5, 1, 10_000, 7));
        assertEquals(70_000 + 175, f.engine.locked(5, USDT));

        f.apply(amend(5, 1, 9_999, 7));
        assertEquals(69_993 + 174, f.engine.locked(5, USDT)); // 174.98 rounded down

        // 3 lots trade with order 1 as the maker: it pays 29,997 + floor(29.997) = 30,026
        f.apply(gtc(2, 2, Side.SELL, 9_999, 3));
        assertEquals(39_996 + 99, f.engine.locked(5, USDT)); // 4 left; 99.99 rounded down
        assertEquals(FUNDS - 30_026 - 40_095, f.engine.available(5, USDT));

        f.apply(amend(5, 1, 9_999, 9));
        assertEquals(59_994 + 149, f.engine.locked(5, USDT)); // 9 − 3 filled = 6 left

        f.apply(amend(5, 1, 10_001, 9));
        assertEquals(60_006 + 150, f.engine.locked(5, USDT));
        assertEquals(FUNDS - 30_026 - 60_156, f.engine.available(5, USDT));

        f.apply(amend(5, 1, 10_001, 4));
        assertEquals(10_001 + 25, f.engine.locked(5, USDT)); // 1 left
        assertEquals(FUNDS - 30_026 - 10_026, f.engine.available(5, USDT));
    }

    @Test
    void sellLockFollowsTheRemainingQuantity() {
        f.apply(gtc(1, 1, Side.SELL, 100, 10));
        f.apply(amend(1, 1, 100, 4));
        assertEquals(4, f.engine.locked(1, TSLA));
        f.apply(amend(1, 1, 105, 12));
        assertEquals(12, f.engine.locked(1, TSLA));
        assertEquals(SHARES - 12, f.engine.available(1, TSLA));
    }

    @Test
    void postOnlyAmendedToACrossingPriceIsRejected() {
        f.apply(gtc(1, 1, Side.SELL, 101, 5));
        f.apply(limit(2, 2, TSLAX, Side.BUY, TimeInForce.POST_ONLY, 100, 5));
        assertEquals(List.of(new Event.Rejected("AmendOrder", RejectReason.MATCHING_POST_ONLY_WOULD_CROSS)),
            f.apply(amend(2, 2, 101, 5)));
        assertEquals(100, f.engine.order(2).price());
        assertEquals(500, f.engine.locked(2, USDT));
    }

    // ---------------------------------------------------------------------------------------------
    // Cancel-all

    /** Account 1: orders 1 (TSLAx sell), 2 (TSLAx buy), 3 (NVDAx sell), 4 (TSLAx buy); account 2: order 5. */
    private void ordersOnTwoSymbols() {
        f.apply(gtc(1, 1, Side.SELL, 101, 1));
        f.apply(gtc(1, 2, Side.BUY, 99, 1));
        f.apply(limit(1, 3, NVDAX, Side.SELL, TimeInForce.GTC, 200, 1));
        f.apply(gtc(1, 4, Side.BUY, 98, 2));
        f.apply(gtc(2, 5, Side.BUY, 97, 1));
    }

    @Test
    void cancelAllOnOneSymbolCancelsOnlyThatAccountsOrdersThereNewestFirst() {
        ordersOnTwoSymbols();
        // USDT locked: 99 for order 2 and 196 for order 4
        assertEquals(List.of(
            new Event.Balance(1, USDT, FUNDS - 99, 99),
            new Event.Done(4, DoneReason.CANCELLED_ALL, 0, 2),
            new Event.Balance(1, USDT, FUNDS, 0),
            new Event.Done(2, DoneReason.CANCELLED_ALL, 0, 1),
            new Event.Balance(1, TSLA, SHARES, 0),
            new Event.Done(1, DoneReason.CANCELLED_ALL, 0, 1)), f.apply(new Command.CancelAll(1, TSLAX)));
        assertEquals(List.of(5L), queue(Side.BUY));
        assertEquals(List.of(), queue(Side.SELL));
        assertEquals(200, f.engine.order(3).price());
        assertEquals(1, f.engine.locked(1, NVDA));
        assertEquals(97, f.engine.locked(2, USDT));
        assertEquals(2, f.engine.liveOrderCount());
    }

    @Test
    void cancelAllOnAllSymbolsCancelsEveryOrderOfTheAccountNewestFirst() {
        ordersOnTwoSymbols();
        assertEquals(List.of(
            new Event.Balance(1, USDT, FUNDS - 99, 99),
            new Event.Done(4, DoneReason.CANCELLED_ALL, 0, 2),
            new Event.Balance(1, NVDA, SHARES, 0),
            new Event.Done(3, DoneReason.CANCELLED_ALL, 0, 1),
            new Event.Balance(1, USDT, FUNDS, 0),
            new Event.Done(2, DoneReason.CANCELLED_ALL, 0, 1),
            new Event.Balance(1, TSLA, SHARES, 0),
            new Event.Done(1, DoneReason.CANCELLED_ALL, 0, 1)),
            f.apply(new Command.CancelAll(1, Command.CancelAll.ALL_INSTRUMENTS)));
        assertEquals(1, f.engine.liveOrderCount());
        assertEquals(List.of(5L), queue(Side.BUY));
        assertEquals(0, f.engine.locked(1, USDT));
        assertEquals(0, f.engine.locked(1, TSLA));
        assertEquals(0, f.engine.locked(1, NVDA));
    }

    @Test
    void cancelAllReportsWhatAPartlyFilledOrderHadTraded() {
        f.apply(gtc(1, 1, Side.SELL, 100, 5));
        f.apply(gtc(1, 2, Side.SELL, 101, 5));
        f.apply(gtc(2, 3, Side.BUY, 100, 2));
        assertEquals(List.of(
            new Event.Done(2, DoneReason.CANCELLED_ALL, 0, 5),
            new Event.Done(1, DoneReason.CANCELLED_ALL, 2, 3)),
            f.flow(new Command.CancelAll(1, Command.CancelAll.ALL_INSTRUMENTS)));
        assertEquals(SHARES - 2, f.engine.available(1, TSLA));
        assertEquals(0, f.engine.locked(1, TSLA));
    }

    @Test
    void cancelAllWithNothingLiveDoesNothing() {
        f.apply(gtc(2, 1, Side.BUY, 100, 5));
        assertEquals(List.of(), f.apply(new Command.CancelAll(1, Command.CancelAll.ALL_INSTRUMENTS)));
        assertEquals(1, f.engine.liveOrderCount());
    }

    @Test
    void cancelAllOfAnUnknownAccountOrInstrumentIsRejected() {
        f.apply(gtc(1, 1, Side.BUY, 100, 5));
        assertEquals(List.of(new Event.Rejected("CancelAll", RejectReason.REQUEST_UNKNOWN_ACCOUNT)),
            f.apply(new Command.CancelAll(77, Command.CancelAll.ALL_INSTRUMENTS)));
        assertEquals(List.of(new Event.Rejected("CancelAll", RejectReason.REQUEST_UNKNOWN_INSTRUMENT)),
            f.apply(new Command.CancelAll(1, 7)));
        assertEquals(1, f.engine.liveOrderCount());
    }
}
