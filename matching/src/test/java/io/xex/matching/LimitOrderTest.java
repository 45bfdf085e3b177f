package io.xex.matching;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.xex.matching.EngineFixture.TSLAX;
import static io.xex.matching.EngineFixture.gtc;
import static io.xex.matching.EngineFixture.limit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LimitOrderTest {
    private final EngineFixture f = new EngineFixture();

    @BeforeEach
    void accounts() {
        f.fundedAccount(1);
        f.fundedAccount(2);
        f.fundedAccount(3);
        f.fundedAccount(4);
    }

    @Test
    void gtcRestsWhenNothingCrosses() {
        assertEquals(List.of(
            new Event.Accepted(1, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 100, 10),
            new Event.Rested(1, 100, 10)), f.flow(gtc(1, 1, Side.BUY, 100, 10)));
    }

    @Test
    void tradesAtTheMakersPriceBestPriceFirstThenOldestFirst() {
        f.apply(gtc(1, 1, Side.SELL, 101, 5));
        f.apply(gtc(2, 2, Side.SELL, 100, 5));
        f.apply(gtc(3, 3, Side.SELL, 100, 5));
        assertEquals(List.of(
            new Event.Accepted(4, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 102, 12),
            new Event.Trade(1, 4, 2, 100, 5, 0, 0),
            new Event.Done(2, DoneReason.FILLED, 5, 0),
            new Event.Trade(2, 4, 3, 100, 5, 0, 0),
            new Event.Done(3, DoneReason.FILLED, 5, 0),
            new Event.Trade(3, 4, 1, 101, 2, 0, 0),
            new Event.Done(4, DoneReason.FILLED, 12, 0)), f.flow(gtc(4, 4, Side.BUY, 102, 12)));
        assertEquals(3, f.engine.order(1).remaining());
    }

    @Test
    void gtcRemainderRestsAtItsLimitBehindEarlierOrders() {
        f.apply(gtc(1, 1, Side.SELL, 100, 4));
        f.apply(gtc(2, 2, Side.BUY, 99, 1));
        assertEquals(List.of(
            new Event.Accepted(3, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 99, 10),
            new Event.Rested(3, 99, 10)), f.flow(gtc(3, 3, Side.BUY, 99, 10)));
        assertEquals(List.of(
            new Event.Accepted(4, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 100, 6),
            new Event.Trade(1, 4, 1, 100, 4, 0, 0),
            new Event.Done(1, DoneReason.FILLED, 4, 0),
            new Event.Rested(4, 100, 2)), f.flow(gtc(3, 4, Side.BUY, 100, 6)));
        assertEquals(List.of(
            new Event.Accepted(5, Side.SELL, OrderType.LIMIT, TimeInForce.IOC, 99, 4),
            new Event.Trade(2, 5, 4, 100, 2, 0, 0),
            new Event.Done(4, DoneReason.FILLED, 6, 0),
            new Event.Trade(3, 5, 2, 99, 1, 0, 0),
            new Event.Done(2, DoneReason.FILLED, 1, 0),
            new Event.Trade(4, 5, 3, 99, 1, 0, 0),
            new Event.Done(5, DoneReason.FILLED, 4, 0)), f.flow(limit(1, 5, TSLAX, Side.SELL, TimeInForce.IOC, 99, 4)));
    }

    @Test
    void iocRemainderExpiresAndNeverRests() {
        f.apply(gtc(1, 1, Side.SELL, 100, 3));
        assertEquals(List.of(
            new Event.Accepted(2, Side.BUY, OrderType.LIMIT, TimeInForce.IOC, 100, 5),
            new Event.Trade(1, 2, 1, 100, 3, 0, 0),
            new Event.Done(1, DoneReason.FILLED, 3, 0),
            new Event.Done(2, DoneReason.EXPIRED_IOC, 3, 2)), f.flow(limit(2, 2, TSLAX, Side.BUY, TimeInForce.IOC, 100, 5)));
        assertNull(f.engine.order(2));
        assertEquals(List.of(new Event.Rejected("CancelOrder", RejectReason.REQUEST_UNKNOWN_ORDER)),
            f.flow(new Command.CancelOrder(2, 2, null)));
    }

    @Test
    void cancelRemovesALiveOrderAndReleasesItsFunds() {
        f.apply(gtc(1, 1, Side.BUY, 100, 10));
        assertEquals(1_000, f.engine.locked(1, EngineFixture.USDT));
        assertEquals(List.of(
            new Event.Balance(1, EngineFixture.USDT, 100_000_000, 0),
            new Event.Done(1, DoneReason.CANCELLED, 0, 10)), f.apply(new Command.CancelOrder(1, 1, null)));
        assertEquals(List.of(new Event.Rejected("CancelOrder", RejectReason.REQUEST_UNKNOWN_ORDER)),
            f.flow(new Command.CancelOrder(1, 1, null)));
    }

    @Test
    void anotherAccountCannotCancelOrEvenSeeAnOrder() {
        f.apply(gtc(1, 1, Side.BUY, 100, 10));
        assertEquals(List.of(new Event.Rejected("CancelOrder", RejectReason.REQUEST_UNKNOWN_ORDER)),
            f.flow(new Command.CancelOrder(2, 1, null)));
        assertEquals(10, f.engine.order(1).remaining());
    }

    @Test
    void cancelByClientOrderId() {
        f.apply(new Command.PlaceOrder(1, 1, "mine-1", TSLAX, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 100, 10, 0));
        assertEquals(List.of(new Event.Rejected("CancelOrder", RejectReason.REQUEST_UNKNOWN_ORDER)),
            f.flow(new Command.CancelOrder(2, 0, "mine-1")));
        assertEquals(List.of(new Event.Done(1, DoneReason.CANCELLED, 0, 10)),
            f.flow(new Command.CancelOrder(1, 0, "mine-1")));
    }

    @Test
    void clientOrderIdIsUniqueAmongLiveOrdersOfOneAccountOnly() {
        Command.PlaceOrder first = new Command.PlaceOrder(1, 1, "abc", TSLAX, Side.BUY, OrderType.LIMIT,
            TimeInForce.GTC, 100, 10, 0);
        f.apply(first);
        assertEquals(List.of(new Event.Rejected("PlaceOrder", RejectReason.REQUEST_DUPLICATE_CLIENT_ORDER_ID)),
            f.flow(new Command.PlaceOrder(1, 2, "abc", TSLAX, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 99, 10, 0)));
        assertEquals(Event.Rested.class, f.flow(new Command.PlaceOrder(2, 3, "abc", TSLAX, Side.BUY, OrderType.LIMIT,
            TimeInForce.GTC, 99, 10, 0)).get(1).getClass());
        f.apply(new Command.CancelOrder(1, 1, null));
        assertEquals(Event.Rested.class, f.flow(new Command.PlaceOrder(1, 4, "abc", TSLAX, Side.BUY, OrderType.LIMIT,
            TimeInForce.GTC, 100, 10, 0)).get(1).getClass());
    }

    @Test
    void reduceKeepsTimePriority() {
        long a = f.rest(1, Side.SELL, 100, 10);
        long b = f.rest(2, Side.SELL, 100, 10);
        assertEquals(List.of(new Event.Reduced(a, 10, 4)), f.flow(new Command.ReduceOrder(1, a, 6)));
        assertEquals(List.of(
            new Event.Accepted(3, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 100, 5),
            new Event.Trade(1, 3, a, 100, 4, 0, 0),
            new Event.Done(a, DoneReason.FILLED, 4, 0),
            new Event.Trade(2, 3, b, 100, 1, 0, 0),
            new Event.Done(3, DoneReason.FILLED, 5, 0)), f.flow(gtc(3, 3, Side.BUY, 100, 5)));
    }

    @Test
    void reduceToZeroRemovesTheOrderAndUnknownOrdersAreRejected() {
        long a = f.rest(1, Side.SELL, 100, 10);
        assertEquals(List.of(new Event.Done(a, DoneReason.REDUCED_TO_ZERO, 0, 10)),
            f.flow(new Command.ReduceOrder(1, a, 15)));
        assertEquals(List.of(new Event.Rejected("ReduceOrder", RejectReason.REQUEST_UNKNOWN_ORDER)),
            f.flow(new Command.ReduceOrder(1, a, 1)));
        assertEquals(List.of(new Event.Rejected("ReduceOrder", RejectReason.REQUEST_INVALID_QUANTITY)),
            f.flow(new Command.ReduceOrder(1, f.rest(1, Side.SELL, 100, 10), 0)));
    }
}
