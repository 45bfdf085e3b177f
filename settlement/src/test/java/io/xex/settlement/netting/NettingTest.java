package io.xex.settlement.netting;

import io.xex.matching.Command;
import io.xex.matching.DoneReason;
import io.xex.matching.EngineConfig;
import io.xex.matching.OrderType;
import io.xex.matching.RejectReason;
import io.xex.matching.Side;
import io.xex.matching.StpMode;
import io.xex.matching.TimeInForce;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.xex.settlement.netting.Market.FEE_ACCOUNT;
import static io.xex.settlement.netting.Market.NVDA;
import static io.xex.settlement.netting.Market.NVDAX;
import static io.xex.settlement.netting.Market.TSLA;
import static io.xex.settlement.netting.Market.TSLAX;
import static io.xex.settlement.netting.Market.USDT;
import static io.xex.settlement.netting.Market.limit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Netting of hand-made batches on a real engine, each against legs worked out by hand. A trade's value is
 * {@code price × quantity × quote units per tick and lot} (10 on TSLAx/USDT, 1,000 on NVDAx/USDT, see
 * {@link Market}); a lot is 100,000 TSLAx units or 100,000,000 NVDAx units; fees are
 * {@code floor(value × bps / 10,000)}.
 */
class NettingTest {
    /** Maker 10 bps, taker 20 bps. */
    private static final long BUYER = 1;
    /** Maker 10 bps, taker 20 bps. */
    private static final long SELLER = 2;
    /** No fees. */
    private static final long FREE = 3;
    /** Maker 5 bps, taker 15 bps, no self-trade prevention. */
    private static final long SELF_TRADER = 4;
    /** Maker 10 bps, taker 20 bps, the default self-trade prevention (the taker expires). */
    private static final long PREVENTED = 5;
    private static final long USDT_FUNDS = 1_000_000_000_000L;
    private static final long TOKEN_FUNDS = 1_000_000_000L;

    private final Market market = new Market();
    private final Netting netting = new Netting(Market.CONFIG);

    NettingTest() {
        fund(BUYER, 10, 20, StpMode.EXPIRE_TAKER);
        fund(SELLER, 10, 20, StpMode.EXPIRE_TAKER);
        fund(FREE, 0, 0, StpMode.EXPIRE_TAKER);
        fund(SELF_TRADER, 5, 15, StpMode.NONE);
        fund(PREVENTED, 10, 20, StpMode.EXPIRE_TAKER);
    }

    private void fund(long accountId, int makerFeeBps, int takerFeeBps, StpMode stpMode) {
        market.apply(new Command.CreateAccount(accountId, makerFeeBps, takerFeeBps, stpMode),
            new Command.Deposit(accountId, USDT, USDT_FUNDS), new Command.Deposit(accountId, TSLA, TOKEN_FUNDS),
            new Command.Deposit(accountId, NVDA, TOKEN_FUNDS));
    }

    /** Applies the commands as one batch and nets it. */
    private NetMovements batch(Command... commands) {
        return netting.net(market.apply(commands));
    }

    private static Leg leg(long accountId, int asset, long amount) {
        return new Leg(accountId, asset, amount);
    }

    @Test
    void theTakerBuysTheMakerSellsAndTheFeeAccountReceivesBothFees() {
        // 5 lots at 25,000 ticks: 1,250,000 µUSDT; the buyer pays 20 bps as taker, the seller 10 bps as maker.
        NetMovements net = batch(limit(SELLER, TSLAX, Side.SELL, TimeInForce.GTC, 25_000, 5),
            limit(BUYER, TSLAX, Side.BUY, TimeInForce.IOC, 25_000, 5));

        assertEquals(List.of(leg(BUYER, USDT, -1_252_500), leg(BUYER, TSLA, 500_000),
            leg(SELLER, USDT, 1_248_750), leg(SELLER, TSLA, -500_000),
            leg(FEE_ACCOUNT, USDT, 3_750)), net.transfers());
        assertEquals(List.of(), net.withdrawals());
    }

    @Test
    void theMakerBuysTheTakerSellsAndFeesAreRoundedDownAsTheEngineCharged() {
        // 7 lots at 33,333 ticks: 2,333,310 µUSDT; 10 bps is 2,333.31 and 20 bps 4,666.62, rounded down.
        NetMovements net = batch(limit(BUYER, TSLAX, Side.BUY, TimeInForce.GTC, 33_333, 7),
            limit(SELLER, TSLAX, Side.SELL, TimeInForce.IOC, 33_000, 7));

        assertEquals(List.of(leg(BUYER, USDT, -2_335_643), leg(BUYER, TSLA, 700_000),
            leg(SELLER, USDT, 2_328_644), leg(SELLER, TSLA, -700_000),
            leg(FEE_ACCOUNT, USDT, 6_999)), net.transfers());
    }

    @Test
    void partialFillsAndASweepOverTwoMakersAddUp() {
        List<CommandResult> results = market.apply(limit(SELLER, TSLAX, Side.SELL, TimeInForce.GTC, 25_000, 10),
            limit(FREE, TSLAX, Side.SELL, TimeInForce.GTC, 25_010, 10),
            // 4 of SELLER's 10 lots: 1,000,000 µUSDT, fees 2,000 (taker) and 1,000 (maker).
            limit(BUYER, TSLAX, Side.BUY, TimeInForce.IOC, 25_010, 4),
            // SELLER's last 6 lots (1,500,000, fees 3,000 and 1,500), then 6 of FREE's 10 at 25,010 (1,500,600,
            // taker fee 3,001.2 rounded down, no maker fee); FREE keeps 4 lots on the book.
            limit(BUYER, TSLAX, Side.BUY, TimeInForce.IOC, 25_010, 12));
        assertEquals(3, trades(results).size(), "three fills");
        assertEquals(4, market.engine().order(results.get(1).sequence()).remaining(), "FREE partly filled");

        assertEquals(List.of(leg(BUYER, USDT, -4_008_601), leg(BUYER, TSLA, 1_600_000),
            leg(SELLER, USDT, 2_497_500), leg(SELLER, TSLA, -1_000_000),
            leg(FREE, USDT, 1_500_600), leg(FREE, TSLA, -600_000),
            leg(FEE_ACCOUNT, USDT, 10_501)), netting.net(results).transfers());
    }

    @Test
    void aMarketBuyWithABudgetMovesWhatItBought() {
        // 250 USDT buys 2 lots of NVDAx at 100.000 USDT with its 20 bps fee (a third would cost 300.6 USDT).
        NetMovements net = batch(limit(SELLER, NVDAX, Side.SELL, TimeInForce.GTC, 100_000, 5),
            Market.marketBuy(BUYER, NVDAX, 250_000_000));

        assertEquals(List.of(leg(BUYER, USDT, -200_400_000), leg(BUYER, NVDA, 200_000_000),
            leg(SELLER, USDT, 199_800_000), leg(SELLER, NVDA, -200_000_000),
            leg(FEE_ACCOUNT, USDT, 600_000)), net.transfers());
    }

    @Test
    void anAcceptedTransferMovesBothLegsAndARefusedOneNothing() {
        // A redeem: SELLER gives 3 TSLAx to BUYER for 600 USDT; then a mint's payment of 100 USDT to SELLER; then the
        // same reference again, refused. BUYER pays 600 + 100 USDT in all.
        NetMovements net = batch(new Command.Transfer(1, SELLER, BUYER, TSLA, 300_000, USDT, 600_000_000),
            new Command.Transfer(2, BUYER, SELLER, USDT, 100_000_000, USDT, 0),
            new Command.Transfer(2, BUYER, SELLER, USDT, 100_000_000, USDT, 0));

        assertEquals(List.of(leg(BUYER, USDT, -700_000_000), leg(BUYER, TSLA, 300_000),
            leg(SELLER, USDT, 700_000_000), leg(SELLER, TSLA, -300_000)), net.transfers());
        assertEquals(List.of(), net.withdrawals());
    }

    @Test
    void aSelfTradeWithoutPreventionCostsOnlyTheTwoFees() {
        // 2 lots at 30,000 ticks: 600,000 µUSDT; 5 bps as maker (300) and 15 bps as taker (900); the tokens stay.
        List<CommandResult> results = market.apply(limit(SELF_TRADER, TSLAX, Side.SELL, TimeInForce.GTC, 30_000, 2),
            limit(SELF_TRADER, TSLAX, Side.BUY, TimeInForce.IOC, 30_000, 2));
        assertEquals(1, trades(results).size());

        assertEquals(List.of(leg(SELF_TRADER, USDT, -1_200), leg(FEE_ACCOUNT, USDT, 1_200)),
            netting.net(results).transfers());
    }

    @Test
    void aPreventedSelfTradeMovesNothing() {
        List<CommandResult> results = market.apply(limit(PREVENTED, TSLAX, Side.SELL, TimeInForce.GTC, 30_000, 2),
            limit(PREVENTED, TSLAX, Side.BUY, TimeInForce.IOC, 30_000, 2));
        assertEquals(List.of(), trades(results));
        assertTrue(results.get(1).events().stream().anyMatch(e -> e instanceof EngineEvent.OrderDone done
            && done.reason() == DoneReason.EXPIRED_SELF_TRADE), "the taker expired by self-trade prevention");

        NetMovements net = netting.net(results);
        assertTrue(net.isEmpty(), net.toString());
    }

    @Test
    void tradesThatNetToZeroLeaveNoLegForTheAccount() {
        // FREE buys 5 lots from SELLER and sells them back at the same price, without fees of its own; SELLER pays
        // its maker fee (1,250 µUSDT) twice.
        NetMovements net = batch(limit(SELLER, TSLAX, Side.SELL, TimeInForce.GTC, 25_000, 5),
            limit(FREE, TSLAX, Side.BUY, TimeInForce.IOC, 25_000, 5),
            limit(SELLER, TSLAX, Side.BUY, TimeInForce.GTC, 25_000, 5),
            limit(FREE, TSLAX, Side.SELL, TimeInForce.IOC, 25_000, 5));

        assertEquals(List.of(leg(SELLER, USDT, -2_500), leg(FEE_ACCOUNT, USDT, 2_500)), net.transfers());
    }

    @Test
    void acceptedWithdrawalsAreSummedPerAccountAndAsset() {
        NetMovements net = batch(new Command.Withdraw(BUYER, USDT, 250_000_000),
            new Command.Withdraw(SELLER, NVDA, 100_000_000), new Command.Withdraw(BUYER, TSLA, 100_000),
            new Command.Withdraw(BUYER, USDT, 50_000_000));

        assertEquals(List.of(), net.transfers());
        assertEquals(List.of(leg(BUYER, USDT, 300_000_000), leg(BUYER, TSLA, 100_000), leg(SELLER, NVDA, 100_000_000)),
            net.withdrawals());
    }

    @Test
    void aRejectedWithdrawalIsNoLeg() {
        // More than is available: the buy order locks some of the USDT.
        List<CommandResult> results = market.apply(limit(BUYER, TSLAX, Side.BUY, TimeInForce.GTC, 20_000, 100),
            new Command.Withdraw(BUYER, USDT, USDT_FUNDS), new Command.Withdraw(99, USDT, 1),
            new Command.Withdraw(BUYER, USDT, 0), new Command.Withdraw(BUYER, 7, 1));
        assertEquals(List.of(RejectReason.RISK_INSUFFICIENT_FUNDS, RejectReason.REQUEST_UNKNOWN_ACCOUNT,
            RejectReason.REQUEST_INVALID_AMOUNT, RejectReason.REQUEST_UNKNOWN_ASSET), rejects(results));

        NetMovements net = netting.net(results);
        assertTrue(net.isEmpty(), net.toString());
    }

    @Test
    void depositsAreNoMovement() {
        List<CommandResult> results = market.apply(new Command.CreateAccount(42, 0, 0),
            new Command.Deposit(42, USDT, 5_000_000), new Command.Deposit(42, TSLA, 1), new Command.Deposit(BUYER, NVDA, 7));

        assertEquals(new NetMovements(results.getFirst().sequence(), results.getLast().sequence(), List.of(), List.of()),
            netting.net(results));
    }

    @Test
    void aMixedBatchKeepsTransfersAndWithdrawalsApartAndNamesItsSequences() {
        List<CommandResult> results = market.apply(new Command.Deposit(BUYER, USDT, 1_000_000),
            limit(SELLER, TSLAX, Side.SELL, TimeInForce.GTC, 25_000, 5),
            new Command.Withdraw(SELLER, TSLA, 300_000),
            limit(BUYER, TSLAX, Side.BUY, TimeInForce.IOC, 25_000, 5),
            new Command.Withdraw(SELLER, USDT, 1_248_750),
            new Command.CancelAll(SELLER, Command.CancelAll.ALL_INSTRUMENTS));

        NetMovements net = netting.net(results);

        assertEquals(new NetMovements(results.getFirst().sequence(), results.getLast().sequence(),
            List.of(leg(BUYER, USDT, -1_252_500), leg(BUYER, TSLA, 500_000),
                leg(SELLER, USDT, 1_248_750), leg(SELLER, TSLA, -500_000),
                leg(FEE_ACCOUNT, USDT, 3_750)),
            List.of(leg(SELLER, USDT, 1_248_750), leg(SELLER, TSLA, 300_000))), net);
        assertEquals(net, netting.net(List.copyOf(results)), "the same batch nets to the same value");
        assertThrows(UnsupportedOperationException.class, () -> net.transfers().clear());
    }

    // ---------------------------------------------------------------------------------------------
    // What no engine gives: bugs, refused loudly

    @Test
    void aBatchIsContiguousAndNotEmpty() {
        List<CommandResult> results = market.apply(new Command.Deposit(BUYER, USDT, 1), new Command.Deposit(BUYER, USDT, 2),
            new Command.Deposit(BUYER, USDT, 3));

        assertThrows(IllegalArgumentException.class, () -> netting.net(List.of()));
        assertThrows(IllegalArgumentException.class, () -> netting.net(List.of(results.get(0), results.get(2))));
        assertThrows(IllegalArgumentException.class, () -> netting.net(List.of(results.get(1), results.get(0))));
    }

    @Test
    void aTradeThisEngineCannotHaveMadeIsRefused() {
        EngineEvent.OrderState taker = order(BUYER, TSLAX, Side.BUY);
        EngineEvent.OrderState maker = order(SELLER, TSLAX, Side.SELL);
        Command command = limit(BUYER, TSLAX, Side.BUY, TimeInForce.IOC, 100, 1);

        assertThrows(IllegalArgumentException.class, () -> netting.net(List.of(new CommandResult(1, 0, command,
            List.of(new EngineEvent.Trade(1, 1, order(BUYER, 9, Side.BUY), order(SELLER, 9, Side.SELL), 100, 1, 0, 0))))));
        assertThrows(IllegalArgumentException.class, () -> netting.net(List.of(new CommandResult(1, 0, command,
            List.of(new EngineEvent.Trade(1, 1, taker, order(SELLER, TSLAX, Side.BUY), 100, 1, 0, 0))))));
        assertThrows(IllegalArgumentException.class, () -> netting.net(List.of(new CommandResult(1, 0, command,
            List.of(new EngineEvent.Trade(1, 1, taker, maker, 10_000_001, 1, 0, 0))))));
        assertThrows(IllegalArgumentException.class, () -> netting.net(List.of(new CommandResult(1, 0, command,
            List.of(new EngineEvent.Trade(1, 1, taker, maker, 100, 1, 1_001, 0))))));
        assertEquals(List.of(leg(BUYER, USDT, -1_000), leg(BUYER, TSLA, 100_000), leg(SELLER, USDT, 1_000),
            leg(SELLER, TSLA, -100_000)), netting.net(List.of(new CommandResult(1, 0, command,
            List.of(new EngineEvent.Trade(1, 1, taker, maker, 100, 1, 0, 0))))).transfers());
    }

    @Test
    void anEngineWithoutBalancesHasNothingToNet() {
        EngineConfig replay = new EngineConfig(Market.CONFIG.assets(), Market.CONFIG.instruments(), FEE_ACCOUNT, false,
            1_000, 1_024);
        assertThrows(IllegalArgumentException.class, () -> new Netting(replay));
    }

    @Test
    void netMovementsHoldOnlyWhatABatchCanBe() {
        assertThrows(IllegalArgumentException.class, () -> leg(BUYER, USDT, 0));
        assertThrows(IllegalArgumentException.class, () -> leg(BUYER, -1, 5));
        List<Leg> none = List.of();
        assertThrows(IllegalArgumentException.class, () -> new NetMovements(0, 0, none, none));
        assertThrows(IllegalArgumentException.class, () -> new NetMovements(5, 4, none, none));
        assertThrows(IllegalArgumentException.class, () -> new NetMovements(1, 1,
            List.of(leg(BUYER, USDT, -5), leg(SELLER, USDT, 4)), none), "transfers that do not add up to zero");
        assertThrows(IllegalArgumentException.class, () -> new NetMovements(1, 1,
            List.of(leg(SELLER, USDT, 5), leg(BUYER, USDT, -5)), none), "legs out of order");
        assertThrows(IllegalArgumentException.class, () -> new NetMovements(1, 1,
            List.of(leg(BUYER, USDT, -5), leg(BUYER, USDT, 5)), none), "two legs for one account and asset");
        assertThrows(IllegalArgumentException.class, () -> new NetMovements(1, 1, none, List.of(leg(BUYER, USDT, -5))),
            "a negative withdrawal");
        assertTrue(new NetMovements(1, 3, none, none).isEmpty());
    }

    private static EngineEvent.OrderState order(long accountId, int instrumentId, Side side) {
        return new EngineEvent.OrderState(1, accountId, null, instrumentId, side, OrderType.LIMIT, TimeInForce.GTC, 100, 1,
            0, 0);
    }

    private static List<EngineEvent.Trade> trades(List<CommandResult> results) {
        return results.stream().flatMap(r -> r.events().stream())
            .filter(EngineEvent.Trade.class::isInstance).map(EngineEvent.Trade.class::cast).toList();
    }

    private static List<RejectReason> rejects(List<CommandResult> results) {
        return results.stream().flatMap(r -> r.events().stream())
            .filter(EngineEvent.Rejected.class::isInstance).map(e -> ((EngineEvent.Rejected) e).reason()).toList();
    }
}
