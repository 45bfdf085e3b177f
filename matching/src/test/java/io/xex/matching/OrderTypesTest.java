package io.xex.matching;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.xex.matching.EngineFixture.MAX_PRICE;
import static io.xex.matching.EngineFixture.MAX_QUANTITY;
import static io.xex.matching.EngineFixture.TSLA;
import static io.xex.matching.EngineFixture.TSLAX;
import static io.xex.matching.EngineFixture.USDT;
import static io.xex.matching.EngineFixture.gtc;
import static io.xex.matching.EngineFixture.limit;
import static io.xex.matching.EngineFixture.market;
import static io.xex.matching.EngineFixture.marketBudget;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** FOK, POST_ONLY and MARKET orders (SPEC §4), by quantity and by quote budget. */
class OrderTypesTest {
    private static final long FUNDS = 100_000_000;
    private static final long SHARES = 1_000;

    private final EngineFixture f = new EngineFixture();

    /** One price level as the book shows it. */
    private record Depth(long price, long quantity, int orders) {
    }

    @BeforeEach
    void accounts() {
        f.fundedAccount(1);
        f.fundedAccount(2);
        f.fundedAccount(3);
        f.fundedAccount(4);
    }

    private List<Depth> depth(Side side) {
        List<Depth> levels = new ArrayList<>();
        f.engine.forEachLevel(TSLAX, side, Integer.MAX_VALUE, (price, quantity, orders) ->
            levels.add(new Depth(price, quantity, orders)));
        return levels;
    }

    private static Command.PlaceOrder fok(long account, long orderId, Side side, long price, long quantity) {
        return limit(account, orderId, TSLAX, side, TimeInForce.FOK, price, quantity);
    }

    private static Command.PlaceOrder postOnly(long account, long orderId, Side side, long price, long quantity) {
        return limit(account, orderId, TSLAX, side, TimeInForce.POST_ONLY, price, quantity);
    }

    /** Asks of three other accounts: 3 at 100, 4 at 101, 5 at 102. */
    private void threeAskLevels() {
        f.apply(gtc(1, 1, Side.SELL, 100, 3));
        f.apply(gtc(2, 2, Side.SELL, 101, 4));
        f.apply(gtc(3, 3, Side.SELL, 102, 5));
    }

    // ---------------------------------------------------------------------------------------------
    // FOK

    @Test
    void fokFillsCompletelyAcrossSeveralLevels() {
        threeAskLevels();
        assertEquals(List.of(
            new Event.Accepted(4, Side.BUY, OrderType.LIMIT, TimeInForce.FOK, 102, 9),
            new Event.Trade(1, 4, 1, 100, 3, 0, 0),
            new Event.Done(1, DoneReason.FILLED, 3, 0),
            new Event.Trade(2, 4, 2, 101, 4, 0, 0),
            new Event.Done(2, DoneReason.FILLED, 4, 0),
            new Event.Trade(3, 4, 3, 102, 2, 0, 0),
            new Event.Done(4, DoneReason.FILLED, 9, 0)), f.flow(fok(4, 4, Side.BUY, 102, 9)));
        assertEquals(List.of(new Depth(102, 3, 1)), depth(Side.SELL));
        // 3 × 100 + 4 × 101 + 2 × 102 = 908 cents paid, 9 shares received
        assertEquals(FUNDS - 908, f.engine.available(4, USDT));
        assertEquals(0, f.engine.locked(4, USDT));
        assertEquals(SHARES + 9, f.engine.available(4, TSLA));
    }

    @Test
    void fokShortByOneLotWithinItsLimitExpiresWithoutTouchingTheBook() {
        threeAskLevels();
        f.apply(gtc(1, 5, Side.SELL, 103, 10));
        List<Depth> before = depth(Side.SELL);
        // 12 lots are offered up to 102; the 10 at 103 are beyond the limit and do not count.
        assertEquals(List.of(
            new Event.Balance(4, USDT, FUNDS - 102 * 13, 102 * 13),
            new Event.Accepted(6, Side.BUY, OrderType.LIMIT, TimeInForce.FOK, 102, 13),
            new Event.Balance(4, USDT, FUNDS, 0),
            new Event.Done(6, DoneReason.EXPIRED_FOK, 0, 13)), f.apply(fok(4, 6, Side.BUY, 102, 13)));
        assertEquals(0, f.engine.lastTradeId());
        assertEquals(before, depth(Side.SELL));
        assertEquals(List.of(new Depth(100, 3, 1), new Depth(101, 4, 1), new Depth(102, 5, 1), new Depth(103, 10, 1)),
            before);
    }

    @Test
    void fokSellShortByOneLotExpires() {
        f.apply(gtc(1, 1, Side.BUY, 100, 3));
        f.apply(gtc(2, 2, Side.BUY, 99, 4));
        assertEquals(List.of(
            new Event.Accepted(3, Side.SELL, OrderType.LIMIT, TimeInForce.FOK, 99, 8),
            new Event.Done(3, DoneReason.EXPIRED_FOK, 0, 8)), f.flow(fok(3, 3, Side.SELL, 99, 8)));
        assertEquals(List.of(new Depth(100, 3, 1), new Depth(99, 4, 1)), depth(Side.BUY));
        assertEquals(SHARES, f.engine.available(3, TSLA));
        assertEquals(0, f.engine.locked(3, TSLA));
    }

    /** Account 9 rests 5 at 100 first; then account 2 rests 5 at 100 and account 3 rests 5 at 101. */
    private void ownOrderAheadOfOthers(StpMode mode) {
        f.fundedAccount(9, 0, 0, mode);
        f.apply(gtc(9, 10, Side.SELL, 100, 5));
        f.apply(gtc(2, 11, Side.SELL, 100, 5));
        f.apply(gtc(3, 12, Side.SELL, 101, 5));
    }

    @Test
    void fokUnderExpireTakerExpiresWhenItWouldReachItsOwnOrderFirst() {
        ownOrderAheadOfOthers(StpMode.EXPIRE_TAKER);
        // Others offer exactly 10, but the own order at the head of 100 would stop the taker.
        assertEquals(List.of(
            new Event.Accepted(20, Side.BUY, OrderType.LIMIT, TimeInForce.FOK, 101, 10),
            new Event.Done(20, DoneReason.EXPIRED_FOK, 0, 10)), f.flow(fok(9, 20, Side.BUY, 101, 10)));
        assertEquals(List.of(new Depth(100, 10, 2), new Depth(101, 5, 1)), depth(Side.SELL));
        assertEquals(5, f.engine.order(10).remaining());
    }

    @Test
    void fokUnderExpireTakerFillsWhenOthersFillItBeforeItsOwnOrder() {
        f.fundedAccount(9, 0, 0, StpMode.EXPIRE_TAKER);
        f.apply(gtc(2, 11, Side.SELL, 100, 5));
        f.apply(gtc(9, 10, Side.SELL, 101, 5));
        assertEquals(List.of(
            new Event.Accepted(20, Side.BUY, OrderType.LIMIT, TimeInForce.FOK, 101, 5),
            new Event.Trade(1, 20, 11, 100, 5, 0, 0),
            new Event.Done(11, DoneReason.FILLED, 5, 0),
            new Event.Done(20, DoneReason.FILLED, 5, 0)), f.flow(fok(9, 20, Side.BUY, 101, 5)));
        assertEquals(List.of(new Depth(101, 5, 1)), depth(Side.SELL));
    }

    @Test
    void fokUnderExpireBothExpiresWithoutExpiringItsOwnOrder() {
        ownOrderAheadOfOthers(StpMode.EXPIRE_BOTH);
        assertEquals(List.of(
            new Event.Accepted(20, Side.BUY, OrderType.LIMIT, TimeInForce.FOK, 101, 10),
            new Event.Done(20, DoneReason.EXPIRED_FOK, 0, 10)), f.flow(fok(9, 20, Side.BUY, 101, 10)));
        assertEquals(List.of(new Depth(100, 10, 2), new Depth(101, 5, 1)), depth(Side.SELL));
    }

    @Test
    void fokUnderExpireMakerCountsOnlyOthersAndExpiresItsOwnOrdersWhenItFills() {
        ownOrderAheadOfOthers(StpMode.EXPIRE_MAKER);
        assertEquals(List.of(
            new Event.Accepted(20, Side.BUY, OrderType.LIMIT, TimeInForce.FOK, 101, 10),
            new Event.Done(10, DoneReason.EXPIRED_SELF_TRADE, 0, 5),
            new Event.Trade(1, 20, 11, 100, 5, 0, 0),
            new Event.Done(11, DoneReason.FILLED, 5, 0),
            new Event.Trade(2, 20, 12, 101, 5, 0, 0),
            new Event.Done(12, DoneReason.FILLED, 5, 0),
            new Event.Done(20, DoneReason.FILLED, 10, 0)), f.flow(fok(9, 20, Side.BUY, 101, 10)));
        assertEquals(List.of(), depth(Side.SELL));
        // Its own 5 shares came back unlocked; it bought 10 for 5 × 100 + 5 × 101 = 1,005 cents.
        assertEquals(SHARES + 10, f.engine.available(9, TSLA));
        assertEquals(0, f.engine.locked(9, TSLA));
        assertEquals(FUNDS - 1_005, f.engine.available(9, USDT));
    }

    @Test
    void fokUnderExpireMakerShortOfOthersLiquidityExpiresAndLeavesItsOwnOrder() {
        ownOrderAheadOfOthers(StpMode.EXPIRE_MAKER);
        // 15 lots rest up to 101, but only 10 of them belong to others.
        assertEquals(List.of(
            new Event.Accepted(20, Side.BUY, OrderType.LIMIT, TimeInForce.FOK, 101, 11),
            new Event.Done(20, DoneReason.EXPIRED_FOK, 0, 11)), f.flow(fok(9, 20, Side.BUY, 101, 11)));
        assertEquals(List.of(new Depth(100, 10, 2), new Depth(101, 5, 1)), depth(Side.SELL));
        assertEquals(5, f.engine.order(10).remaining());
    }

    @Test
    void fokUnderNoneCountsAndTradesWithItsOwnOrders() {
        ownOrderAheadOfOthers(StpMode.NONE);
        assertEquals(List.of(
            new Event.Accepted(20, Side.BUY, OrderType.LIMIT, TimeInForce.FOK, 101, 15),
            new Event.Trade(1, 20, 10, 100, 5, 0, 0),
            new Event.Done(10, DoneReason.FILLED, 5, 0),
            new Event.Trade(2, 20, 11, 100, 5, 0, 0),
            new Event.Done(11, DoneReason.FILLED, 5, 0),
            new Event.Trade(3, 20, 12, 101, 5, 0, 0),
            new Event.Done(12, DoneReason.FILLED, 5, 0),
            new Event.Done(20, DoneReason.FILLED, 15, 0)), f.flow(fok(9, 20, Side.BUY, 101, 15)));
        assertEquals(List.of(), depth(Side.SELL));
        // Net: sold 5 to itself, bought 15; paid 5 × 100 + 5 × 101 to others.
        assertEquals(SHARES + 10, f.engine.available(9, TSLA));
        assertEquals(FUNDS - 1_005, f.engine.available(9, USDT));
    }

    // ---------------------------------------------------------------------------------------------
    // POST_ONLY

    @Test
    void postOnlyRestsWhenItDoesNotCross() {
        f.apply(gtc(1, 1, Side.SELL, 101, 5));
        f.apply(gtc(1, 2, Side.BUY, 99, 5));
        assertEquals(List.of(
            new Event.Accepted(3, Side.BUY, OrderType.LIMIT, TimeInForce.POST_ONLY, 100, 5),
            new Event.Rested(3, 100, 5)), f.flow(postOnly(2, 3, Side.BUY, 100, 5)));
        assertEquals(List.of(
            new Event.Accepted(4, Side.SELL, OrderType.LIMIT, TimeInForce.POST_ONLY, 101, 2),
            new Event.Rested(4, 101, 2)), f.flow(postOnly(2, 4, Side.SELL, 101, 2)));
        assertEquals(List.of(new Depth(101, 7, 2)), depth(Side.SELL));
        assertEquals(List.of(new Depth(100, 5, 1), new Depth(99, 5, 1)), depth(Side.BUY));
    }

    @Test
    void postOnlyBuyAtOrAboveTheBestAskIsRejectedWithoutLockingAnything() {
        f.apply(gtc(1, 1, Side.SELL, 101, 5));
        assertEquals(List.of(new Event.Rejected("PlaceOrder", RejectReason.MATCHING_POST_ONLY_WOULD_CROSS)),
            f.apply(postOnly(2, 2, Side.BUY, 101, 5)));
        assertEquals(List.of(new Event.Rejected("PlaceOrder", RejectReason.MATCHING_POST_ONLY_WOULD_CROSS)),
            f.apply(postOnly(2, 3, Side.BUY, 102, 5)));
        assertEquals(0, f.engine.lastTradeId());
        assertEquals(List.of(new Depth(101, 5, 1)), depth(Side.SELL));
        assertEquals(FUNDS, f.engine.available(2, USDT));
        assertEquals(0, f.engine.locked(2, USDT));
    }

    @Test
    void postOnlySellAtOrBelowTheBestBidIsRejected() {
        f.apply(gtc(1, 1, Side.BUY, 100, 5));
        assertEquals(List.of(new Event.Rejected("PlaceOrder", RejectReason.MATCHING_POST_ONLY_WOULD_CROSS)),
            f.apply(postOnly(2, 2, Side.SELL, 100, 5)));
        assertEquals(List.of(new Event.Rejected("PlaceOrder", RejectReason.MATCHING_POST_ONLY_WOULD_CROSS)),
            f.apply(postOnly(2, 3, Side.SELL, 99, 5)));
        assertEquals(List.of(new Depth(100, 5, 1)), depth(Side.BUY));
        assertEquals(0, f.engine.locked(2, TSLA));
    }

    // ---------------------------------------------------------------------------------------------
    // MARKET by quantity

    @Test
    void marketBuySweepsLevelsAndItsRemainderExpires() {
        f.apply(gtc(1, 1, Side.SELL, 100, 3));
        f.apply(gtc(2, 2, Side.SELL, 101, 4));
        // Without a band a MARKET buy is bounded by the instrument's max price, which it shows and locks at.
        assertEquals(List.of(
            new Event.Accepted(3, Side.BUY, OrderType.MARKET, TimeInForce.IOC, MAX_PRICE, 10),
            new Event.Trade(1, 3, 1, 100, 3, 0, 0),
            new Event.Done(1, DoneReason.FILLED, 3, 0),
            new Event.Trade(2, 3, 2, 101, 4, 0, 0),
            new Event.Done(2, DoneReason.FILLED, 4, 0),
            new Event.Done(3, DoneReason.EXPIRED_IOC, 7, 3)), f.flow(market(4, 3, Side.BUY, 10)));
        assertEquals(List.of(), depth(Side.SELL));
        assertEquals(List.of(), depth(Side.BUY));
        assertEquals(FUNDS - 300 - 404, f.engine.available(4, USDT));
        assertEquals(0, f.engine.locked(4, USDT));
        assertEquals(SHARES + 7, f.engine.available(4, TSLA));
    }

    @Test
    void marketSellSweepsBidsBestFirstAndStopsWhenFilled() {
        f.apply(gtc(1, 1, Side.BUY, 100, 3));
        f.apply(gtc(2, 2, Side.BUY, 99, 2));
        // A MARKET sell's bound is the lowest price, one tick.
        assertEquals(List.of(
            new Event.Accepted(3, Side.SELL, OrderType.MARKET, TimeInForce.IOC, 1, 4),
            new Event.Trade(1, 3, 1, 100, 3, 0, 0),
            new Event.Done(1, DoneReason.FILLED, 3, 0),
            new Event.Trade(2, 3, 2, 99, 1, 0, 0),
            new Event.Done(3, DoneReason.FILLED, 4, 0)), f.flow(market(3, 3, Side.SELL, 4)));
        assertEquals(List.of(new Depth(99, 1, 1)), depth(Side.BUY));
        assertEquals(FUNDS + 300 + 99, f.engine.available(3, USDT));
        assertEquals(SHARES - 4, f.engine.available(3, TSLA));
        assertEquals(0, f.engine.locked(3, TSLA));
    }

    @Test
    void marketOnAnEmptySideExpiresAtOnce() {
        assertEquals(List.of(
            new Event.Accepted(1, Side.SELL, OrderType.MARKET, TimeInForce.IOC, 1, 4),
            new Event.Done(1, DoneReason.EXPIRED_IOC, 0, 4)), f.flow(market(3, 1, Side.SELL, 4)));
        assertEquals(0, f.engine.locked(3, TSLA));
        assertEquals(SHARES, f.engine.available(3, TSLA));
    }

    @Test
    void marketWithATimeInForceOtherThanIocIsRejected() {
        f.apply(gtc(1, 1, Side.SELL, 100, 3));
        for (TimeInForce tif : List.of(TimeInForce.GTC, TimeInForce.FOK, TimeInForce.POST_ONLY)) {
            assertEquals(List.of(new Event.Rejected("PlaceOrder", RejectReason.REQUEST_INVALID_TIME_IN_FORCE)),
                f.apply(new Command.PlaceOrder(2, 2, null, TSLAX, Side.BUY, OrderType.MARKET, tif, 0, 3, 0)), tif.name());
        }
        assertEquals(List.of(new Depth(100, 3, 1)), depth(Side.SELL));
    }

    // ---------------------------------------------------------------------------------------------
    // MARKET buy by quote budget

    @Test
    void budgetBuyTakesWholeLotsAcrossLevelsAndReleasesTheRestExactly() {
        f.apply(gtc(1, 1, Side.SELL, 100, 3));
        f.apply(gtc(2, 2, Side.SELL, 101, 4));
        f.apply(gtc(3, 3, Side.SELL, 102, 10));
        // 1,000 cents: 3 × 100 = 300 (700 left), 4 × 101 = 404 (296 left), 2 × 102 = 204 (92 left);
        // a third lot at 102 would need 102 > 92. The budget is the lock; 92 comes back.
        assertEquals(List.of(
            new Event.Balance(4, USDT, FUNDS - 1_000, 1_000),
            // the quantity a budget buy may reach is the instrument's max quantity
            new Event.Accepted(4, Side.BUY, OrderType.MARKET, TimeInForce.IOC, MAX_PRICE, MAX_QUANTITY),
            new Event.Trade(1, 4, 1, 100, 3, 0, 0),
            new Event.Balance(4, USDT, FUNDS - 1_000, 700),
            new Event.Balance(4, TSLA, SHARES + 3, 0),
            new Event.Balance(1, TSLA, SHARES - 3, 0),
            new Event.Balance(1, USDT, FUNDS + 300, 0),
            new Event.Done(1, DoneReason.FILLED, 3, 0),
            new Event.Trade(2, 4, 2, 101, 4, 0, 0),
            new Event.Balance(4, USDT, FUNDS - 1_000, 296),
            new Event.Balance(4, TSLA, SHARES + 7, 0),
            new Event.Balance(2, TSLA, SHARES - 4, 0),
            new Event.Balance(2, USDT, FUNDS + 404, 0),
            new Event.Done(2, DoneReason.FILLED, 4, 0),
            new Event.Trade(3, 4, 3, 102, 2, 0, 0),
            new Event.Balance(4, USDT, FUNDS - 1_000, 92),
            new Event.Balance(4, TSLA, SHARES + 9, 0),
            new Event.Balance(3, TSLA, SHARES - 10, 8),
            new Event.Balance(3, USDT, FUNDS + 204, 0),
            new Event.Balance(4, USDT, FUNDS - 908, 0),
            new Event.Done(4, DoneReason.EXPIRED_BUDGET_SPENT, 9, 0)), f.apply(marketBudget(4, 4, 1_000)));
        assertEquals(List.of(new Depth(102, 8, 1)), depth(Side.SELL));
    }

    @Test
    void budgetBuyCountsItsTakerFeeAgainstTheBudget() {
        f.fundedAccount(5, 10, 25, StpMode.EXPIRE_TAKER);
        f.apply(gtc(1, 1, Side.SELL, 10_000, 3));
        f.apply(gtc(2, 2, Side.SELL, 10_100, 4));
        f.apply(gtc(3, 3, Side.SELL, 10_200, 10));
        // Budget 101,200 cents, taker fee 25 bps rounded down per trade:
        //   3 × 10,000 = 30,000 + fee 75             = 30,075 (71,125 left)
        //   4 × 10,100 = 40,400 + fee 101 (101.0)    = 40,501 (30,624 left)
        //   at 10,200: 3 lots = 30,600 + 76 (76.5)  = 30,676 > 30,624, though 30,600 alone would fit;
        //              2 lots = 20,400 + 51          = 20,451 (10,173 left, less than one more lot)
        assertEquals(List.of(
            new Event.Accepted(4, Side.BUY, OrderType.MARKET, TimeInForce.IOC, MAX_PRICE, MAX_QUANTITY),
            new Event.Trade(1, 4, 1, 10_000, 3, 75, 0),
            new Event.Done(1, DoneReason.FILLED, 3, 0),
            new Event.Trade(2, 4, 2, 10_100, 4, 101, 0),
            new Event.Done(2, DoneReason.FILLED, 4, 0),
            new Event.Trade(3, 4, 3, 10_200, 2, 51, 0),
            new Event.Done(4, DoneReason.EXPIRED_BUDGET_SPENT, 9, 0)), f.flow(marketBudget(5, 4, 101_200)));
        assertEquals(FUNDS - 101_200 + 10_173, f.engine.available(5, USDT));
        assertEquals(0, f.engine.locked(5, USDT));
        assertEquals(SHARES + 9, f.engine.available(5, TSLA));
        assertEquals(75 + 101 + 51, f.engine.available(0, USDT));
        assertEquals(List.of(new Depth(10_200, 8, 1)), depth(Side.SELL));
    }

    @Test
    void budgetBuyThatEmptiesTheBookExpiresAndReleasesWhatIsLeft() {
        f.apply(gtc(1, 1, Side.SELL, 100, 3));
        assertEquals(List.of(
            new Event.Accepted(2, Side.BUY, OrderType.MARKET, TimeInForce.IOC, MAX_PRICE, MAX_QUANTITY),
            new Event.Trade(1, 2, 1, 100, 3, 0, 0),
            new Event.Done(1, DoneReason.FILLED, 3, 0),
            new Event.Done(2, DoneReason.EXPIRED_IOC, 3, 0)), f.flow(marketBudget(4, 2, 1_000)));
        assertEquals(FUNDS - 300, f.engine.available(4, USDT));
        assertEquals(0, f.engine.locked(4, USDT));
    }

    @Test
    void budgetWithASellOrWithAQuantityOrOnALimitOrderIsRejected() {
        f.apply(gtc(1, 1, Side.BUY, 100, 3));
        f.apply(gtc(1, 2, Side.SELL, 101, 3));
        Command.PlaceOrder sell = new Command.PlaceOrder(2, 3, null, TSLAX, Side.SELL, OrderType.MARKET,
            TimeInForce.IOC, 0, 0, 1_000);
        Command.PlaceOrder withQuantity = new Command.PlaceOrder(2, 4, null, TSLAX, Side.BUY, OrderType.MARKET,
            TimeInForce.IOC, 0, 5, 1_000);
        Command.PlaceOrder onLimit = new Command.PlaceOrder(2, 5, null, TSLAX, Side.BUY, OrderType.LIMIT,
            TimeInForce.IOC, 101, 5, 1_000);
        for (Command.PlaceOrder c : List.of(sell, withQuantity, onLimit)) {
            assertEquals(List.of(new Event.Rejected("PlaceOrder", RejectReason.REQUEST_INVALID_QUOTE_BUDGET)), f.apply(c),
                c.toString());
        }
        assertEquals(0, f.engine.lastTradeId());
        assertEquals(0, f.engine.locked(2, USDT));
        assertEquals(0, f.engine.locked(2, TSLA));
    }
}
