package io.xex.matching;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.xex.matching.EngineFixture.NVDA;
import static io.xex.matching.EngineFixture.NVDAX;
import static io.xex.matching.EngineFixture.TSLA;
import static io.xex.matching.EngineFixture.TSLAX;
import static io.xex.matching.EngineFixture.USDT;
import static io.xex.matching.EngineFixture.gtc;
import static io.xex.matching.EngineFixture.limit;
import static io.xex.matching.EngineFixture.market;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Named.named;

/**
 * One small scenario for every {@link RejectReason}: the refused command causes exactly one
 * {@code Rejected} event and changes nothing. A last test fails when a reason has no scenario.
 *
 * <p>The market is the fixture's, with TSLAx banded around a reference of 10,000 ticks (entry band
 * 9,000..11,000) and NVDAx without bands; accounts 1 and 2 hold 1,000,000.00 USDT and 1,000 of each
 * share.
 */
class RejectReasonTest {
    private static final BandSpec BANDS = BandSpec.defaults();
    private static final long REFERENCE = 10_000;

    /** A market brought to the moment before the command that is to be refused, and that command. */
    record Prepared(MatchingEngine engine, Function<Command, List<Event>> driver, Command command) {
        static Prepared on(EngineFixture f, Command command) {
            return new Prepared(f.engine, f::apply, command);
        }
    }

    private static EngineFixture bandedMarket(long reference) {
        EngineFixture f = new EngineFixture(BANDS, TradingState.OPEN, reference);
        f.fundedAccount(1);
        f.fundedAccount(2);
        return f;
    }

    /** A scenario on the fixture's market: {@code setUp} prepares it and returns the command to refuse. */
    private static Arguments scenario(RejectReason reason, String description, Function<EngineFixture, Command> setUp) {
        return scenario(reason, REFERENCE, description, setUp);
    }

    private static Arguments scenario(RejectReason reason, long reference, String description,
                                      Function<EngineFixture, Command> setUp) {
        Supplier<Prepared> prepare = () -> {
            EngineFixture f = bandedMarket(reference);
            return Prepared.on(f, setUp.apply(f));
        };
        return Arguments.of(reason, named(description, prepare));
    }

    static Stream<Arguments> scenarios() {
        return Stream.of(
            scenario(RejectReason.REQUEST_UNKNOWN_INSTRUMENT, "an order on instrument 99",
                f -> limit(1, 1, 99, Side.BUY, TimeInForce.GTC, 10_000, 1)),
            scenario(RejectReason.REQUEST_UNKNOWN_ACCOUNT, "an order of an account that was never opened",
                f -> gtc(99, 1, Side.BUY, 10_000, 1)),
            scenario(RejectReason.REQUEST_INVALID_QUANTITY, "an order for 0 lots",
                f -> gtc(1, 1, Side.BUY, 10_000, 0)),
            Arguments.of(RejectReason.REQUEST_QUANTITY_BELOW_MIN,
                named("an order for 4 lots where the minimum is 5", (Supplier<Prepared>) RejectReasonTest::belowMinimum)),
            scenario(RejectReason.REQUEST_QUANTITY_ABOVE_MAX, "an order for 10,001 lots where the maximum is 10,000",
                f -> gtc(1, 1, Side.SELL, 10_000, EngineFixture.MAX_QUANTITY + 1)),
            scenario(RejectReason.REQUEST_INVALID_PRICE, "a limit order at price 0",
                f -> gtc(1, 1, Side.BUY, 0, 1)),
            scenario(RejectReason.REQUEST_NOTIONAL_BELOW_MIN, "an order worth 49 cents where the minimum is 50",
                f -> limit(1, 1, NVDAX, Side.BUY, TimeInForce.GTC, 49, 1)),
            scenario(RejectReason.REQUEST_INVALID_TIME_IN_FORCE, "a GTC market order",
                f -> new Command.PlaceOrder(1, 1, null, TSLAX, Side.BUY, OrderType.MARKET, TimeInForce.GTC, 0, 1, 0)),
            scenario(RejectReason.REQUEST_INVALID_QUOTE_BUDGET, "a market sell with a quote budget",
                f -> new Command.PlaceOrder(1, 1, null, TSLAX, Side.SELL, OrderType.MARKET, TimeInForce.IOC, 0, 0,
                    50_000)),
            scenario(RejectReason.REQUEST_CLIENT_ORDER_ID_INVALID, "a client order id of 37 characters",
                f -> new Command.PlaceOrder(1, 1, "x".repeat(MatchingEngine.MAX_CLIENT_ORDER_ID_LENGTH + 1), TSLAX,
                    Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 10_000, 1, 0)),
            scenario(RejectReason.REQUEST_DUPLICATE_CLIENT_ORDER_ID, "a second live order with the client order id 'q1'",
                f -> {
                    f.apply(new Command.PlaceOrder(1, 1, "q1", TSLAX, Side.BUY, OrderType.LIMIT, TimeInForce.GTC,
                        9_900, 1, 0));
                    return new Command.PlaceOrder(1, 2, "q1", TSLAX, Side.BUY, OrderType.LIMIT, TimeInForce.GTC,
                        9_800, 1, 0);
                }),
            scenario(RejectReason.REQUEST_DUPLICATE_ORDER_ID, "another account's order with the id of a resting order",
                f -> {
                    f.apply(gtc(1, 7, Side.BUY, 9_900, 1));
                    return gtc(2, 7, Side.BUY, 9_800, 1);
                }),
            scenario(RejectReason.REQUEST_UNKNOWN_ORDER, "a cancel of an order that never existed",
                f -> new Command.CancelOrder(1, 42, null)),
            scenario(RejectReason.REQUEST_AMEND_NOTHING_TO_CHANGE, "an amend to the same price and quantity",
                f -> {
                    f.apply(gtc(1, 1, Side.BUY, 9_900, 5));
                    return new Command.AmendOrder(1, 1, null, 9_900, 5);
                }),
            scenario(RejectReason.REQUEST_ACCOUNT_EXISTS, "opening account 1 again",
                f -> new Command.CreateAccount(1, 0, 0, StpMode.EXPIRE_TAKER)),
            scenario(RejectReason.REQUEST_UNKNOWN_ASSET, "a deposit of asset 3 where there are three assets",
                f -> new Command.Deposit(1, 3, 100)),
            scenario(RejectReason.REQUEST_INVALID_AMOUNT, "a deposit of 0",
                f -> new Command.Deposit(1, USDT, 0)),
            scenario(RejectReason.REQUEST_INVALID_FEE_RATE, "an account with a maker fee of 1,001 bps",
                f -> new Command.CreateAccount(3, MatchingEngine.MAX_FEE_BPS + 1, 0, StpMode.EXPIRE_TAKER)),
            scenario(RejectReason.REQUEST_INVALID_RATIO, "a multiplier change of 4/2, not reduced",
                f -> new Command.ApplyMultiplier(TSLA, 4, 2)),
            scenario(RejectReason.REQUEST_NOT_A_BASE_ASSET, "a multiplier change of USDT, a quote asset",
                f -> new Command.ApplyMultiplier(USDT, 2, 1)),
            scenario(RejectReason.REQUEST_DUPLICATE_TRANSFER, "a transfer sent again under its reference",
                f -> {
                    f.apply(new Command.Transfer(1, 1, 2, USDT, 1, USDT, 0));
                    return new Command.Transfer(1, 1, 2, USDT, 1, USDT, 0);
                }),
            scenario(RejectReason.REQUEST_INVALID_TRANSFER, "a transfer from account 1 to itself",
                f -> new Command.Transfer(1, 1, 1, USDT, 1, USDT, 0)),
            scenario(RejectReason.RISK_INSUFFICIENT_FUNDS, "a sell of 1,001 shares by a holder of 1,000",
                f -> gtc(1, 1, Side.SELL, 10_000, 1_001)),
            scenario(RejectReason.RISK_TOO_MANY_OPEN_ORDERS, "a sixth resting order where five are allowed",
                f -> {
                    for (int i = 1; i <= 5; i++) {
                        f.apply(gtc(1, i, Side.BUY, 9_900 - i, 1));
                    }
                    return gtc(1, 6, Side.BUY, 9_000, 1);
                }),
            scenario(RejectReason.RISK_BALANCE_OVERFLOW, "a deposit that would take a balance past Long.MAX_VALUE",
                f -> new Command.Deposit(1, USDT, Long.MAX_VALUE)),
            scenario(RejectReason.TRADING_HALTED, "an order on a halted symbol",
                f -> {
                    f.apply(new Command.SetTradingState(TSLAX, TradingState.HALTED));
                    return gtc(1, 1, Side.BUY, 10_000, 1);
                }),
            scenario(RejectReason.TRADING_CANCEL_ONLY, "an order on a cancel-only symbol",
                f -> {
                    f.apply(new Command.SetTradingState(TSLAX, TradingState.CANCEL_ONLY));
                    return gtc(1, 1, Side.BUY, 10_000, 1);
                }),
            scenario(RejectReason.TRADING_MARKET_ORDERS_CLOSED_UNDERLYING, "a market order while the underlying is closed",
                f -> {
                    f.apply(new Command.SetTradingState(TSLAX, TradingState.CLOSED_UNDERLYING));
                    return market(1, 1, Side.BUY, 1);
                }),
            scenario(RejectReason.TRADING_PRICE_OUTSIDE_ENTRY_BAND, "a buy at 11,001 where the entry band ends at 11,000",
                f -> gtc(1, 1, Side.BUY, 11_001, 1)),
            scenario(RejectReason.TRADING_NO_REFERENCE_PRICE, 0, "an order on a banded symbol without a reference",
                f -> gtc(1, 1, Side.BUY, 10_000, 1)),
            scenario(RejectReason.MATCHING_POST_ONLY_WOULD_CROSS, "a post-only buy at the best ask",
                f -> {
                    f.apply(gtc(2, 1, Side.SELL, 10_000, 1));
                    return limit(1, 2, TSLAX, Side.BUY, TimeInForce.POST_ONLY, 10_000, 1);
                }));
    }

    /** REQUEST_QUANTITY_BELOW_MIN needs a minimum above one lot, which the fixture's market does not have. */
    private static Prepared belowMinimum() {
        List<AssetSpec> assets = List.of(new AssetSpec("USDT", 2), new AssetSpec("TSLAx", 0));
        InstrumentSpec tsla = new InstrumentSpec("TSLAx/USDT", 1, 0, 1, 1, 5, 10_000, 50, 1_000_000, null,
            TradingState.OPEN, 0);
        RecordingListener listener = new RecordingListener();
        MatchingEngine engine = new MatchingEngine(new EngineConfig(assets, List.of(tsla), 0, true, 5, 16), listener);
        long[] sequence = {0};
        Function<Command, List<Event>> driver = command -> {
            listener.events.clear();
            engine.apply(++sequence[0], 1_000_000_000L, command);
            engine.checkInvariants();
            return new ArrayList<>(listener.events);
        };
        for (long account = 1; account <= 2; account++) {
            driver.apply(new Command.CreateAccount(account, 0, 0, StpMode.EXPIRE_TAKER));
            driver.apply(new Command.Deposit(account, 0, 100_000_000));
            driver.apply(new Command.Deposit(account, 1, 1_000));
        }
        return new Prepared(engine, driver, Command.PlaceOrder.limit(1, 1, 0, Side.BUY, TimeInForce.GTC, 10_000, 4));
    }

    /** What a refused command must leave as it was. */
    private record Snapshot(long stateHash, int liveOrders, long lastTradeId, List<Long> balances) {
        static Snapshot of(MatchingEngine engine) {
            List<Long> balances = new ArrayList<>();
            int assets = engine.config().assets().size();
            for (long account = 1; account <= 2; account++) {
                for (int asset = 0; asset < assets; asset++) {
                    balances.add(engine.available(account, asset));
                    balances.add(engine.locked(account, asset));
                }
            }
            return new Snapshot(engine.stateHash(), engine.liveOrderCount(), engine.lastTradeId(), balances);
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("scenarios")
    void theCommandIsRefusedWithThisReasonAndNothingChanges(RejectReason reason, Supplier<Prepared> scenario) {
        Prepared prepared = scenario.get();
        Snapshot before = Snapshot.of(prepared.engine());
        String commandName = prepared.command().getClass().getSimpleName();
        assertEquals(List.of(new Event.Rejected(commandName, reason)), prepared.driver().apply(prepared.command()));
        assertEquals(before, Snapshot.of(prepared.engine()));
    }

    @Test
    void everyReasonHasAScenario() {
        List<RejectReason> covered = scenarios().map(arguments -> (RejectReason) arguments.get()[0]).toList();
        assertEquals(EnumSet.allOf(RejectReason.class), EnumSet.copyOf(covered));
        assertEquals(RejectReason.values().length, covered.size(), "one scenario per reason");
    }

    @Test
    void codesAreUniqueAndGroupedBySubsystemInDeclarationOrder() {
        Set<Integer> codes = new HashSet<>();
        int previous = 0;
        for (RejectReason reason : RejectReason.values()) {
            assertTrue(codes.add(reason.code()), reason + " repeats code " + reason.code());
            assertTrue(reason.code() > previous, reason + " is out of order");
            previous = reason.code();
            String name = reason.name();
            int group = name.startsWith("REQUEST_") ? 1 : name.startsWith("RISK_") ? 2
                : name.startsWith("TRADING_") ? 3 : name.startsWith("MATCHING_") ? 4 : -1;
            assertEquals(group, reason.code() / 100, reason + " is outside its subsystem's block");
        }
    }

    @Test
    void codesRoundTripAndUnknownCodesHaveNoReason() {
        for (RejectReason reason : RejectReason.values()) {
            assertEquals(reason, RejectReason.ofCode(reason.code()));
        }
        assertNull(RejectReason.ofCode(0));
        assertNull(RejectReason.ofCode(100));
        assertNull(RejectReason.ofCode(999));
    }

    /** The numbers are part of both wires: changing one breaks every client, so each is pinned here. */
    @Test
    void codesAreStable() {
        Map<RejectReason, Integer> expected = new LinkedHashMap<>();
        expected.put(RejectReason.REQUEST_UNKNOWN_INSTRUMENT, 101);
        expected.put(RejectReason.REQUEST_UNKNOWN_ACCOUNT, 102);
        expected.put(RejectReason.REQUEST_INVALID_QUANTITY, 103);
        expected.put(RejectReason.REQUEST_QUANTITY_BELOW_MIN, 104);
        expected.put(RejectReason.REQUEST_QUANTITY_ABOVE_MAX, 105);
        expected.put(RejectReason.REQUEST_INVALID_PRICE, 106);
        expected.put(RejectReason.REQUEST_NOTIONAL_BELOW_MIN, 107);
        expected.put(RejectReason.REQUEST_INVALID_TIME_IN_FORCE, 108);
        expected.put(RejectReason.REQUEST_INVALID_QUOTE_BUDGET, 109);
        expected.put(RejectReason.REQUEST_CLIENT_ORDER_ID_INVALID, 110);
        expected.put(RejectReason.REQUEST_DUPLICATE_CLIENT_ORDER_ID, 111);
        expected.put(RejectReason.REQUEST_DUPLICATE_ORDER_ID, 112);
        expected.put(RejectReason.REQUEST_UNKNOWN_ORDER, 113);
        expected.put(RejectReason.REQUEST_AMEND_NOTHING_TO_CHANGE, 114);
        expected.put(RejectReason.REQUEST_ACCOUNT_EXISTS, 115);
        expected.put(RejectReason.REQUEST_UNKNOWN_ASSET, 116);
        expected.put(RejectReason.REQUEST_INVALID_AMOUNT, 117);
        expected.put(RejectReason.REQUEST_INVALID_FEE_RATE, 118);
        expected.put(RejectReason.REQUEST_INVALID_RATIO, 119);
        expected.put(RejectReason.REQUEST_NOT_A_BASE_ASSET, 120);
        expected.put(RejectReason.REQUEST_DUPLICATE_TRANSFER, 121);
        expected.put(RejectReason.REQUEST_INVALID_TRANSFER, 122);
        expected.put(RejectReason.RISK_INSUFFICIENT_FUNDS, 201);
        expected.put(RejectReason.RISK_TOO_MANY_OPEN_ORDERS, 202);
        expected.put(RejectReason.RISK_BALANCE_OVERFLOW, 203);
        expected.put(RejectReason.TRADING_HALTED, 301);
        expected.put(RejectReason.TRADING_CANCEL_ONLY, 302);
        expected.put(RejectReason.TRADING_MARKET_ORDERS_CLOSED_UNDERLYING, 303);
        expected.put(RejectReason.TRADING_PRICE_OUTSIDE_ENTRY_BAND, 304);
        expected.put(RejectReason.TRADING_NO_REFERENCE_PRICE, 305);
        expected.put(RejectReason.MATCHING_POST_ONLY_WOULD_CROSS, 401);
        Map<RejectReason, Integer> actual = new LinkedHashMap<>();
        for (RejectReason reason : RejectReason.values()) {
            actual.put(reason, reason.code());
        }
        assertEquals(expected, actual);
    }

    @Test
    void aDepositThatWouldTakeAnAssetsTotalPastTheCountableMaximumIsRefused() {
        EngineFixture f = bandedMarket(REFERENCE);
        // 2 × 100,000,000 cents are already deposited, so the total would pass MAX_ORDER_VALUE
        assertEquals(List.of(new Event.Rejected("Deposit", RejectReason.RISK_BALANCE_OVERFLOW)),
            f.apply(new Command.Deposit(2, USDT, InstrumentSpec.MAX_ORDER_VALUE)));
        assertEquals(List.of(new Event.Balance(2, USDT, 100_000_000 + 1_000, 0)),
            f.apply(new Command.Deposit(2, USDT, 1_000)));
    }

    @Test
    void aWithdrawalOfMoreThanIsAvailableIsRefusedForInsufficientFunds() {
        EngineFixture f = bandedMarket(REFERENCE);
        f.apply(gtc(1, 1, Side.SELL, 10_000, 400));
        // 1,000 shares, 400 locked by the resting sell: 600 available
        assertEquals(List.of(new Event.Rejected("Withdraw", RejectReason.RISK_INSUFFICIENT_FUNDS)),
            f.apply(new Command.Withdraw(1, TSLA, 601)));
        assertEquals(List.of(new Event.Balance(1, TSLA, 0, 400)), f.apply(new Command.Withdraw(1, TSLA, 600)));
        assertEquals(1_000, f.engine.available(1, NVDA));
    }
}
