package io.xex.settlement.netting;

import io.xex.matching.Command;
import io.xex.matching.MatchingEngine;
import io.xex.matching.OrderView;
import io.xex.matching.Side;
import io.xex.matching.StpMode;
import io.xex.matching.TimeInForce;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.LongStream;

import static io.xex.settlement.netting.Market.ASSETS;
import static io.xex.settlement.netting.Market.FEE_ACCOUNT;
import static io.xex.settlement.netting.Market.NVDA;
import static io.xex.settlement.netting.Market.NVDAX;
import static io.xex.settlement.netting.Market.TSLA;
import static io.xex.settlement.netting.Market.TSLAX;
import static io.xex.settlement.netting.Market.USDT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seeded random order flow through a real engine, cut into random batches. For every batch: the transfers of
 * every asset add up to zero, and for every account and asset the transfer less the withdrawal equals the change
 * of the account's available plus locked balance over the batch less its deposits in the batch, read from the
 * engine before and after. Netting the whole run at once gives the sum of its batches. A failure names the seed
 * and the batch's sequences.
 */
class NettingPropertyTest {
    private static final int SEEDS = 12;
    private static final int COMMANDS = 3_000;
    private static final int MAX_BATCH = 60;
    /** The traders' fee tiers and self-trade prevention, by account id 1, 2, ...; the fee account trades too. */
    private static final int[][] FEES = {{10, 20}, {10, 20}, {0, 0}, {5, 15}, {25, 25}, {1_000, 1_000}, {0, 7}, {3, 0}};
    private static final StpMode[] STP = {StpMode.EXPIRE_TAKER, StpMode.EXPIRE_MAKER, StpMode.EXPIRE_BOTH,
        StpMode.NONE, StpMode.NONE, StpMode.EXPIRE_TAKER, StpMode.NONE, StpMode.EXPIRE_TAKER};
    private static final long[] ACCOUNTS = LongStream.concat(LongStream.rangeClosed(1, FEES.length),
        LongStream.of(FEE_ACCOUNT)).toArray();

    static LongStream seeds() {
        return LongStream.rangeClosed(1, SEEDS);
    }

    /** What a run exercised, so that a weakened generator shows up as a failure. */
    private static final class Coverage {
        int batches;
        int trades;
        int selfTrades;
        int feeAccountTrades;
        int budgetTrades;
        int withdrawals;
        int rejectedWithdrawals;
        int deposits;
        int emptyBatches;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyBatchConservesEachAssetAndMatchesTheBalances(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Market market = new Market();
        Netting netting = new Netting(Market.CONFIG);
        Generator generator = new Generator(random, market.engine());
        Coverage coverage = new Coverage();
        List<CommandResult> all = new ArrayList<>(COMMANDS);
        Map<AccountAsset, Long> batchSums = new TreeMap<>();
        Map<AccountAsset, Long> batchWithdrawals = new TreeMap<>();

        List<Command> opening = new ArrayList<>();
        for (long accountId : ACCOUNTS) {
            if (accountId != FEE_ACCOUNT) {
                int i = (int) accountId - 1;
                opening.add(new Command.CreateAccount(accountId, FEES[i][0], FEES[i][1], STP[i]));
            }
            opening.add(new Command.Deposit(accountId, USDT, 50_000_000_000L));
            opening.add(new Command.Deposit(accountId, TSLA, 10_000_000_000L));
            opening.add(new Command.Deposit(accountId, NVDA, 10_000_000_000L));
        }

        long[][] before = totals(market);
        List<CommandResult> batch = new ArrayList<>();
        int batchSize = 1 + random.nextInt(MAX_BATCH);
        for (int i = 0; i < COMMANDS; i++) {
            Command command = i < opening.size() ? opening.get(i) : generator.next();
            CommandResult result = market.apply(command);
            batch.add(result);
            all.add(result);
            if (batch.size() == batchSize || i == COMMANDS - 1) {
                long[][] after = totals(market);
                NetMovements net = netting.net(batch);
                check(seed, batch, net, before, after, coverage);
                net.transfers().forEach(leg -> batchSums.merge(new AccountAsset(leg.accountId(), leg.asset()),
                    leg.amount(), Math::addExact));
                net.withdrawals().forEach(leg -> batchWithdrawals.merge(new AccountAsset(leg.accountId(), leg.asset()),
                    leg.amount(), Math::addExact));
                assertEquals(net, netting.net(List.copyOf(batch)), "seed " + seed + ": netting the batch again");
                before = after;
                batch = new ArrayList<>();
                batchSize = 1 + random.nextInt(MAX_BATCH);
            }
        }

        NetMovements whole = netting.net(all);
        assertEquals(legs(batchSums), whole.transfers(), "seed " + seed + ": the whole run nets to the sum of its batches");
        assertEquals(legs(batchWithdrawals), whole.withdrawals(), "seed " + seed + ": withdrawals of the whole run");

        String seen = "seed " + seed + ": " + coverage.batches + " batches (" + coverage.emptyBatches + " empty), "
            + coverage.trades + " trades (" + coverage.selfTrades + " self, " + coverage.feeAccountTrades
            + " by the fee account, " + coverage.budgetTrades + " with a budget), " + coverage.withdrawals
            + " withdrawals, " + coverage.rejectedWithdrawals + " rejected, " + coverage.deposits + " deposits";
        assertTrue(coverage.trades > 300 && coverage.selfTrades > 3 && coverage.feeAccountTrades > 3
            && coverage.budgetTrades > 3 && coverage.withdrawals > 20 && coverage.rejectedWithdrawals > 3
            && coverage.deposits > 40, seen);
    }

    private static void check(long seed, List<CommandResult> batch, NetMovements net, long[][] before, long[][] after,
                              Coverage coverage) {
        String where = "seed " + seed + ", batch " + batch.getFirst().sequence() + ".." + batch.getLast().sequence();
        assertEquals(batch.getFirst().sequence(), net.firstSequence(), where);
        assertEquals(batch.getLast().sequence(), net.lastSequence(), where);

        long[] sums = new long[ASSETS];
        for (Leg leg : net.transfers()) {
            sums[leg.asset()] = Math.addExact(sums[leg.asset()], leg.amount());
        }
        assertEquals(List.of(0L, 0L, 0L), List.of(sums[0], sums[1], sums[2]), where + ": transfers per asset");

        long[][] deposits = new long[ACCOUNTS.length][ASSETS];
        for (CommandResult result : batch) {
            boolean rejected = result.events().stream().anyMatch(EngineEvent.Rejected.class::isInstance);
            if (result.command() instanceof Command.Deposit deposit && !rejected) {
                deposits[index(deposit.accountId())][deposit.asset()] += deposit.amount();
                coverage.deposits++;
            } else if (result.command() instanceof Command.Withdraw) {
                if (rejected) {
                    coverage.rejectedWithdrawals++;
                } else {
                    coverage.withdrawals++;
                }
            }
            for (EngineEvent event : result.events()) {
                if (event instanceof EngineEvent.Trade trade) {
                    coverage.trades++;
                    long taker = trade.taker().accountId();
                    long maker = trade.maker().accountId();
                    coverage.selfTrades += taker == maker ? 1 : 0;
                    coverage.feeAccountTrades += taker == FEE_ACCOUNT || maker == FEE_ACCOUNT ? 1 : 0;
                    coverage.budgetTrades += trade.taker().quoteBudget() != 0 ? 1 : 0;
                }
            }
        }

        // Every leg is of an account followed below.
        net.transfers().forEach(leg -> index(leg.accountId()));
        net.withdrawals().forEach(leg -> index(leg.accountId()));
        for (int a = 0; a < ACCOUNTS.length; a++) {
            for (int asset = 0; asset < ASSETS; asset++) {
                long expected = after[a][asset] - before[a][asset] - deposits[a][asset];
                long moved = amount(net.transfers(), ACCOUNTS[a], asset) - amount(net.withdrawals(), ACCOUNTS[a], asset);
                assertEquals(expected, moved, where + ": account " + ACCOUNTS[a] + " asset " + asset
                    + ", transfer less withdrawal against the balance change less deposits");
            }
        }
        coverage.batches++;
        coverage.emptyBatches += net.isEmpty() ? 1 : 0;
    }

    private static long[][] totals(Market market) {
        long[][] totals = new long[ACCOUNTS.length][ASSETS];
        for (int a = 0; a < ACCOUNTS.length; a++) {
            for (int asset = 0; asset < ASSETS; asset++) {
                totals[a][asset] = market.total(ACCOUNTS[a], asset);
            }
        }
        return totals;
    }

    private static int index(long accountId) {
        for (int a = 0; a < ACCOUNTS.length; a++) {
            if (ACCOUNTS[a] == accountId) {
                return a;
            }
        }
        throw new AssertionError("a leg for account " + accountId + ", which the test does not follow");
    }

    private static long amount(List<Leg> legs, long accountId, int asset) {
        long amount = 0;
        for (Leg leg : legs) {
            if (leg.accountId() == accountId && leg.asset() == asset) {
                amount += leg.amount();
            }
        }
        return amount;
    }

    private record AccountAsset(long accountId, int asset) implements Comparable<AccountAsset> {
        @Override
        public int compareTo(AccountAsset other) {
            int byAccount = Long.compare(accountId, other.accountId);
            return byAccount != 0 ? byAccount : Integer.compare(asset, other.asset);
        }
    }

    private static List<Leg> legs(Map<AccountAsset, Long> sums) {
        return sums.entrySet().stream().filter(e -> e.getValue() != 0)
            .map(e -> new Leg(e.getKey().accountId(), e.getKey().asset(), e.getValue())).toList();
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Random commands from a seed: orders of every kind around a fixed mid on both instruments (so that they
     * cross often), cancels, amends and reductions of live orders, deposits, and withdrawals of up to a little
     * more than is available (some rejected). It looks at the engine only to find live orders and balances.
     */
    private static final class Generator {
        private static final long[] MID = {25_000, 120_000};
        private static final long[] SPREAD = {40, 300};
        private static final long[] MAX_LOTS = {3_000, 25};
        private static final TimeInForce[] TAKING = {TimeInForce.IOC, TimeInForce.FOK, TimeInForce.POST_ONLY};

        private final SplittableRandom random;
        private final MatchingEngine engine;

        Generator(SplittableRandom random, MatchingEngine engine) {
            this.random = random;
            this.engine = engine;
        }

        Command next() {
            long account = random.nextInt(20) == 0 ? FEE_ACCOUNT : 1 + random.nextInt(FEES.length);
            int instrument = random.nextInt(2);
            int roll = random.nextInt(100);
            if (roll < 7) {
                int asset = random.nextInt(ASSETS);
                return new Command.Deposit(account, asset,
                    1 + random.nextLong(asset == USDT ? 20_000_000_000L : 1_000_000_000L));
            }
            if (roll < 15) {
                int asset = random.nextInt(ASSETS);
                long available = engine.available(account, asset);
                long amount = random.nextInt(10) == 0 ? available + 1 + random.nextLong(1_000)
                    : 1 + random.nextLong(Math.max(1, available / 4));
                return new Command.Withdraw(account, asset, amount);
            }
            if (roll < 55) {
                return Market.limit(account, instrument, side(), TimeInForce.GTC, price(instrument), lots(instrument));
            }
            if (roll < 70) {
                return Market.limit(account, instrument, side(), TAKING[random.nextInt(TAKING.length)], price(instrument),
                    lots(instrument));
            }
            if (roll < 78) {
                return random.nextBoolean() ? Market.marketSell(account, instrument, lots(instrument))
                    : Market.marketBuy(account, instrument, 1 + random.nextLong(
                        MID[instrument] * MAX_LOTS[instrument] * (instrument == TSLAX ? 10 : 1_000)));
            }
            OrderView live = liveOrder(account);
            if (live == null || roll < 80) {
                return new Command.CancelAll(account, random.nextBoolean() ? Command.CancelAll.ALL_INSTRUMENTS : instrument);
            }
            if (roll < 90) {
                return new Command.CancelOrder(account, live.orderId(), null);
            }
            if (roll < 95) {
                long price = random.nextBoolean() ? live.price() : price(live.instrumentId());
                return new Command.AmendOrder(account, live.orderId(), null, price, 1 + random.nextLong(live.quantity() * 2));
            }
            return new Command.ReduceOrder(account, live.orderId(), 1 + random.nextLong(live.remaining()));
        }

        private Side side() {
            return random.nextBoolean() ? Side.BUY : Side.SELL;
        }

        private long price(int instrument) {
            return MID[instrument] - SPREAD[instrument] + random.nextLong(2 * SPREAD[instrument] + 1);
        }

        private long lots(int instrument) {
            return 1 + random.nextLong(MAX_LOTS[instrument]);
        }

        /** One of the account's live orders, chosen at random, or {@code null}. */
        private OrderView liveOrder(long account) {
            List<Long> ids = new ArrayList<>();
            engine.forEachOrderOf(account, order -> ids.add(order.orderId()));
            return ids.isEmpty() ? null : engine.order(ids.get(random.nextInt(ids.size())));
        }
    }
}
