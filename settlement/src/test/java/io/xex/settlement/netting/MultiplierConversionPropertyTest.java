package io.xex.settlement.netting;

import io.xex.matching.Command;
import io.xex.matching.MatchingEngine;
import io.xex.matching.Side;
import io.xex.matching.StpMode;
import io.xex.matching.TimeInForce;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;
import io.xex.settlement.ChainUnits;
import io.xex.settlement.SettlementConfig.ChainAsset;
import io.xex.settlement.chain.LegCodec;
import io.xex.settlement.chain.SettlementVault.AssetKind;
import io.xex.settlement.chain.XStockToken;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static io.xex.settlement.netting.Market.ASSETS;
import static io.xex.settlement.netting.Market.FEE_ACCOUNT;
import static io.xex.settlement.netting.Market.NVDA;
import static io.xex.settlement.netting.Market.TSLA;
import static io.xex.settlement.netting.Market.USDT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ChainUnits#convert} against a simulated vault, over seeded random order flow through a real engine cut
 * into random batches: deposits of whole and odd numbers of shares (credited as the deposit watcher credits them),
 * withdrawals, trades (the fee account's too) and agreed transfers, first at multiplier 1, then, from an
 * {@code ApplyMultiplier} of both xStocks that starts a batch, at 2e18, 1e17 or 1.0123e18. After every batch: each
 * asset's legs add up to zero, no vault balance goes below zero while the legs and then the payouts are applied (the
 * vault would revert the batch), every account other than the fee account holds at least ⌊B × k / M⌋ shares of what
 * the engine says it holds, and the fee account at least its own. At multiplier 1 the legs and withdrawals are byte
 * for byte the ones converted movement by movement.
 */
class MultiplierConversionPropertyTest {
    private static final int COMMANDS = 2_000;
    private static final int MAX_BATCH = 40;
    private static final long[] ACCOUNTS = {1, 2, 3, 4, 5, FEE_ACCOUNT};
    private static final BigInteger K = BigInteger.TEN.pow(28);
    private static final List<ChainAsset> CHAIN = List.of(
        new ChainAsset(USDT, "USDT", AssetKind.ERC20, "0x01", 6, 6),
        new ChainAsset(TSLA, "TSLAx", AssetKind.SHARES, "0x02", 18, 8),
        new ChainAsset(NVDA, "NVDAx", AssetKind.SHARES, "0x03", 18, 8));

    static Stream<Arguments> runs() {
        long[][] ratios = {{1, 1}, {2, 1}, {1, 10}, {10_123, 10_000}};
        return Stream.of(ratios).flatMap(ratio -> LongStream.rangeClosed(1, 4)
            .mapToObj(seed -> Arguments.of(seed, ratio[0], ratio[1])));
    }

    @ParameterizedTest(name = "seed {0}, ratio {1}/{2}")
    @MethodSource("runs")
    void legsNeverOverdrawTheVaultAndKeepEveryAccountCovered(long seed, long numerator, long denominator) {
        SplittableRandom random = new SplittableRandom(seed * 31 + numerator);
        Market market = new Market();
        Netting netting = new Netting(Market.CONFIG);
        ChainUnits units = new ChainUnits(CHAIN);
        BigInteger[][] vault = new BigInteger[ACCOUNTS.length][ASSETS];
        for (BigInteger[] row : vault) {
            java.util.Arrays.fill(row, BigInteger.ZERO);
        }
        BigInteger[] multiplier = {XStockToken.ONE, XStockToken.ONE, XStockToken.ONE};
        long[] mid = {25_000, 120_000};
        int actionAt = COMMANDS / 3;
        long reference = 0;
        int batches = 0;
        int trades = 0;
        int oddDeposits = 0;

        for (long account : ACCOUNTS) {
            if (account != FEE_ACCOUNT) {
                market.apply(new Command.CreateAccount(account, 10, 20, StpMode.NONE));
            }
        }
        List<CommandResult> batch = new ArrayList<>();
        int batchSize = 1 + random.nextInt(MAX_BATCH);
        for (int i = 0; i < COMMANDS; i++) {
            boolean action = i == actionAt && numerator != denominator;
            long account = ACCOUNTS[random.nextInt(ACCOUNTS.length)];
            int roll = random.nextInt(100);
            Command command;
            if (action) {
                command = null;
            } else if (i < 40 || roll < 8) {
                int asset = random.nextInt(ASSETS);
                BigInteger shares = asset == USDT ? BigInteger.valueOf(1 + random.nextLong(20_000_000_000L))
                    : multiplier[asset].equals(XStockToken.ONE)
                        ? BigInteger.valueOf(1 + random.nextLong(1_000_000_000L)).multiply(BigInteger.TEN.pow(10))
                        : BigInteger.valueOf(1 + random.nextLong(1_000_000_000L)).multiply(BigInteger.TEN.pow(10))
                            .add(BigInteger.valueOf(random.nextLong(100_000_000_000L)));
                long credited = units.toEngine(asset, shares, multiplier[asset]);
                oddDeposits += asset != USDT && !shares.mod(BigInteger.TEN.pow(10)).equals(BigInteger.ZERO) ? 1 : 0;
                vault[index(account)][asset] = vault[index(account)][asset].add(shares);
                command = new Command.Deposit(account, asset, credited);
            } else if (roll < 16) {
                int asset = random.nextInt(ASSETS);
                long available = market.engine().available(account, asset);
                command = new Command.Withdraw(account, asset, 1 + random.nextLong(Math.max(1, available / 3)));
            } else if (roll < 20) {
                long to = ACCOUNTS[random.nextInt(ACCOUNTS.length)];
                int asset = TSLA + random.nextInt(2);
                command = new Command.Transfer(++reference, account, to == account ? ACCOUNTS[0] == account
                    ? ACCOUNTS[1] : ACCOUNTS[0] : to, asset, 1 + random.nextLong(Math.max(1,
                    market.engine().available(account, asset) / 5)), USDT, random.nextLong(1_000_000_000L));
            } else if (roll < 30) {
                command = new Command.CancelAll(account, Command.CancelAll.ALL_INSTRUMENTS);
            } else {
                int instrument = random.nextInt(2);
                long price = mid[instrument] - mid[instrument] / 500 + random.nextLong(mid[instrument] / 250 + 1);
                long lots = 1 + random.nextLong(instrument == 0 ? 3_000 : 25);
                command = Market.limit(account, instrument, random.nextBoolean() ? Side.BUY : Side.SELL,
                    random.nextInt(3) == 0 ? TimeInForce.IOC : TimeInForce.GTC, price, lots);
            }
            if (action) {
                // The batch before the actions at the old multiplier; the actions start the next, at the new one.
                if (!batch.isEmpty()) {
                    settle(seed, netting, units, market, batch, multiplier, vault);
                }
                batch = new ArrayList<>();
                batch.add(market.apply(new Command.ApplyMultiplier(TSLA, numerator, denominator)));
                batch.add(market.apply(new Command.ApplyMultiplier(NVDA, numerator, denominator)));
                for (int asset : new int[] {TSLA, NVDA}) {
                    BigInteger[] qr = multiplier[asset].multiply(BigInteger.valueOf(numerator))
                        .divideAndRemainder(BigInteger.valueOf(denominator));
                    assertEquals(BigInteger.ZERO, qr[1]);
                    multiplier[asset] = qr[0];
                }
                for (int instrument = 0; instrument < 2; instrument++) {
                    mid[instrument] = market.engine().referencePrice(instrument) == 0 ? mid[instrument] * denominator
                        / numerator : market.engine().referencePrice(instrument);
                }
                batches++;
                continue;
            }
            CommandResult result = market.apply(command);
            trades += (int) result.events().stream().filter(EngineEvent.Trade.class::isInstance).count();
            batch.add(result);
            if (batch.size() == batchSize || i == COMMANDS - 1) {
                settle(seed, netting, units, market, batch, multiplier, vault);
                batches++;
                batch = new ArrayList<>();
                batchSize = 1 + random.nextInt(MAX_BATCH);
            }
        }
        assertTrue(batches > 40 && trades > 100 && (numerator == denominator || oddDeposits > 5),
            "seed " + seed + ": " + batches + " batches, " + trades + " trades, " + oddDeposits + " odd deposits");
    }

    /** Converts one batch at {@code multiplier}, applies it to the simulated vault, and checks it (see the class comment). */
    private static void settle(long seed, Netting netting, ChainUnits units, Market market, List<CommandResult> batch,
                               BigInteger[] multiplier, BigInteger[][] vault) {
        String where = "seed " + seed + ", batch " + batch.getFirst().sequence() + ".." + batch.getLast().sequence()
            + " at " + multiplier[TSLA];
        NetMovements movements = netting.net(batch);
        ChainUnits.Converted converted = units.convert(movements, netting.positions(batch), asset -> multiplier[asset],
            FEE_ACCOUNT);
        if (multiplier[TSLA].equals(XStockToken.ONE)) {
            assertArrayEquals(LegCodec.encodeLegs(units.legs(movements)), LegCodec.encodeLegs(converted.legs()), where);
            assertArrayEquals(LegCodec.encodeWithdrawals(units.withdrawals(movements)),
                LegCodec.encodeWithdrawals(converted.withdrawals()), where);
        }
        BigInteger[] sums = {BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO};
        for (LegCodec.Leg leg : converted.legs()) {
            sums[leg.assetId()] = sums[leg.assetId()].add(leg.amount());
            int a = index(leg.accountId());
            vault[a][leg.assetId()] = vault[a][leg.assetId()].add(leg.amount());
            assertTrue(vault[a][leg.assetId()].signum() >= 0, where + ": " + leg + " overdraws the vault");
        }
        assertEquals(List.of(BigInteger.ZERO, BigInteger.ZERO, BigInteger.ZERO), List.of(sums), where + ": zero-sum");
        for (LegCodec.Withdrawal withdrawal : converted.withdrawals()) {
            int a = index(withdrawal.accountId());
            vault[a][withdrawal.assetId()] = vault[a][withdrawal.assetId()].subtract(withdrawal.amount());
            assertTrue(vault[a][withdrawal.assetId()].signum() >= 0, where + ": " + withdrawal + " overdraws the vault");
        }
        MatchingEngine engine = market.engine();
        for (int a = 0; a < ACCOUNTS.length; a++) {
            for (int asset = 0; asset < ASSETS; asset++) {
                long held = market.total(ACCOUNTS[a], asset);
                BigInteger covered = asset == USDT ? BigInteger.valueOf(held)
                    : BigInteger.valueOf(held).multiply(K).divide(multiplier[asset]);
                assertTrue(vault[a][asset].compareTo(covered) >= 0, where + ": account " + ACCOUNTS[a] + " asset "
                    + asset + " holds " + vault[a][asset] + " in the vault, below " + covered + " for " + held
                    + " engine units");
                if (asset == USDT) {
                    assertEquals(covered, vault[a][asset], where + ": USDT moves 1:1");
                }
            }
        }
        assertTrue(engine.hasAccount(FEE_ACCOUNT));
    }

    private static int index(long accountId) {
        for (int a = 0; a < ACCOUNTS.length; a++) {
            if (ACCOUNTS[a] == accountId) {
                return a;
            }
        }
        throw new AssertionError("account " + accountId);
    }
}
