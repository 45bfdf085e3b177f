package io.xex.matching;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.xex.matching.EngineFixture.TSLA;
import static io.xex.matching.EngineFixture.TSLAX;
import static io.xex.matching.EngineFixture.USDT;
import static io.xex.matching.EngineFixture.gtc;
import static io.xex.matching.EngineFixture.limit;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Self-trade prevention per account (SPEC §4): what an incoming order of account 9 does when it reaches
 * a resting order of account 9. Accounts 1 and 2 are other traders.
 */
class SelfTradePreventionTest {
    private static final long FUNDS = 100_000_000;
    private static final long SHARES = 1_000;
    private static final long SELF = 9;

    private final EngineFixture f = new EngineFixture();

    @BeforeEach
    void others() {
        f.fundedAccount(1);
        f.fundedAccount(2);
    }

    /** Ids of the resting orders of one side of TSLAx, in priority order. */
    private List<Long> queue(Side side) {
        List<Long> ids = new ArrayList<>();
        f.engine.forEachOrder(TSLAX, side, order -> ids.add(order.orderId()));
        return ids;
    }

    /** At 100: 2 of account 2 (order 1), 3 of account 9 (order 2), 4 of account 1 (order 3). */
    private void ownOrderBetweenOthers(StpMode mode) {
        f.fundedAccount(SELF, 0, 0, mode);
        f.apply(gtc(2, 1, Side.SELL, 100, 2));
        f.apply(gtc(SELF, 2, Side.SELL, 100, 3));
        f.apply(gtc(1, 3, Side.SELL, 100, 4));
    }

    @Test
    void expireTakerTradesWithEarlierOrdersThenExpiresTheTakersRemainder() {
        ownOrderBetweenOthers(StpMode.EXPIRE_TAKER);
        assertEquals(List.of(
            new Event.Accepted(4, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 100, 10),
            new Event.Trade(1, 4, 1, 100, 2, 0, 0),
            new Event.Done(1, DoneReason.FILLED, 2, 0),
            new Event.Done(4, DoneReason.EXPIRED_SELF_TRADE, 2, 8)), f.flow(gtc(SELF, 4, Side.BUY, 100, 10)));
        assertEquals(List.of(2L, 3L), queue(Side.SELL));
        assertEquals(3, f.engine.order(2).remaining());
        assertEquals(List.of(), queue(Side.BUY));
        // paid 200 for 2 shares; nothing stays locked for the expired buy; its own 3 shares stay locked
        assertEquals(FUNDS - 200, f.engine.available(SELF, USDT));
        assertEquals(0, f.engine.locked(SELF, USDT));
        assertEquals(SHARES - 3 + 2, f.engine.available(SELF, TSLA));
        assertEquals(3, f.engine.locked(SELF, TSLA));
    }

    @Test
    void expireTakerOnASellReachingItsOwnBidFirstTradesNothing() {
        f.fundedAccount(SELF, 0, 0, StpMode.EXPIRE_TAKER);
        f.apply(gtc(SELF, 1, Side.BUY, 100, 3));
        f.apply(gtc(1, 2, Side.BUY, 100, 3));
        assertEquals(List.of(
            new Event.Balance(SELF, TSLA, SHARES - 5, 5),
            new Event.Accepted(3, Side.SELL, OrderType.LIMIT, TimeInForce.IOC, 100, 5),
            new Event.Balance(SELF, TSLA, SHARES, 0),
            new Event.Done(3, DoneReason.EXPIRED_SELF_TRADE, 0, 5)),
            f.apply(limit(SELF, 3, TSLAX, Side.SELL, TimeInForce.IOC, 100, 5)));
        assertEquals(List.of(1L, 2L), queue(Side.BUY));
    }

    @Test
    void expireMakerExpiresOwnOrdersAsTheyAreReachedAndGoesOnMatching() {
        ownOrderBetweenOthers(StpMode.EXPIRE_MAKER);
        f.apply(gtc(SELF, 5, Side.SELL, 101, 1));
        f.apply(gtc(2, 6, Side.SELL, 101, 1));
        f.apply(gtc(SELF, 7, Side.SELL, 103, 1));
        assertEquals(List.of(
            new Event.Accepted(8, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 101, 10),
            new Event.Trade(1, 8, 1, 100, 2, 0, 0),
            new Event.Done(1, DoneReason.FILLED, 2, 0),
            new Event.Done(2, DoneReason.EXPIRED_SELF_TRADE, 0, 3),
            new Event.Trade(2, 8, 3, 100, 4, 0, 0),
            new Event.Done(3, DoneReason.FILLED, 4, 0),
            new Event.Done(5, DoneReason.EXPIRED_SELF_TRADE, 0, 1),
            new Event.Trade(3, 8, 6, 101, 1, 0, 0),
            new Event.Done(6, DoneReason.FILLED, 1, 0),
            new Event.Rested(8, 101, 3)), f.flow(gtc(SELF, 8, Side.BUY, 101, 10)));
        // the own order beyond the limit was never reached
        assertEquals(List.of(7L), queue(Side.SELL));
        assertEquals(List.of(8L), queue(Side.BUY));
        // bought 7 for 2 × 100 + 4 × 100 + 101 = 701; 3 × 101 locked for the rest; 1 share locked at 103
        assertEquals(FUNDS - 701 - 303, f.engine.available(SELF, USDT));
        assertEquals(303, f.engine.locked(SELF, USDT));
        assertEquals(SHARES + 7 - 1, f.engine.available(SELF, TSLA));
        assertEquals(1, f.engine.locked(SELF, TSLA));
    }

    @Test
    void expireMakerWithFullBalanceEvents() {
        f.fundedAccount(SELF, 0, 0, StpMode.EXPIRE_MAKER);
        f.apply(gtc(SELF, 1, Side.SELL, 100, 3));
        f.apply(gtc(1, 2, Side.SELL, 100, 2));
        assertEquals(List.of(
            new Event.Balance(SELF, USDT, FUNDS - 200, 200),
            new Event.Accepted(3, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 100, 2),
            new Event.Balance(SELF, TSLA, SHARES, 0),
            new Event.Done(1, DoneReason.EXPIRED_SELF_TRADE, 0, 3),
            new Event.Trade(1, 3, 2, 100, 2, 0, 0),
            new Event.Balance(SELF, USDT, FUNDS - 200, 0),
            new Event.Balance(SELF, TSLA, SHARES + 2, 0),
            new Event.Balance(1, TSLA, SHARES - 2, 0),
            new Event.Balance(1, USDT, FUNDS + 200, 0),
            new Event.Done(2, DoneReason.FILLED, 2, 0),
            new Event.Done(3, DoneReason.FILLED, 2, 0)),
            f.apply(limit(SELF, 3, TSLAX, Side.BUY, TimeInForce.IOC, 100, 2)));
    }

    @Test
    void expireBothExpiresTheOwnMakerAndTheTakerAndLeavesLaterOrders() {
        ownOrderBetweenOthers(StpMode.EXPIRE_BOTH);
        assertEquals(List.of(
            new Event.Accepted(4, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 100, 10),
            new Event.Trade(1, 4, 1, 100, 2, 0, 0),
            new Event.Done(1, DoneReason.FILLED, 2, 0),
            new Event.Done(2, DoneReason.EXPIRED_SELF_TRADE, 0, 3),
            new Event.Done(4, DoneReason.EXPIRED_SELF_TRADE, 2, 8)), f.flow(gtc(SELF, 4, Side.BUY, 100, 10)));
        assertEquals(List.of(3L), queue(Side.SELL));
        assertEquals(List.of(), queue(Side.BUY));
        assertEquals(FUNDS - 200, f.engine.available(SELF, USDT));
        assertEquals(0, f.engine.locked(SELF, USDT));
        assertEquals(SHARES + 2, f.engine.available(SELF, TSLA));
        assertEquals(0, f.engine.locked(SELF, TSLA));
    }

    @Test
    void noneTradesWithItselfLikeWithAnyoneElse() {
        ownOrderBetweenOthers(StpMode.NONE);
        assertEquals(List.of(
            new Event.Accepted(4, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 100, 10),
            new Event.Trade(1, 4, 1, 100, 2, 0, 0),
            new Event.Done(1, DoneReason.FILLED, 2, 0),
            new Event.Trade(2, 4, 2, 100, 3, 0, 0),
            new Event.Done(2, DoneReason.FILLED, 3, 0),
            new Event.Trade(3, 4, 3, 100, 4, 0, 0),
            new Event.Done(3, DoneReason.FILLED, 4, 0),
            new Event.Rested(4, 100, 1)), f.flow(gtc(SELF, 4, Side.BUY, 100, 10)));
        // paid 900 for 9 shares, 300 of it to itself for its own 3: net −600 and +6, and 100 locked for the last lot
        assertEquals(FUNDS - 600 - 100, f.engine.available(SELF, USDT));
        assertEquals(100, f.engine.locked(SELF, USDT));
        assertEquals(SHARES + 6, f.engine.available(SELF, TSLA));
        assertEquals(0, f.engine.locked(SELF, TSLA));
        assertEquals(FUNDS + 200, f.engine.available(2, USDT));
        assertEquals(FUNDS + 400, f.engine.available(1, USDT));
        for (int asset : new int[] {USDT, TSLA}) {
            long total = 0;
            for (long account : new long[] {0, 1, 2, SELF}) {
                total += f.engine.available(account, asset) + f.engine.locked(account, asset);
            }
            assertEquals(3 * (asset == USDT ? FUNDS : SHARES), total);
        }
    }

    @Test
    void noneSelfTradeWithFeesPaysBothFeesToTheVenue() {
        f.fundedAccount(SELF, 10, 25, StpMode.NONE);
        f.apply(gtc(SELF, 1, Side.SELL, 10_000, 3));
        // value 30,000: taker fee 75, maker fee 30; the buy locks 30,000 + 75.
        // Buyer and seller are one account, so each of its balance events shows the same final state.
        assertEquals(List.of(
            new Event.Balance(SELF, USDT, FUNDS - 30_075, 30_075),
            new Event.Accepted(2, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 10_000, 3),
            new Event.Trade(1, 2, 1, 10_000, 3, 75, 30),
            new Event.Balance(SELF, USDT, FUNDS - 105, 0),
            new Event.Balance(SELF, TSLA, SHARES, 0),
            new Event.Balance(SELF, TSLA, SHARES, 0),
            new Event.Balance(SELF, USDT, FUNDS - 105, 0),
            new Event.Balance(0, USDT, 105, 0),
            new Event.Done(1, DoneReason.FILLED, 3, 0),
            new Event.Done(2, DoneReason.FILLED, 3, 0)), f.apply(gtc(SELF, 2, Side.BUY, 10_000, 3)));
    }
}
