package io.xex.matching;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.xex.matching.EngineFixture.NVDA;
import static io.xex.matching.EngineFixture.TSLA;
import static io.xex.matching.EngineFixture.TSLAX;
import static io.xex.matching.EngineFixture.USDT;
import static io.xex.matching.EngineFixture.gtc;
import static io.xex.matching.EngineFixture.limit;
import static io.xex.matching.EngineFixture.market;
import static io.xex.matching.EngineFixture.marketBudget;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Balances and fees (SPEC §3): what an order locks, what a trade moves, what fees are charged and where
 * they go, and that every asset adds up to deposits less withdrawals. Every list here is complete,
 * Balance events included. Fees are {@code floor(value × bps / 10,000)}; a buy locks its value plus the
 * fee at the higher of its account's two rates.
 */
class FeesAndBalancesTest {
    private static final long FUNDS = 100_000_000;
    private static final long SHARES = 1_000;
    private static final long FEES = 0;
    /** Accounts with a maker fee of 10 bps and a taker fee of 25 bps. */
    private static final long SELLER = 5;
    private static final long BUYER = 6;

    private final EngineFixture f = new EngineFixture();

    private void feeAccounts() {
        f.fundedAccount(SELLER, 10, 25, StpMode.EXPIRE_TAKER);
        f.fundedAccount(BUYER, 10, 25, StpMode.EXPIRE_TAKER);
    }

    // ---------------------------------------------------------------------------------------------
    // Deposits and withdrawals

    @Test
    void depositCreditsTheAvailableBalance() {
        assertEquals(List.of(new Event.AccountCreated(7)),
            f.apply(new Command.CreateAccount(7, 0, 0, StpMode.EXPIRE_TAKER)));
        assertEquals(List.of(new Event.Balance(7, USDT, 12_345, 0)), f.apply(new Command.Deposit(7, USDT, 12_345)));
        assertEquals(List.of(new Event.Balance(7, USDT, 12_350, 0)), f.apply(new Command.Deposit(7, USDT, 5)));
        assertEquals(List.of(new Event.Balance(7, TSLA, 3, 0)), f.apply(new Command.Deposit(7, TSLA, 3)));
        assertEquals(List.of(new Event.Rejected("Deposit", RejectReason.REQUEST_UNKNOWN_ACCOUNT)),
            f.apply(new Command.Deposit(77, USDT, 5)));
        assertEquals(List.of(new Event.Rejected("Deposit", RejectReason.REQUEST_INVALID_AMOUNT)),
            f.apply(new Command.Deposit(7, USDT, 0)));
        assertEquals(List.of(new Event.Rejected("Deposit", RejectReason.REQUEST_UNKNOWN_ASSET)),
            f.apply(new Command.Deposit(7, 3, 5)));
        assertEquals(12_350, f.engine.available(7, USDT));
    }

    @Test
    void withdrawDebitsTheAvailableBalanceAndNeverOverdraws() {
        f.apply(new Command.CreateAccount(7, 0, 0, StpMode.EXPIRE_TAKER));
        f.apply(new Command.Deposit(7, USDT, 12_350));
        assertEquals(List.of(new Event.Balance(7, USDT, 350, 0)), f.apply(new Command.Withdraw(7, USDT, 12_000)));
        assertEquals(List.of(new Event.Rejected("Withdraw", RejectReason.RISK_INSUFFICIENT_FUNDS)),
            f.apply(new Command.Withdraw(7, USDT, 351)));
        assertEquals(350, f.engine.available(7, USDT));
        assertEquals(List.of(new Event.Balance(7, USDT, 0, 0)), f.apply(new Command.Withdraw(7, USDT, 350)));
    }

    @Test
    void withdrawCannotTakeLockedFunds() {
        f.apply(new Command.CreateAccount(7, 0, 0, StpMode.EXPIRE_TAKER));
        f.apply(new Command.Deposit(7, USDT, 1_000));
        f.apply(gtc(7, 1, Side.BUY, 100, 5));
        assertEquals(List.of(new Event.Rejected("Withdraw", RejectReason.RISK_INSUFFICIENT_FUNDS)),
            f.apply(new Command.Withdraw(7, USDT, 501)));
        assertEquals(List.of(new Event.Balance(7, USDT, 0, 500)), f.apply(new Command.Withdraw(7, USDT, 500)));
    }

    // ---------------------------------------------------------------------------------------------
    // Locks

    @Test
    void restingBuyLocksItsValuePlusTheFeeAtTheHigherRate() {
        feeAccounts();
        // 10,001 × 7 = 70,007; fee at 25 bps = floor(175.0175) = 175
        assertEquals(List.of(
            new Event.Balance(BUYER, USDT, FUNDS - 70_182, 70_182),
            new Event.Accepted(1, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 10_001, 7),
            new Event.Rested(1, 10_001, 7)), f.apply(gtc(BUYER, 1, Side.BUY, 10_001, 7)));
        // the maker rate counts when it is the higher one
        f.fundedAccount(8, 30, 20, StpMode.EXPIRE_TAKER);
        assertEquals(List.of(
            new Event.Balance(8, USDT, FUNDS - 10_030, 10_030),
            new Event.Accepted(2, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 10_000, 1),
            new Event.Rested(2, 10_000, 1)), f.apply(gtc(8, 2, Side.BUY, 10_000, 1)));
    }

    @Test
    void restingSellLocksItsShares() {
        feeAccounts();
        assertEquals(List.of(
            new Event.Balance(SELLER, TSLA, SHARES - 7, 7),
            new Event.Accepted(1, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 10_001, 7),
            new Event.Rested(1, 10_001, 7)), f.apply(gtc(SELLER, 1, Side.SELL, 10_001, 7)));
        assertEquals(FUNDS, f.engine.available(SELLER, USDT));
        assertEquals(0, f.engine.locked(SELLER, USDT));
    }

    @Test
    void lockNeedingExactlyAllAvailableFundsIsAcceptedAndOneUnitMoreIsRejected() {
        f.apply(new Command.CreateAccount(7, 0, 25, StpMode.EXPIRE_TAKER));
        f.apply(new Command.Deposit(7, USDT, 10_025));
        f.apply(new Command.Deposit(7, TSLA, 5));
        // 10,001 + floor(25.0025) = 10,026: one cent more than there is
        assertEquals(List.of(new Event.Rejected("PlaceOrder", RejectReason.RISK_INSUFFICIENT_FUNDS)),
            f.apply(gtc(7, 1, Side.BUY, 10_001, 1)));
        // 10,000 + 25 = 10,025: all of it
        assertEquals(List.of(
            new Event.Balance(7, USDT, 0, 10_025),
            new Event.Accepted(2, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 10_000, 1),
            new Event.Rested(2, 10_000, 1)), f.apply(gtc(7, 2, Side.BUY, 10_000, 1)));
        assertEquals(List.of(new Event.Rejected("PlaceOrder", RejectReason.RISK_INSUFFICIENT_FUNDS)),
            f.apply(gtc(7, 3, Side.SELL, 10_001, 6)));
        assertEquals(List.of(
            new Event.Balance(7, TSLA, 0, 5),
            new Event.Accepted(4, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 10_001, 5),
            new Event.Rested(4, 10_001, 5)), f.apply(gtc(7, 4, Side.SELL, 10_001, 5)));
    }

    @Test
    void cancelReleasesExactlyWhatIsStillLocked() {
        feeAccounts();
        f.apply(gtc(BUYER, 1, Side.BUY, 10_001, 7)); // locks 70,182
        // 2 trade with the buy as maker: 20,002 + maker fee floor(20.002) = 20,022 paid;
        // the 5 left can cost 50,005 + floor(125.0125) = 50,130; the other 30 are released.
        assertEquals(List.of(
            new Event.Balance(SELLER, TSLA, SHARES - 2, 2),
            new Event.Accepted(2, Side.SELL, OrderType.LIMIT, TimeInForce.IOC, 10_001, 2),
            new Event.Trade(1, 2, 1, 10_001, 2, 50, 20),
            new Event.Balance(BUYER, USDT, FUNDS - 20_022 - 50_130, 50_130),
            new Event.Balance(BUYER, TSLA, SHARES + 2, 0),
            new Event.Balance(SELLER, TSLA, SHARES - 2, 0),
            new Event.Balance(SELLER, USDT, FUNDS + 20_002 - 50, 0),
            new Event.Balance(FEES, USDT, 70, 0),
            new Event.Done(2, DoneReason.FILLED, 2, 0)),
            f.apply(limit(SELLER, 2, TSLAX, Side.SELL, TimeInForce.IOC, 10_001, 2)));
        assertEquals(List.of(
            new Event.Balance(BUYER, USDT, FUNDS - 20_022, 0),
            new Event.Done(1, DoneReason.CANCELLED, 2, 5)), f.apply(new Command.CancelOrder(BUYER, 1, null)));
    }

    // ---------------------------------------------------------------------------------------------
    // Trades and fees

    @Test
    void buyerTakerPaysTheTakerFeeOnTopAndSellerMakerPaysTheMakerFeeFromTheProceeds() {
        feeAccounts();
        assertEquals(List.of(
            new Event.Balance(SELLER, TSLA, SHARES - 4, 4),
            new Event.Accepted(1, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 10_000, 4),
            new Event.Rested(1, 10_000, 4)), f.apply(gtc(SELLER, 1, Side.SELL, 10_000, 4)));
        // Lock: 10,100 × 6 = 60,600 + floor(151.5) = 60,751.
        // Trade 4 at 10,000 = 40,000: taker fee 100, maker fee 40; the buyer pays 40,100.
        // The 2 left can cost 20,200 + floor(50.5) = 20,250, so 60,751 − 40,100 − 20,250 = 401 come back.
        assertEquals(List.of(
            new Event.Balance(BUYER, USDT, FUNDS - 60_751, 60_751),
            new Event.Accepted(2, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 10_100, 6),
            new Event.Trade(1, 2, 1, 10_000, 4, 100, 40),
            new Event.Balance(BUYER, USDT, FUNDS - 40_100 - 20_250, 20_250),
            new Event.Balance(BUYER, TSLA, SHARES + 4, 0),
            new Event.Balance(SELLER, TSLA, SHARES - 4, 0),
            new Event.Balance(SELLER, USDT, FUNDS + 40_000 - 40, 0),
            new Event.Balance(FEES, USDT, 140, 0),
            new Event.Done(1, DoneReason.FILLED, 4, 0),
            new Event.Rested(2, 10_100, 2)), f.apply(gtc(BUYER, 2, Side.BUY, 10_100, 6)));
    }

    @Test
    void buyerMakerPaysTheMakerFeeAndSellerTakerPaysTheTakerFee() {
        feeAccounts();
        // lock 40,000 + 100 at the higher rate; as maker it pays only 40,000 + 40, and the other 60 come back
        assertEquals(List.of(
            new Event.Balance(BUYER, USDT, FUNDS - 40_100, 40_100),
            new Event.Accepted(1, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 10_000, 4),
            new Event.Rested(1, 10_000, 4)), f.apply(gtc(BUYER, 1, Side.BUY, 10_000, 4)));
        assertEquals(List.of(
            new Event.Balance(SELLER, TSLA, SHARES - 4, 4),
            new Event.Accepted(2, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 9_900, 4),
            new Event.Trade(1, 2, 1, 10_000, 4, 100, 40),
            new Event.Balance(BUYER, USDT, FUNDS - 40_040, 0),
            new Event.Balance(BUYER, TSLA, SHARES + 4, 0),
            new Event.Balance(SELLER, TSLA, SHARES - 4, 0),
            new Event.Balance(SELLER, USDT, FUNDS + 40_000 - 100, 0),
            new Event.Balance(FEES, USDT, 140, 0),
            new Event.Done(1, DoneReason.FILLED, 4, 0),
            new Event.Done(2, DoneReason.FILLED, 4, 0)), f.apply(gtc(SELLER, 2, Side.SELL, 9_900, 4)));
    }

    @Test
    void feesRoundDown() {
        feeAccounts();
        f.apply(gtc(SELLER, 1, Side.SELL, 10_001, 3));
        // 30,003: taker fee floor(75.0075) = 75, maker fee floor(30.003) = 30
        assertEquals(List.of(
            new Event.Balance(BUYER, USDT, FUNDS - 30_078, 30_078),
            new Event.Accepted(2, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 10_001, 3),
            new Event.Trade(1, 2, 1, 10_001, 3, 75, 30),
            new Event.Balance(BUYER, USDT, FUNDS - 30_078, 0),
            new Event.Balance(BUYER, TSLA, SHARES + 3, 0),
            new Event.Balance(SELLER, TSLA, SHARES - 3, 0),
            new Event.Balance(SELLER, USDT, FUNDS + 30_003 - 30, 0),
            new Event.Balance(FEES, USDT, 105, 0),
            new Event.Done(1, DoneReason.FILLED, 3, 0),
            new Event.Done(2, DoneReason.FILLED, 3, 0)), f.apply(gtc(BUYER, 2, Side.BUY, 10_001, 3)));
    }

    @Test
    void feesBelowOneUnitAreZeroAndTheFeeAccountIsNotTouched() {
        feeAccounts();
        f.apply(gtc(SELLER, 1, Side.SELL, 399, 1));
        // 399 × 25 / 10,000 = 0.9975 and 399 × 10 / 10,000 = 0.399: both round to 0
        assertEquals(List.of(
            new Event.Balance(BUYER, USDT, FUNDS - 399, 399),
            new Event.Accepted(2, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 399, 1),
            new Event.Trade(1, 2, 1, 399, 1, 0, 0),
            new Event.Balance(BUYER, USDT, FUNDS - 399, 0),
            new Event.Balance(BUYER, TSLA, SHARES + 1, 0),
            new Event.Balance(SELLER, TSLA, SHARES - 1, 0),
            new Event.Balance(SELLER, USDT, FUNDS + 399, 0),
            new Event.Done(1, DoneReason.FILLED, 1, 0),
            new Event.Done(2, DoneReason.FILLED, 1, 0)), f.apply(gtc(BUYER, 2, Side.BUY, 399, 1)));
        assertEquals(0, f.engine.available(FEES, USDT));
    }

    @Test
    void feeAccountCollectsEveryFee() {
        feeAccounts();
        f.fundedAccount(7);
        f.apply(gtc(SELLER, 1, Side.SELL, 10_000, 4));
        f.apply(gtc(BUYER, 2, Side.BUY, 10_000, 4)); // 100 + 40
        f.apply(gtc(BUYER, 3, Side.BUY, 10_001, 3));
        f.apply(gtc(SELLER, 4, Side.SELL, 10_001, 3)); // seller taker 75, buyer maker 30
        f.apply(gtc(7, 5, Side.SELL, 20_000, 1));
        f.apply(gtc(BUYER, 6, Side.BUY, 20_000, 1)); // taker 50, account 7 pays no fee
        assertEquals(140 + 105 + 50, f.engine.available(FEES, USDT));
        assertEquals(0, f.engine.locked(FEES, USDT));
        assertEquals(0, f.engine.available(FEES, TSLA));
    }

    // ---------------------------------------------------------------------------------------------
    // Conservation

    /** Sums available + locked of the asset over the fee account and the given accounts. */
    private long total(int asset, long... accountIds) {
        long sum = f.engine.available(FEES, asset) + f.engine.locked(FEES, asset);
        for (long id : accountIds) {
            sum += f.engine.available(id, asset) + f.engine.locked(id, asset);
        }
        return sum;
    }

    @Test
    void everyAssetAddsUpToDepositsLessWithdrawalsAfterEveryStep() {
        f.fundedAccount(1, 10, 25, StpMode.EXPIRE_TAKER);
        f.fundedAccount(2, 0, 0, StpMode.EXPIRE_TAKER);
        f.fundedAccount(3, 5, 20, StpMode.EXPIRE_MAKER);
        f.fundedAccount(4, 7, 30, StpMode.NONE);
        long[] accounts = {1, 2, 3, 4};
        long[] expected = {4 * FUNDS, 4 * SHARES, 4 * SHARES};
        List<Command> steps = List.of(
            gtc(1, 1, Side.SELL, 10_007, 9),
            gtc(2, 2, Side.SELL, 10_013, 5),
            gtc(3, 3, Side.BUY, 10_013, 16), // takes 9 and 5, rests 2
            new Command.AmendOrder(3, 3, null, 10_050, 20), // 6 left at a new price
            gtc(4, 4, Side.BUY, 9_999, 7),
            gtc(4, 5, Side.SELL, 9_999, 8), // takes 6 from account 3, then 2 from itself
            market(1, 6, Side.SELL, 4),
            gtc(2, 7, Side.SELL, 10_020, 6),
            marketBudget(4, 8, 33_333), // 3 lots with the taker fee
            new Command.Withdraw(2, USDT, 1_234),
            new Command.Deposit(2, NVDA, 17),
            new Command.CancelOrder(4, 4, null),
            limit(3, 9, EngineFixture.NVDAX, Side.SELL, TimeInForce.GTC, 777, 11),
            limit(1, 10, EngineFixture.NVDAX, Side.BUY, TimeInForce.IOC, 800, 13),
            new Command.CancelAll(2, Command.CancelAll.ALL_INSTRUMENTS),
            new Command.Withdraw(1, TSLA, 9));
        for (Command step : steps) {
            List<Event> events = f.apply(step);
            if (step instanceof Command.Withdraw w && !(events.getFirst() instanceof Event.Rejected)) {
                expected[w.asset()] -= w.amount();
            } else if (step instanceof Command.Deposit d && !(events.getFirst() instanceof Event.Rejected)) {
                expected[d.asset()] += d.amount();
            }
            for (int asset = 0; asset < expected.length; asset++) {
                assertEquals(expected[asset], total(asset, accounts), "asset " + asset + " after " + step);
            }
        }
        assertEquals(4 * FUNDS - 1_234, expected[USDT]);
        assertEquals(4 * SHARES - 9, expected[TSLA]);
        assertEquals(4 * SHARES + 17, expected[NVDA]);
        // trades did happen, and they paid fees
        assertEquals(7, f.engine.lastTradeId());
        assertTrue(f.engine.available(FEES, USDT) > 0);
    }

    // ---------------------------------------------------------------------------------------------
    // A realistic market: USDT with 6 decimals, TSLAx with 8

    private static final int R_USDT = 0;
    private static final int R_TSLA = 1;

    /** TSLAx/USDT with a tick of 0.01 USDT (10,000 micro-USDT) and a lot of 0.001 share (100,000 units). */
    private static EngineConfig realisticConfig(long tickSize, long lotSize, long maxQuantity, long maxPrice) {
        return new EngineConfig(List.of(new AssetSpec("USDT", 6), new AssetSpec("TSLAx", 8)),
            List.of(new InstrumentSpec("TSLAx/USDT", R_TSLA, R_USDT, tickSize, lotSize, 1, maxQuantity, 0, maxPrice,
                null, TradingState.OPEN, 0)),
            0, true, 1_000, 1_024);
    }

    /** Drives a standalone engine the way the fixture does, with invariants checked after every command. */
    private static final class Driver {
        final RecordingListener listener = new RecordingListener();
        final MatchingEngine engine;
        private long sequence;

        Driver(EngineConfig config) {
            engine = new MatchingEngine(config, listener);
        }

        List<Event> apply(Command command) {
            listener.events.clear();
            engine.apply(++sequence, 1_000_000_000L + sequence, command);
            engine.checkInvariants();
            return new ArrayList<>(listener.events);
        }
    }

    @Test
    void realisticTradeMovesExactOnChainUnits() {
        Driver d = new Driver(realisticConfig(10_000, 100_000, 1_000_000, 10_000_000));
        d.apply(new Command.CreateAccount(1, 0, 0, StpMode.EXPIRE_TAKER));
        d.apply(new Command.CreateAccount(2, 0, 0, StpMode.EXPIRE_TAKER));
        d.apply(new Command.Deposit(1, R_USDT, 1_000_000_000)); // 1,000 USDT
        d.apply(new Command.Deposit(2, R_TSLA, 200_000_000)); // 2 shares
        // 1,500 lots of 0.001 = 1.5 shares = 150,000,000 units
        assertEquals(List.of(
            new Event.Balance(2, R_TSLA, 50_000_000, 150_000_000),
            new Event.Accepted(1, Side.SELL, OrderType.LIMIT, TimeInForce.GTC, 25_000, 1_500),
            new Event.Rested(1, 25_000, 1_500)),
            d.apply(Command.PlaceOrder.limit(2, 1, 0, Side.SELL, TimeInForce.GTC, 25_000, 1_500)));
        // 25,000 ticks = 250.00 USDT a share; 1.5 shares = 375.000000 USDT = 375,000,000 micro-USDT
        assertEquals(List.of(
            new Event.Balance(1, R_USDT, 625_000_000, 375_000_000),
            new Event.Accepted(2, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 25_000, 1_500),
            new Event.Trade(1, 2, 1, 25_000, 1_500, 0, 0),
            new Event.Balance(1, R_USDT, 625_000_000, 0),
            new Event.Balance(1, R_TSLA, 150_000_000, 0),
            new Event.Balance(2, R_TSLA, 50_000_000, 0),
            new Event.Balance(2, R_USDT, 375_000_000, 0),
            new Event.Done(1, DoneReason.FILLED, 1_500, 0),
            new Event.Done(2, DoneReason.FILLED, 1_500, 0)),
            d.apply(Command.PlaceOrder.limit(1, 2, 0, Side.BUY, TimeInForce.GTC, 25_000, 1_500)));
    }

    @Test
    void realisticTradeChargesFeesInMicroUsdt() {
        Driver d = new Driver(realisticConfig(10_000, 100_000, 1_000_000, 10_000_000));
        d.apply(new Command.CreateAccount(1, 10, 25, StpMode.EXPIRE_TAKER));
        d.apply(new Command.CreateAccount(2, 10, 25, StpMode.EXPIRE_TAKER));
        d.apply(new Command.Deposit(1, R_USDT, 1_000_000_000));
        d.apply(new Command.Deposit(2, R_TSLA, 200_000_000));
        d.apply(Command.PlaceOrder.limit(2, 1, 0, Side.SELL, TimeInForce.GTC, 25_000, 1_500));
        d.apply(Command.PlaceOrder.limit(1, 2, 0, Side.BUY, TimeInForce.GTC, 25_000, 1_500));
        // 375,000,000 × 25 / 10,000 = 937,500 (0.9375 USDT); × 10 / 10,000 = 375,000
        assertEquals(1_000_000_000 - 375_000_000 - 937_500, d.engine.available(1, R_USDT));
        assertEquals(0, d.engine.locked(1, R_USDT));
        assertEquals(150_000_000, d.engine.available(1, R_TSLA));
        assertEquals(375_000_000 - 375_000, d.engine.available(2, R_USDT));
        assertEquals(937_500 + 375_000, d.engine.available(0, R_USDT));
    }

    @Test
    void configWhoseTickLotIsNotAWholeNumberOfQuoteUnitsIsRefused() {
        // a tick of 0.01 USDT on a lot of 0.00001 share is 0.0000001 USDT, finer than 6 decimals
        assertThrows(IllegalArgumentException.class,
            () -> new MatchingEngine(realisticConfig(10_000, 1_000, 1_000_000, 10_000_000), new RecordingListener()));
        // a tick of 0.000001 USDT on a lot of 0.001 share: 0.000000001 USDT
        assertThrows(IllegalArgumentException.class,
            () -> new MatchingEngine(realisticConfig(1, 100_000, 1_000_000, 10_000_000), new RecordingListener()));
    }

    @Test
    void lockOfTheLargestAllowedOrderIncludesItsWholeFee() {
        // 10 micro-USDT per tick-lot; the largest order is worth 10^9 × 10^8 × 10 = 10^18 micro-USDT, within
        // InstrumentSpec.MAX_ORDER_VALUE, which promises that costs with fees never overflow.
        Driver d = new Driver(realisticConfig(10_000, 100_000, 100_000_000, 1_000_000_000));
        long value = 1_000_000_000_000_000_000L;
        long lock = value + value / 10_000 * 25; // 1.0025 × 10^18
        d.apply(new Command.CreateAccount(1, 0, 25, StpMode.EXPIRE_TAKER));
        d.apply(new Command.Deposit(1, R_USDT, lock - 1));
        assertEquals(List.of(new Event.Rejected("PlaceOrder", RejectReason.RISK_INSUFFICIENT_FUNDS)),
            d.apply(Command.PlaceOrder.limit(1, 1, 0, Side.BUY, TimeInForce.GTC, 1_000_000_000, 100_000_000)));
        d.apply(new Command.Deposit(1, R_USDT, 1));
        assertEquals(List.of(
            new Event.Balance(1, R_USDT, 0, lock),
            new Event.Accepted(2, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 1_000_000_000, 100_000_000),
            new Event.Rested(2, 1_000_000_000, 100_000_000)),
            d.apply(Command.PlaceOrder.limit(1, 2, 0, Side.BUY, TimeInForce.GTC, 1_000_000_000, 100_000_000)));
    }
}
