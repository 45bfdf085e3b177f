package io.xex.matching;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import static io.xex.matching.EngineFixture.NVDAX;
import static io.xex.matching.EngineFixture.TSLAX;
import static io.xex.matching.EngineFixture.USDT;
import static io.xex.matching.EngineFixture.gtc;
import static io.xex.matching.EngineFixture.limit;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Snapshots of the engine. A restored engine must be the original: the same state hash and, what proves
 * that no hidden state was left out, the same events for every following command. Random command
 * sequences ({@link RandomCommandsTest.Generator}) build the engines, with bands off, on and touchy, with
 * and without balances; each is snapshot at several points, among them while a guard halt runs and while
 * the underlying is closed, and the next {@value #FOLLOWING} commands go to the original and the restored
 * engine alike.
 */
class EngineSnapshotTest {
    private static final int COMMANDS = 3_000;
    private static final int FOLLOWING = 500;
    /** Where each run takes a snapshot, besides the first guard halt and the first closed market it meets. */
    private static final int[] SNAPSHOT_AT = {0, 40, 600, 1_300, 2_000};
    /**
     * Every so many commands, and so many before each snapshot, the books get a layer of resting orders,
     * with ids from here up.
     */
    private static final int LAYER_EVERY = 150;
    private static final int LAYER_LEAD = 30;
    private static final long LAYER_ORDER_IDS = 1_000_000_000L;

    /** A seed (which also chooses the bands, as in RandomCommandsTest) and the engine's configuration. */
    record Case(long seed, boolean enforceBalances, int maxOpenOrdersPerAccount) {
        @Override
        public String toString() {
            return "seed " + seed + (enforceBalances ? "" : ", unlimited balances") + ", at most "
                + maxOpenOrdersPerAccount + " open orders per account";
        }
    }

    /** What the snapshots of one case caught the engine in, so that a weaker generator shows up as a failure. */
    record Coverage(int snapshots, int haltsInProgress, int haltsEndedAfterRestore, int closedMarkets,
                    int restingOrders, int partiallyFilled, int withClientOrderId, int feePayingOrders,
                    int cancelAllsOfSeveral) {
        Coverage plus(Coverage o) {
            return new Coverage(snapshots + o.snapshots, haltsInProgress + o.haltsInProgress,
                haltsEndedAfterRestore + o.haltsEndedAfterRestore, closedMarkets + o.closedMarkets,
                restingOrders + o.restingOrders, partiallyFilled + o.partiallyFilled,
                withClientOrderId + o.withClientOrderId, feePayingOrders + o.feePayingOrders,
                cancelAllsOfSeveral + o.cancelAllsOfSeveral);
        }
    }

    private static final Map<Case, Coverage> RUNS = new ConcurrentHashMap<>();

    static Stream<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (long seed = 1; seed <= 9; seed++) {
            cases.add(new Case(seed, true, 5));
        }
        for (long seed = 10; seed <= 12; seed++) {
            cases.add(new Case(seed, true, 200));
        }
        cases.add(new Case(13, false, 200));
        cases.add(new Case(14, false, 5));
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aRestoredEngineAnswersEveryCommandAsTheOriginalDoes(Case c) {
        Coverage coverage = run(c);
        assertTrue(coverage.snapshots() >= SNAPSHOT_AT.length - 1, c + ": " + coverage);
    }

    @Test
    void theSnapshotsCaughtEveryKindOfState() {
        Coverage total = new Coverage(0, 0, 0, 0, 0, 0, 0, 0, 0);
        for (Case c : cases().toList()) {
            total = total.plus(run(c));
        }
        assertTrue(total.haltsInProgress() >= 8, "guard halts in progress: " + total);
        assertTrue(total.haltsEndedAfterRestore() >= 50, "guard halts ended by time after a restore: " + total);
        assertTrue(total.closedMarkets() >= 10, "closed markets: " + total);
        assertTrue(total.restingOrders() >= 300, "resting orders: " + total);
        assertTrue(total.partiallyFilled() >= 30, "partially filled resting orders: " + total);
        assertTrue(total.withClientOrderId() >= 150, "resting orders with client order ids: " + total);
        assertTrue(total.feePayingOrders() >= 200, "resting orders paying fees: " + total);
        assertTrue(total.cancelAllsOfSeveral() >= 25, "cancel-alls of several orders after a restore: " + total);
    }

    private static Coverage run(Case c) {
        return RUNS.computeIfAbsent(c, EngineSnapshotTest::simulate);
    }

    private static Coverage simulate(Case c) {
        EngineConfig config = config(c);
        Runner original = Runner.fresh(config);
        RandomCommandsTest.Generator generator = new RandomCommandsTest.Generator(c.seed(), original.engine);
        Coverage coverage = new Coverage(0, 0, 0, 0, 0, 0, 0, 0, 0);
        SplittableRandom layering = new SplittableRandom(-c.seed());
        long[] nextLayerId = {LAYER_ORDER_IDS};
        boolean haltCaught = false;
        boolean closedCaught = false;
        int nextFixed = 0;
        int step = 0;
        while (step < COMMANDS) {
            if (step > 0 && (step % LAYER_EVERY == 0
                || nextFixed < SNAPSHOT_AT.length && step == SNAPSHOT_AT[nextFixed] - LAYER_LEAD)) {
                for (RandomCommandsTest.Step layer : layer(original.engine, layering, original.nowNs, nextLayerId)) {
                    original.apply(layer, c + " layering before command #" + step);
                }
            }
            boolean fixed = nextFixed < SNAPSHOT_AT.length && step >= SNAPSHOT_AT[nextFixed];
            boolean halt = !haltCaught && haltInProgress(original.engine);
            boolean closed = !closedCaught && closed(original.engine) && original.engine.lastTradeId() > 0;
            if (fixed || halt || closed) {
                while (nextFixed < SNAPSHOT_AT.length && step >= SNAPSHOT_AT[nextFixed]) {
                    nextFixed++;
                }
                haltCaught |= halt;
                closedCaught |= closed;
                coverage = coverage.plus(snapshotAndFollow(c, config, original, generator, step));
                step += FOLLOWING;
            } else {
                original.apply(generator.next(), c + " command #" + step);
                step++;
            }
        }
        return coverage;
    }

    /** Snapshots the original, restores it, and applies the same next commands to both. */
    private static Coverage snapshotAndFollow(Case c, EngineConfig config, Runner original,
                                              RandomCommandsTest.Generator generator, int step) {
        String where = c + ", snapshot after command #" + step;
        MatchingEngine engine = original.engine;
        Coverage caught = describe(engine);
        byte[] snapshot = snapshot(engine);
        Runner restored = Runner.restored(config, snapshot);
        assertEquals(List.of(), restored.listener.events, where + ": restoring reports nothing");
        restored.engine.checkInvariants();
        assertEquals(engine.stateHash(), restored.engine.stateHash(), where + ": state hash after restore");
        assertArrayEquals(snapshot, snapshot(restored.engine), where + ": the restored engine's snapshot differs");

        int haltsEnded = 0;
        int cancelAllsOfSeveral = 0;
        for (int i = 0; i < FOLLOWING; i++) {
            RandomCommandsTest.Step next = generator.next();
            for (OrderBook book : restored.engine.books) {
                if (book.haltEndsNs != 0 && next.timestampNs() >= book.haltEndsNs) {
                    haltsEnded++;
                }
            }
            String at = where + ", command #" + (step + i) + " " + next;
            List<Event> expected = original.apply(next, at);
            List<Event> actual = restored.apply(next, at);
            assertEquals(expected, actual, at + ": events differ after restore");
            if (next.command() instanceof Command.CancelAll
                && expected.stream().filter(e -> e instanceof Event.Done).count() >= 2) {
                cancelAllsOfSeveral++;
            }
        }
        assertEquals(engine.stateHash(), restored.engine.stateHash(),
            where + ": state hash after the following " + FOLLOWING + " commands");
        assertArrayEquals(snapshot(engine), snapshot(restored.engine),
            where + ": snapshots after the following " + FOLLOWING + " commands");
        return new Coverage(1, caught.haltsInProgress(), haltsEnded, caught.closedMarkets(), caught.restingOrders(),
            caught.partiallyFilled(), caught.withClientOrderId(), caught.feePayingOrders(), cancelAllsOfSeveral);
    }

    /**
     * Resting orders away from the touch from every account, some with client order ids, so that the
     * books the snapshots see are deeper than the random commands alone leave them. Their ids are far from
     * the generator's, which therefore leaves them alone but for trading with them and cancelling all.
     */
    private static List<RandomCommandsTest.Step> layer(MatchingEngine engine, SplittableRandom random, long nowNs,
                                                       long[] nextOrderId) {
        List<RandomCommandsTest.Step> steps = new ArrayList<>();
        for (long account = 1; account <= 10; account++) {
            for (int instrument : new int[] {TSLAX, NVDAX}) {
                long reference = engine.referencePrice(instrument);
                long mid = reference > 0 ? reference : instrument == TSLAX ? 10_000 : 500;
                for (int i = random.nextInt(4); i > 0; i--) {
                    Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
                    long away = mid * (1 + random.nextInt(40)) / 1_000;
                    long price = side == Side.BUY ? mid - away : mid + away;
                    String clientOrderId = random.nextBoolean() ? null : "layer-" + nextOrderId[0];
                    steps.add(new RandomCommandsTest.Step(nowNs, new Command.PlaceOrder(account, nextOrderId[0]++,
                        clientOrderId, instrument, side, OrderType.LIMIT, TimeInForce.GTC, price,
                        1 + random.nextInt(10), 0)));
                }
            }
        }
        return steps;
    }

    /** What the engine holds now, for the coverage. */
    private static Coverage describe(MatchingEngine engine) {
        int halts = 0;
        int closed = 0;
        int[] orders = new int[4];
        for (OrderBook book : engine.books) {
            halts += book.haltEndsNs != 0 ? 1 : 0;
            closed += book.state == TradingState.CLOSED_UNDERLYING
                || book.stateAfterHalt == TradingState.CLOSED_UNDERLYING ? 1 : 0;
            for (Side side : Side.values()) {
                engine.forEachOrder(book.instrumentId, side, order -> {
                    orders[0]++;
                    orders[1] += order.filled() > 0 ? 1 : 0;
                    orders[2] += order.clientOrderId() != null ? 1 : 0;
                    orders[3] += ((Order) order).makerFeeBps > 0 ? 1 : 0;
                });
            }
        }
        return new Coverage(0, halts, 0, closed, orders[0], orders[1], orders[2], orders[3], 0);
    }

    private static boolean haltInProgress(MatchingEngine engine) {
        return Arrays.stream(engine.books).anyMatch(book -> book.haltEndsNs != 0);
    }

    private static boolean closed(MatchingEngine engine) {
        return Arrays.stream(engine.books).anyMatch(book -> book.state == TradingState.CLOSED_UNDERLYING);
    }

    /** The fixture's market with the case's bands, balances and order limit. */
    private static EngineConfig config(Case c) {
        BandSpec bands = RandomCommandsTest.bands(c.seed());
        EngineConfig base = (bands == null ? new EngineFixture()
            : new EngineFixture(bands, TradingState.OPEN, RandomCommandsTest.initialReference(c.seed()))).engine.config();
        return new EngineConfig(base.assets(), base.instruments(), base.feeAccountId(), c.enforceBalances(),
            c.maxOpenOrdersPerAccount(), base.initialOrderCapacity());
    }

    // ---------------------------------------------------------------------------------------------
    // Named situations

    @Test
    void anEmptyEngineRoundTrips() {
        EngineFixture f = new EngineFixture(BandSpec.defaults(), TradingState.CLOSED_UNDERLYING, 10_000);
        byte[] snapshot = snapshot(f.engine);
        MatchingEngine restored = restore(f.engine.config(), new RecordingListener(), snapshot);
        restored.checkInvariants();
        assertEquals(f.engine.stateHash(), restored.stateHash());
        assertArrayEquals(snapshot, snapshot(restored));
        assertEquals(0, restored.liveOrderCount());
        assertEquals(0, restored.lastTradeId());
        assertEquals(TradingState.CLOSED_UNDERLYING, restored.tradingState(TSLAX));
        assertEquals(10_000, restored.referencePrice(TSLAX));
        assertEquals(1, restored.accounts.size(), "only the fee account");
        assertSame(restored.feeAccount, restored.accounts.get(EngineConfig.DEFAULT_FEE_ACCOUNT_ID));
        assertEquals(Long.MAX_VALUE, restored.nextHaltEndNs);
    }

    @Test
    void theFeeAccountIsRestoredOnceAndGoesOnCollecting() {
        EngineFixture f = new EngineFixture();
        f.fundedAccount(1, 10, 20, StpMode.EXPIRE_TAKER);
        f.fundedAccount(2, 10, 20, StpMode.EXPIRE_TAKER);
        f.rest(1, Side.SELL, 10_000, 5);
        f.apply(gtc(2, f.nextOrderId(), Side.BUY, 10_000, 2));
        long fees = f.engine.available(0, USDT);
        assertEquals(20 + 40, fees);

        Runner restored = Runner.restored(f.engine.config(), snapshot(f.engine));
        assertEquals(3, restored.engine.accounts.size());
        assertSame(restored.engine.feeAccount, restored.engine.accounts.get(0));
        assertEquals(fees, restored.engine.available(0, USDT));
        assertEquals(List.of(new Event.Rejected("CreateAccount", RejectReason.REQUEST_ACCOUNT_EXISTS)),
            restored.apply(new RandomCommandsTest.Step(2_000_000_000L, new Command.CreateAccount(0, 0, 0)), ""));
        restored.apply(new RandomCommandsTest.Step(2_000_000_000L, gtc(2, 100, Side.BUY, 10_000, 3)), "");
        assertEquals(fees + 30 + 60, restored.engine.available(0, USDT));
    }

    /**
     * Cancel-all goes through an account's orders newest first (an amend that loses time priority keeps the
     * order's place in that list): the restored list must be in the same order, which neither the books nor
     * the order ids give.
     */
    @Test
    void cancelAllAfterARestoreGoesThroughTheOrdersInTheSameOrder() {
        EngineFixture f = new EngineFixture();
        f.fundedAccount(1);
        f.apply(gtc(1, 30, Side.SELL, 10_010, 1));
        f.apply(gtc(1, 10, Side.BUY, 9_990, 1));
        f.apply(limit(1, 40, NVDAX, Side.SELL, TimeInForce.GTC, 600, 1));
        f.apply(gtc(1, 20, Side.SELL, 10_005, 1));
        f.apply(gtc(1, 50, Side.SELL, 10_030, 1));
        f.apply(new Command.AmendOrder(1, 30, null, 10_020, 1));
        f.apply(new Command.CancelOrder(1, 50, null));
        Runner restored = Runner.restored(f.engine.config(), snapshot(f.engine));
        RandomCommandsTest.Step cancelAll = new RandomCommandsTest.Step(2_000_000_000L,
            new Command.CancelAll(1, Command.CancelAll.ALL_INSTRUMENTS));
        List<Event> events = new Runner(f.engine, f.listener).apply(cancelAll, "original");
        assertEquals(events, restored.apply(cancelAll, "restored"));
        List<Long> done = events.stream()
            .filter(e -> e instanceof Event.Done).map(e -> ((Event.Done) e).orderId()).toList();
        assertEquals(List.of(20L, 40L, 10L, 30L), done);
    }

    /** A guard halt while the underlying is closed ends at the same command, back to closed, after a restore. */
    @Test
    void aGuardHaltInProgressEndsOnTimeAfterARestore() {
        long periodNs = 60_000_000_000L;
        long haltNs = 120_000_000_000L;
        BandSpec bands = new BandSpec(1_000, 500, 500, 250, 500, periodNs, 300, 60_000_000_000L, haltNs);
        EngineFixture f = new EngineFixture(bands, TradingState.CLOSED_UNDERLYING, 10_000);
        f.fundedAccount(1);
        f.fundedAccount(2);
        f.advanceNs(periodNs);
        f.rest(1, Side.SELL, 9_800, 1);
        long high = f.rest(1, Side.SELL, 10_200, 1);
        f.apply(limit(2, f.nextOrderId(), TSLAX, Side.BUY, TimeInForce.IOC, 9_800, 1));
        f.apply(gtc(2, f.nextOrderId(), Side.BUY, 10_200, 1));
        assertEquals(TradingState.HALTED, f.engine.tradingState(TSLAX));
        OrderBook halted = f.engine.books[TSLAX];
        assertEquals(TradingState.CLOSED_UNDERLYING, halted.stateAfterHalt);
        assertEquals(9_990, halted.referencePrice);

        Runner restored = Runner.restored(f.engine.config(), snapshot(f.engine));
        Runner original = new Runner(f.engine, f.listener);
        assertEquals(halted.haltEndsNs, restored.engine.nextHaltEndNs);
        assertEquals(halted.entryLow, restored.engine.books[TSLAX].entryLow, "closed bands while halted");
        long endNs = halted.haltEndsNs;
        for (long t : new long[] {endNs - 1, endNs, endNs + 1}) {
            RandomCommandsTest.Step step = new RandomCommandsTest.Step(t, new Command.Deposit(2, USDT, 1));
            assertEquals(original.apply(step, "deposit at " + t), restored.apply(step, "deposit at " + t));
        }
        assertEquals(TradingState.CLOSED_UNDERLYING, restored.engine.tradingState(TSLAX));
        RandomCommandsTest.Step buy = new RandomCommandsTest.Step(endNs + 2, gtc(2, 500, Side.BUY, 10_200, 1));
        List<Event> events = original.apply(buy, "buy");
        assertEquals(events, restored.apply(buy, "buy"));
        assertTrue(events.contains(new Event.Done(high, DoneReason.FILLED, 1, 0)), events.toString());
        assertEquals(original.engine.stateHash(), restored.engine.stateHash());
    }

    // ---------------------------------------------------------------------------------------------
    // Refusals

    @Test
    void aSnapshotIsRefusedUnderAnotherAssetOrInstrumentConfiguration() {
        EngineFixture f = new EngineFixture(BandSpec.defaults(), TradingState.OPEN, 10_000);
        f.fundedAccount(1);
        f.rest(1, Side.SELL, 10_100, 3);
        EngineConfig config = f.engine.config();
        byte[] snapshot = snapshot(f.engine);
        List<AssetSpec> assets = config.assets();
        List<InstrumentSpec> instruments = config.instruments();
        InstrumentSpec tsla = instruments.get(TSLAX);
        InstrumentSpec nvda = instruments.get(NVDAX);

        assertRefused(snapshot, withAssets(config, List.of(new AssetSpec("USDC", 2), assets.get(1), assets.get(2))),
            "asset 0 USDT with 2 decimals where this configuration has asset 0 USDC with 2 decimals");
        assertRefused(snapshot, withAssets(config, List.of(new AssetSpec("USDT", 6), assets.get(1), assets.get(2))),
            "asset 0 USDT with 2 decimals where this configuration has asset 0 USDT with 6 decimals");
        assertRefused(snapshot, withAssets(config, List.of(assets.get(0), assets.get(1), assets.get(2),
            new AssetSpec("AAPLx", 0))), "3 assets where this configuration has 4 assets");
        assertRefused(snapshot, withInstruments(config, List.of(nvda, tsla)),
            "instrument 0 TSLAx/USDT (base asset 1, quote asset 0, tick size 1, lot size 1) where this configuration"
                + " has instrument 0 NVDAx/USDT (base asset 2");
        assertRefused(snapshot, withInstruments(config, List.of(tsla)), "2 instruments where this configuration has 1");
        assertRefused(snapshot, withInstruments(config, List.of(tsla, sized(nvda, 10, 1))),
            "tick size 1, lot size 1) where this configuration has instrument 1 NVDAx/USDT (base asset 2, quote asset 0,"
                + " tick size 10, lot size 1)");
        assertRefused(snapshot, withInstruments(config, List.of(sized(tsla, 1, 2), nvda)), "tick size 1, lot size 2)");
        assertRefused(snapshot, new EngineConfig(assets, instruments, 99, true, 5, 16),
            "fee account 0 where this configuration has fee account 99");
        assertRefused(snapshot, new EngineConfig(assets, instruments, 0, false, 5, 16),
            "enforceBalances true where this configuration has enforceBalances false");

        // Limits, bands and capacities are not part of the identity: an operator may change them.
        InstrumentSpec retuned = new InstrumentSpec(tsla.symbol(), tsla.baseAsset(), tsla.quoteAsset(), tsla.tickSize(),
            tsla.lotSize(), 2, 500, 0, 50_000, null, TradingState.CANCEL_ONLY, 0);
        MatchingEngine restored = restore(new EngineConfig(assets, List.of(retuned, nvda), 0, true, 1_000, 1_024),
            new RecordingListener(), snapshot);
        assertEquals(1, restored.liveOrderCount());
        assertEquals(TradingState.OPEN, restored.tradingState(TSLAX), "the state is the snapshot's, not the initial one");
    }

    private static EngineConfig withAssets(EngineConfig config, List<AssetSpec> assets) {
        return new EngineConfig(assets, config.instruments(), config.feeAccountId(), config.enforceBalances(),
            config.maxOpenOrdersPerAccount(), config.initialOrderCapacity());
    }

    private static EngineConfig withInstruments(EngineConfig config, List<InstrumentSpec> instruments) {
        return new EngineConfig(config.assets(), instruments, config.feeAccountId(), config.enforceBalances(),
            config.maxOpenOrdersPerAccount(), config.initialOrderCapacity());
    }

    private static InstrumentSpec sized(InstrumentSpec s, long tickSize, long lotSize) {
        return new InstrumentSpec(s.symbol(), s.baseAsset(), s.quoteAsset(), tickSize, lotSize, s.minQuantity(),
            s.maxQuantity(), s.minNotional(), s.maxPrice(), s.bands(), s.initialState(), s.initialReferencePrice());
    }

    private static void assertRefused(byte[] snapshot, EngineConfig config, String difference) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> restore(config, new RecordingListener(), snapshot));
        assertTrue(e.getMessage().startsWith("snapshot was taken with another configuration")
            && e.getMessage().contains(difference), e.getMessage());
    }

    @Test
    void everyTruncatedSnapshotIsRefused() {
        Case c = new Case(10, true, 200);
        EngineConfig config = config(c);
        Runner runner = Runner.fresh(config);
        RandomCommandsTest.Generator generator = new RandomCommandsTest.Generator(c.seed(), runner.engine);
        for (int i = 0; i < 200; i++) {
            runner.apply(generator.next(), "#" + i);
        }
        for (RandomCommandsTest.Step layer : layer(runner.engine, new SplittableRandom(1), runner.nowNs,
            new long[] {LAYER_ORDER_IDS})) {
            runner.apply(layer, "layering");
        }
        assertTrue(runner.engine.liveOrderCount() > 10, "orders resting: " + runner.engine.liveOrderCount());
        byte[] snapshot = snapshot(runner.engine);
        for (int length = 0; length < snapshot.length; length++) {
            byte[] truncated = Arrays.copyOf(snapshot, length);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> restore(config, new RecordingListener(), truncated), length + " bytes");
            assertTrue(e.getMessage().startsWith("snapshot truncated: it ends inside "), e.getMessage());
        }
    }

    @Test
    void aCorruptSnapshotIsRefused() {
        EngineFixture f = new EngineFixture();
        EngineConfig config = f.engine.config();
        byte[] snapshot = snapshot(f.engine);
        int totalsAt = 4 + 2 + identityLength(config);
        int firstBookAt = totalsAt + 8 + 8 + 8 * 3 + 4 + 8 + 4 + 4 + 1 + 16 * 3;

        assertCorrupt(snapshot, 0, 0x12, "snapshot does not start with the snapshot magic");
        assertCorrupt(snapshot, 5, 3, "snapshot has format version 3, this engine reads 1 and 2");
        assertCorrupt(snapshot, firstBookAt, 9, "snapshot has an unknown trading state code 9 (in book TSLAx/USDT)");
        assertCorrupt(snapshot, snapshot.length - 1, 0, "snapshot does not end with the snapshot trailer");
        assertCorrupt(snapshot, totalsAt + 8 + 8 + 7, 1,
            "snapshot is inconsistent: asset 0 balances add up to 0, deposits less withdrawals 1");
    }

    /** Version 1 had no last transfer reference; it is read as 0, so the first transfer of any reference above 0 goes. */
    @Test
    void aVersionOneSnapshotIsReadWithoutATransferReference() {
        EngineFixture f = new EngineFixture();
        EngineConfig config = f.engine.config();
        byte[] v2 = snapshot(f.engine);
        int referenceAt = 4 + 2 + identityLength(config) + 8;
        byte[] v1 = new byte[v2.length - 8];
        System.arraycopy(v2, 0, v1, 0, referenceAt);
        System.arraycopy(v2, referenceAt + 8, v1, referenceAt, v2.length - referenceAt - 8);
        v1[5] = 1;
        MatchingEngine restored = restore(config, new RecordingListener(), v1);
        assertEquals(f.engine.stateHash(), restored.stateHash());
    }

    private static void assertCorrupt(byte[] snapshot, int at, int value, String message) {
        byte[] corrupt = snapshot.clone();
        corrupt[at] = (byte) value;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> restore(new EngineFixture().engine.config(), new RecordingListener(), corrupt));
        assertTrue(e.getMessage().startsWith(message), e.getMessage());
    }

    /** Bytes of the configuration's identity, as EngineSnapshot writes it. */
    private static int identityLength(EngineConfig config) {
        int length = 1 + 8 + 4 + 4;
        for (AssetSpec asset : config.assets()) {
            length += 2 + asset.symbol().length() + 4;
        }
        for (InstrumentSpec instrument : config.instruments()) {
            length += 2 + instrument.symbol().length() + 4 + 4 + 8 + 8;
        }
        return length;
    }

    // ---------------------------------------------------------------------------------------------

    static byte[] snapshot(MatchingEngine engine) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            engine.writeSnapshot(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static MatchingEngine restore(EngineConfig config, EngineListener listener, byte[] snapshot) {
        try {
            return MatchingEngine.readSnapshot(config, listener, new DataInputStream(new ByteArrayInputStream(snapshot)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An engine with its recording listener and its own sequence, checking its invariants after every command. */
    static final class Runner {
        final MatchingEngine engine;
        final RecordingListener listener;
        private long sequence;
        /** The time of the last command applied. */
        long nowNs;

        Runner(MatchingEngine engine, RecordingListener listener) {
            this.engine = engine;
            this.listener = listener;
        }

        static Runner fresh(EngineConfig config) {
            RecordingListener listener = new RecordingListener();
            return new Runner(new MatchingEngine(config, listener), listener);
        }

        static Runner restored(EngineConfig config, byte[] snapshot) {
            RecordingListener listener = new RecordingListener();
            return new Runner(restore(config, listener, snapshot), listener);
        }

        /** Applies a step and returns the events it caused. */
        List<Event> apply(RandomCommandsTest.Step step, String where) {
            listener.events.clear();
            engine.apply(++sequence, step.timestampNs(), step.command());
            nowNs = step.timestampNs();
            try {
                engine.checkInvariants();
            } catch (IllegalStateException e) {
                throw new AssertionError(where + ": invariant broken: " + e.getMessage(), e);
            }
            return List.copyOf(listener.events);
        }
    }
}
