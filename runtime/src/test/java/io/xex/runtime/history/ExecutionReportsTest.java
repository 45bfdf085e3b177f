package io.xex.runtime.history;

import io.xex.matching.Command;
import io.xex.matching.DoneReason;
import io.xex.matching.RejectReason;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;
import io.xex.runtime.engine.CommandResult;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.xex.matching.OrderType.LIMIT;
import static io.xex.matching.Side.BUY;
import static io.xex.matching.Side.SELL;
import static io.xex.matching.TimeInForce.GTC;
import static io.xex.matching.TimeInForce.IOC;
import static io.xex.runtime.history.Market.TSLAX;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Given commands to a real engine, the exact reports of each durable result. */
class ExecutionReportsTest {
    private static final long MAKER = 7;
    private static final long TAKER = 8;
    private static final long BROKE = 9;

    private Market market;

    @BeforeEach
    void twoFundedAccountsAndOneWithoutMoney() {
        market = new Market();
        List<CommandResult> setup = new ArrayList<>(market.fundedAccount(MAKER, 10, 20));
        setup.addAll(market.fundedAccount(TAKER, 10, 20));
        setup.add(market.apply(new Command.CreateAccount(BROKE, 10, 20)));

        for (CommandResult result : setup) {
            assertEquals(List.of(), reports(result), "accounts and balances have no reports");
        }
    }

    @Test
    void aRestingOrderIsNew() {
        CommandResult placed = market.apply(place(MAKER, "b-1", BUY, GTC, 25_000, 10));

        long seq = placed.sequence();
        assertEquals(List.of(order(MAKER, seq, ExecKind.NEW, seq, "b-1", BUY, GTC, 25_000, 10, 10, 0)), reports(placed));
    }

    @Test
    void aCrossingOrderIsNewThenTradesForBothSidesAndAFillAddsNothing() {
        long bid = market.apply(place(MAKER, "b-1", BUY, GTC, 25_000, 10)).sequence();

        CommandResult sold = market.apply(place(TAKER, null, SELL, GTC, 24_000, 4));

        long seq = sold.sequence();
        assertEquals(List.of(
                order(TAKER, seq, ExecKind.NEW, seq, null, SELL, GTC, 24_000, 4, 4, 0),
                fill(TAKER, seq, seq, null, SELL, GTC, 24_000, 4, 0, 25_000, 4, 1, 200, false),
                fill(MAKER, seq, bid, "b-1", BUY, GTC, 25_000, 10, 6, 25_000, 4, 1, 100, true)),
            reports(sold));
    }

    @Test
    void anIocRemainderExpiresWithItsDoneReason() {
        long bid = market.apply(place(MAKER, "b-1", BUY, GTC, 25_000, 6)).sequence();

        CommandResult sold = market.apply(place(TAKER, "s-1", SELL, IOC, 25_000, 10));

        long seq = sold.sequence();
        assertEquals(List.of(
                order(TAKER, seq, ExecKind.NEW, seq, "s-1", SELL, IOC, 25_000, 10, 10, 0),
                fill(TAKER, seq, seq, "s-1", SELL, IOC, 25_000, 10, 4, 25_000, 6, 1, 300, false),
                fill(MAKER, seq, bid, "b-1", BUY, GTC, 25_000, 6, 0, 25_000, 6, 1, 150, true),
                order(TAKER, seq, ExecKind.EXPIRED, seq, "s-1", SELL, IOC, 25_000, 10, 4,
                    DoneReason.EXPIRED_IOC.code())),
            reports(sold));
    }

    @Test
    void aCancelIsCancelled() {
        long bid = market.apply(place(MAKER, "b-1", BUY, GTC, 25_000, 10)).sequence();

        CommandResult cancelled = market.apply(new Command.CancelOrder(MAKER, 0, "b-1"));

        long seq = cancelled.sequence();
        assertEquals(List.of(order(MAKER, seq, ExecKind.CANCELLED, bid, "b-1", BUY, GTC, 25_000, 10, 10,
            DoneReason.CANCELLED.code())), reports(cancelled));
    }

    @Test
    void anAmendIsAmended() {
        long bid = market.apply(place(MAKER, "b-1", BUY, GTC, 25_000, 10)).sequence();

        CommandResult amended = market.apply(new Command.AmendOrder(MAKER, bid, null, 24_000, 8));

        long seq = amended.sequence();
        assertEquals(List.of(order(MAKER, seq, ExecKind.AMENDED, bid, "b-1", BUY, GTC, 24_000, 8, 8, 0)),
            reports(amended));
    }

    @Test
    void aRefusedNewOrderIsRejectedWithoutAnOrderId() {
        CommandResult refused = market.apply(place(BROKE, "b-1", BUY, GTC, 25_000, 10));

        long seq = refused.sequence();
        assertEquals(List.of(new ExecutionReport(BROKE, seq, seq * 1_000, ExecKind.REJECTED, 0, "b-1", TSLAX, BUY, LIMIT,
            GTC, 25_000, 10, 0, 0, 0, 0, 0, false, RejectReason.RISK_INSUFFICIENT_FUNDS.code())), reports(refused));
    }

    @Test
    void aRefusedCancelIsRejectedAndNamesTheOrderAsTheRequestDid() {
        CommandResult refused = market.apply(new Command.CancelOrder(MAKER, 999, "gone"));

        long seq = refused.sequence();
        assertEquals(List.of(new ExecutionReport(MAKER, seq, seq * 1_000, ExecKind.REJECTED, 999, "gone", 0, null, null,
            null, 0, 0, 0, 0, 0, 0, 0, false, RejectReason.REQUEST_UNKNOWN_ORDER.code())), reports(refused));
    }

    private static Command.PlaceOrder place(long accountId, String clientOrderId, Side side, TimeInForce timeInForce,
                                            long price, long quantity) {
        return new Command.PlaceOrder(accountId, 1, clientOrderId, TSLAX, side, LIMIT, timeInForce, price, quantity, 0);
    }

    private static ExecutionReport order(long accountId, long seq, ExecKind kind, long orderId, String clientOrderId,
                                         Side side, TimeInForce timeInForce, long price, long quantity, long remaining,
                                         int reason) {
        return new ExecutionReport(accountId, seq, seq * 1_000, kind, orderId, clientOrderId, TSLAX, side,
            LIMIT, timeInForce, price, quantity, remaining, 0, 0, 0, 0, false, reason);
    }

    private static ExecutionReport fill(long accountId, long seq, long orderId, String clientOrderId, Side side,
                                        TimeInForce timeInForce, long price, long quantity, long remaining,
                                        long lastPrice, long lastQuantity, long tradeId, long fee, boolean maker) {
        return new ExecutionReport(accountId, seq, seq * 1_000, ExecKind.TRADE, orderId, clientOrderId, TSLAX, side,
            LIMIT, timeInForce, price, quantity, remaining, lastPrice, lastQuantity, tradeId, fee, maker, 0);
    }

    private static List<ExecutionReport> reports(CommandResult result) {
        List<ExecutionReport> reports = new ArrayList<>();
        ExecutionReports.of(result, reports::add);
        return reports;
    }
}
