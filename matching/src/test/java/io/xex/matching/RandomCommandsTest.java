package io.xex.matching;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.LongStream;

import static io.xex.matching.EngineFixture.MAX_PRICE;
import static io.xex.matching.EngineFixture.MAX_QUANTITY;
import static io.xex.matching.EngineFixture.NVDA;
import static io.xex.matching.EngineFixture.NVDAX;
import static io.xex.matching.EngineFixture.TSLA;
import static io.xex.matching.EngineFixture.TSLAX;
import static io.xex.matching.EngineFixture.USDT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Seeded random command sequences over the {@link EngineFixture} market. Every command is followed by the
 * engine's own invariant check and by checks made from the events alone against a shadow book rebuilt
 * from them: trades at the maker's price, never through the taker's limit, in price-time priority, with
 * the right fees and gap-free ids; no event for an order after its Done; every accepted order done or
 * live; the shadow book, balances and trading states equal to what the engine reports. Then the same
 * commands must give the same events and state hash on a second engine and after {@link MatchingEngine#reset()}.
 *
 * <p>A failure names the seed and the index of the command; {@code scenario(seed)} regenerates the list.
 */
class RandomCommandsTest {
    private static final int SEEDS = 20;
    private static final int COMMANDS = 3_000;
    private static final int ACCOUNTS = 10;
    private static final long REQUEST_UNKNOWN_ACCOUNT = 99;
    private static final long FEE_ACCOUNT = 0;
    private static final long START_NS = 1_000_000_000L;
    private static final int ASSETS = 3;

    /** A command with the timestamp it is applied at. */
    record Step(long timestampNs, Command command) {
    }

    /** One seed's commands and the events each one gave on the engine they were generated against. */
    record Scenario(long seed, List<Step> steps, List<List<Event>> events, long stateHash, Coverage coverage) {
    }

    /** What a scenario exercised, so that a weakened generator shows up as a failure. */
    record Coverage(Set<DoneReason> doneReasons, Set<RejectReason> rejectReasons, int trades, int rested,
                    int amendsLosingPriority, int amendsKeepingPriority, int reductions, int statusChanges) {
    }

    private static final Map<Long, Scenario> SCENARIOS = new ConcurrentHashMap<>();

    static LongStream seeds() {
        return LongStream.rangeClosed(1, SEEDS);
    }

    /** No bands for a third of the seeds, the default bands for a third, and a touchy guard for the rest. */
    static BandSpec bands(long seed) {
        return switch ((int) (seed % 3)) {
            case 0 -> null;
            case 1 -> BandSpec.defaults();
            default -> new BandSpec(1_000, 500, 500, 250, 2_000, 20_000_000_000L, 150, 60_000_000_000L, 30_000_000_000L);
        };
    }

    /** The touchy-guard seeds start without a reference price, so TSLAx refuses orders until the first one. */
    static long initialReference(long seed) {
        return seed % 3 == 2 ? 0 : 10_000;
    }

    static Scenario scenario(long seed) {
        return SCENARIOS.computeIfAbsent(seed, RandomCommandsTest::generate);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyCommandKeepsTheInvariantsAndTheEventsAddUp(long seed) {
        Scenario scenario = scenario(seed);
        assertEquals(COMMANDS, scenario.steps().size());
        assertTrue(scenario.coverage().trades() > 100, "seed " + seed + " trades: " + scenario.coverage());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void theSameCommandsOnASecondEngineGiveTheSameEventsAndStateHash(long seed) {
        Scenario scenario = scenario(seed);
        Driver second = new Driver(seed);
        replay(scenario, second, "a second engine");
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void resetLeavesNoTrace(long seed) {
        Scenario scenario = scenario(seed);
        Driver driver = new Driver(seed);
        // Leave plenty behind: resting orders, balances, trading states, a moved reference, maybe a guard halt.
        Generator noise = new Generator(seed + 1_000_003, driver.engine);
        for (int i = 0; i < COMMANDS / 2; i++) {
            driver.apply(noise.next(), "seed " + seed + " noise #" + i);
        }
        assertTrue(driver.engine.lastTradeId() > 0, "the noise traded");
        driver.engine.reset();
        driver.engine.checkInvariants();
        assertEquals(new Driver(seed).engine.stateHash(), driver.engine.stateHash(),
            "seed " + seed + ": state hash right after reset differs from a fresh engine's");
        assertEquals(0, driver.engine.liveOrderCount());
        assertEquals(0, driver.engine.lastTradeId());
        replay(scenario, driver, "an engine after reset");
    }

    @Test
    void differentSeedsEndInDifferentStates() {
        Map<Long, Long> seedByHash = new HashMap<>();
        seeds().forEach(seed -> {
            Long clash = seedByHash.put(scenario(seed).stateHash(), seed);
            if (clash != null) {
                fail("seeds " + clash + " and " + seed + " end with the same state hash");
            }
        });
    }

    @Test
    void theScenariosExerciseEveryOutcome() {
        Set<DoneReason> done = EnumSet.noneOf(DoneReason.class);
        Set<RejectReason> rejects = EnumSet.noneOf(RejectReason.class);
        int lostPriority = 0;
        int keptPriority = 0;
        int reductions = 0;
        for (long seed = 1; seed <= SEEDS; seed++) {
            Coverage coverage = scenario(seed).coverage();
            done.addAll(coverage.doneReasons());
            rejects.addAll(coverage.rejectReasons());
            lostPriority += coverage.amendsLosingPriority();
            keptPriority += coverage.amendsKeepingPriority();
            reductions += coverage.reductions();
        }
        // Corporate actions and transfers are not generated here; CorporateActionTest and TransferTest cover them.
        assertEquals(EnumSet.complementOf(EnumSet.of(DoneReason.CORPORATE_ACTION)), done, "done reasons seen");
        // The fixture's minimum quantity is one lot, below which REQUEST_INVALID_QUANTITY comes first; deposits stay small.
        Set<RejectReason> unreachable = EnumSet.of(RejectReason.REQUEST_QUANTITY_BELOW_MIN, RejectReason.RISK_BALANCE_OVERFLOW,
            RejectReason.REQUEST_INVALID_RATIO, RejectReason.REQUEST_NOT_A_BASE_ASSET,
            RejectReason.REQUEST_DUPLICATE_TRANSFER, RejectReason.REQUEST_INVALID_TRANSFER);
        Set<RejectReason> expected = EnumSet.complementOf(EnumSet.copyOf(unreachable));
        assertEquals(expected, rejects, "reject reasons seen");
        assertTrue(lostPriority > 100 && keptPriority > 100 && reductions > 100,
            "amends losing priority " + lostPriority + ", keeping it " + keptPriority + ", reductions " + reductions);
    }

    private static void replay(Scenario scenario, Driver driver, String what) {
        List<Step> steps = scenario.steps();
        for (int i = 0; i < steps.size(); i++) {
            String where = "seed " + scenario.seed() + " command #" + i + " " + steps.get(i).command();
            List<Event> events = driver.apply(steps.get(i), where);
            assertEquals(scenario.events().get(i), events, where + ": events on " + what + " differ");
        }
        assertEquals(scenario.stateHash(), driver.engine.stateHash(),
            "seed " + scenario.seed() + ": final state hash on " + what + " differs");
    }

    private static Scenario generate(long seed) {
        Driver driver = new Driver(seed);
        Generator generator = new Generator(seed, driver.engine);
        EventChecker checker = new EventChecker(generator, driver.engine);
        List<Step> steps = new ArrayList<>(COMMANDS);
        List<List<Event>> events = new ArrayList<>(COMMANDS);
        for (int i = 0; i < COMMANDS; i++) {
            Step step = generator.next();
            steps.add(step);
            try {
                long hashBefore = driver.engine.stateHash();
                List<Event> caused = driver.apply(step, "");
                checker.check(step.command(), caused, hashBefore, driver.engine.stateHash());
                events.add(caused);
            } catch (AssertionError | RuntimeException e) {
                StringBuilder message = new StringBuilder("seed " + seed + " (bands " + bands(seed) + "), command #" + i
                    + " at " + step.timestampNs() + "ns " + step.command() + ": " + e.getMessage()
                    + "\n  the commands before it:");
                for (int j = Math.max(0, i - 15); j < i; j++) {
                    message.append("\n  #").append(j).append(' ').append(steps.get(j));
                }
                throw new AssertionError(message.toString(), e);
            }
        }
        checker.checkEveryAcceptedOrderIsDoneOrLive();
        return new Scenario(seed, List.copyOf(steps), List.copyOf(events), driver.engine.stateHash(),
            checker.coverage());
    }

    // ---------------------------------------------------------------------------------------------

    /** An engine over the fixture's market, applying steps with their own timestamps. */
    static final class Driver {
        final MatchingEngine engine;
        private final RecordingListener listener;
        private long sequence;

        Driver(long seed) {
            BandSpec bands = bands(seed);
            EngineFixture fixture = bands == null ? new EngineFixture()
                : new EngineFixture(bands, TradingState.OPEN, initialReference(seed));
            engine = fixture.engine;
            listener = fixture.listener;
        }

        /** Applies a step, checks the engine's invariants, and returns the events it caused. */
        List<Event> apply(Step step, String where) {
            listener.events.clear();
            engine.apply(++sequence, step.timestampNs(), step.command());
            try {
                engine.checkInvariants();
            } catch (IllegalStateException e) {
                throw new AssertionError(where + ": invariant broken: " + e.getMessage(), e);
            }
            return List.copyOf(listener.events);
        }
    }

    // ---------------------------------------------------------------------------------------------

    /**
     * Makes commands from a seed, looking at the engine it drives to find live orders, so that cancels,
     * reductions and amends mostly hit something. Order ids are never reused once an order is done,
     * except on purpose as duplicates of live ones, which must be rejected.
     */
    static final class Generator {
        private static final List<String> CLIENT_IDS = List.of("a", "b", "c", "Aa", "BB", "order-1", "x".repeat(36));
        private static final long[] DEFAULT_MID = {10_000, 500};

        final int[] makerFeeBps = new int[ACCOUNTS + 1];
        final int[] takerFeeBps = new int[ACCOUNTS + 1];
        final StpMode[] stpModes = new StpMode[ACCOUNTS + 1];
        private final SplittableRandom random;
        private final MatchingEngine engine;
        private final Deque<Command> setup = new ArrayDeque<>();
        private final List<Long> maybeLive = new ArrayList<>();
        private final List<Long> placed = new ArrayList<>();
        private final int[] reopenAtStep = {-1, -1};
        private long nowNs = START_NS;
        private long nextOrderId = 1;
        private int step;

        Generator(long seed, MatchingEngine engine) {
            this.random = new SplittableRandom(seed);
            this.engine = engine;
            stpModes[0] = StpMode.NONE;
            for (int account = 1; account <= ACCOUNTS; account++) {
                makerFeeBps[account] = account == 1 ? 0 : account == 2 ? 50 : random.nextInt(51);
                takerFeeBps[account] = account == 1 ? 0 : account == 2 ? 50 : random.nextInt(51);
                stpModes[account] = StpMode.values()[(account - 1) % StpMode.values().length];
                setup.add(new Command.CreateAccount(account, makerFeeBps[account], takerFeeBps[account],
                    stpModes[account]));
                setup.add(new Command.Deposit(account, USDT, 50_000_000));
                setup.add(new Command.Deposit(account, TSLA, 500));
                setup.add(new Command.Deposit(account, NVDA, 500));
            }
        }

        Step next() {
            int r = random.nextInt(100);
            nowNs += r < 70 ? random.nextLong(1_000_000) : r < 97 ? random.nextLong(3_000_000_000L)
                : 30_000_000_000L + random.nextLong(170_000_000_000L);
            Command command = setup.isEmpty() ? command() : setup.poll();
            step++;
            return new Step(nowNs, command);
        }

        private Command command() {
            for (int instrument = 0; instrument < 2; instrument++) {
                if (reopenAtStep[instrument] >= 0 && step >= reopenAtStep[instrument]) {
                    reopenAtStep[instrument] = -1;
                    return new Command.SetTradingState(instrument, TradingState.OPEN);
                }
            }
            int r = random.nextInt(1_000);
            if (r < 500) {
                return place();
            } else if (r < 600) {
                return cancel();
            } else if (r < 660) {
                return reduce();
            } else if (r < 770) {
                return amend();
            } else if (r < 800) {
                long account = random.nextInt(50) == 0 ? REQUEST_UNKNOWN_ACCOUNT : account();
                int which = random.nextInt(20);
                int instrument = which < 8 ? TSLAX : which < 15 ? NVDAX : which < 19 ? Command.CancelAll.ALL_INSTRUMENTS : 7;
                return new Command.CancelAll(account, instrument);
            } else if (r < 860) {
                return deposit();
            } else if (r < 900) {
                return withdraw();
            } else if (r < 912) {
                return setTradingState();
            } else if (r < 945) {
                return setReferencePrice();
            } else if (r < 955) {
                return random.nextBoolean()
                    ? new Command.CreateAccount(1 + random.nextInt(ACCOUNTS), 0, 0, StpMode.NONE)
                    : new Command.CreateAccount(77, random.nextBoolean() ? -1 : MatchingEngine.MAX_FEE_BPS + 1, 0,
                        StpMode.EXPIRE_TAKER);
            }
            return place();
        }

        private long account() {
            int r = random.nextInt(100);
            return r < 97 ? 1 + random.nextInt(ACCOUNTS) : r < 99 ? FEE_ACCOUNT : REQUEST_UNKNOWN_ACCOUNT;
        }

        private int instrument() {
            int r = random.nextInt(100);
            return r < 68 ? TSLAX : r < 99 ? NVDAX : r == 99 && random.nextBoolean() ? -1 : 2;
        }

        private long mid(int instrument) {
            if (instrument != TSLAX && instrument != NVDAX) {
                return DEFAULT_MID[0];
            }
            long reference = engine.referencePrice(instrument);
            return reference > 0 ? reference : DEFAULT_MID[instrument];
        }

        private long price(long mid) {
            int r = random.nextInt(100);
            if (r < 88) {
                long spread = Math.max(2, mid * 4 / 100);
                return mid + random.nextLong(-spread, spread + 1);
            } else if (r < 97) {
                long spread = mid * 15 / 100;
                return Math.max(1, mid + random.nextLong(-spread, spread + 1));
            }
            return switch (random.nextInt(4)) {
                case 0 -> 0;
                case 1 -> -5;
                case 2 -> MAX_PRICE + 1;
                default -> 1 + random.nextInt(49);
            };
        }

        private long quantity() {
            int r = random.nextInt(100);
            if (r < 80) {
                return 1 + random.nextInt(20);
            } else if (r < 96) {
                return 21 + random.nextInt(180);
            }
            return switch (random.nextInt(3)) {
                case 0 -> 0;
                case 1 -> -3;
                default -> MAX_QUANTITY + 1;
            };
        }

        private String clientOrderId() {
            int r = random.nextInt(100);
            if (r < 45) {
                return null;
            } else if (r < 96) {
                return CLIENT_IDS.get(random.nextInt(CLIENT_IDS.size()));
            }
            return r < 98 ? "" : "y".repeat(MatchingEngine.MAX_CLIENT_ORDER_ID_LENGTH + 1);
        }

        private Command place() {
            long account = account();
            int instrument = instrument();
            Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
            long mid = mid(instrument);
            long price = price(mid);
            long quantity = quantity();
            String clientOrderId = clientOrderId();
            long orderId;
            OrderView live = random.nextInt(100) < 3 ? pickLive() : null;
            if (live != null) {
                orderId = live.orderId();
            } else {
                orderId = nextOrderId++;
                placed.add(orderId);
                maybeLive.add(orderId);
            }
            int kind = random.nextInt(100);
            if (kind < 40) {
                return order(account, orderId, clientOrderId, instrument, side, OrderType.LIMIT, TimeInForce.GTC, price,
                    quantity, 0);
            } else if (kind < 52) {
                return order(account, orderId, clientOrderId, instrument, side, OrderType.LIMIT, TimeInForce.IOC, price,
                    quantity, 0);
            } else if (kind < 62) {
                return order(account, orderId, clientOrderId, instrument, side, OrderType.LIMIT, TimeInForce.FOK, price,
                    quantity, 0);
            } else if (kind < 74) {
                return order(account, orderId, clientOrderId, instrument, side, OrderType.LIMIT, TimeInForce.POST_ONLY,
                    price, quantity, 0);
            } else if (kind < 86) {
                return order(account, orderId, clientOrderId, instrument, side, OrderType.MARKET, TimeInForce.IOC, 0,
                    quantity, 0);
            } else if (kind < 95) {
                int r = random.nextInt(100);
                long budget = r < 90 ? mid * (1 + random.nextInt(20)) + random.nextLong(mid)
                    : r < 95 ? 1 + random.nextInt(49) : 10_000_000_000L;
                return order(account, orderId, clientOrderId, instrument, Side.BUY, OrderType.MARKET, TimeInForce.IOC, 0,
                    0, budget);
            }
            // Malformed on purpose: each must be rejected.
            return switch (random.nextInt(6)) {
                case 0 -> order(account, orderId, clientOrderId, instrument, side, OrderType.MARKET, TimeInForce.GTC, 0,
                    quantity, 0);
                case 1 -> order(account, orderId, clientOrderId, instrument, side, OrderType.MARKET, TimeInForce.FOK, 0,
                    quantity, 0);
                case 2 -> order(account, orderId, clientOrderId, instrument, side, OrderType.LIMIT, TimeInForce.GTC, price,
                    quantity, 1_000);
                case 3 -> order(account, orderId, clientOrderId, instrument, Side.SELL, OrderType.MARKET, TimeInForce.IOC,
                    0, 0, 10 * mid);
                case 4 -> order(account, orderId, clientOrderId, instrument, Side.BUY, OrderType.MARKET, TimeInForce.IOC,
                    0, 5, 10 * mid);
                default -> order(account, orderId, clientOrderId, instrument, Side.BUY, OrderType.MARKET, TimeInForce.IOC,
                    0, 0, -mid);
            };
        }

        private static Command.PlaceOrder order(long account, long orderId, String clientOrderId, int instrument,
                                                Side side, OrderType type, TimeInForce timeInForce, long price,
                                                long quantity, long budget) {
            return new Command.PlaceOrder(account, orderId, clientOrderId, instrument, side, type, timeInForce, price,
                quantity, budget);
        }

        /** A random live order, or {@code null} if none is live; forgets orders that are done. */
        private OrderView pickLive() {
            List<OrderView> live = new ArrayList<>();
            for (Iterator<Long> it = maybeLive.iterator(); it.hasNext(); ) {
                OrderView order = engine.order(it.next());
                if (order == null) {
                    it.remove();
                } else {
                    live.add(order);
                }
            }
            return live.isEmpty() ? null : live.get(random.nextInt(live.size()));
        }

        private long anyPlacedId() {
            return placed.isEmpty() ? 1 : placed.get(random.nextInt(placed.size()));
        }

        private long otherAccount(long account) {
            return account % ACCOUNTS + 1;
        }

        private Command cancel() {
            OrderView live = pickLive();
            int r = random.nextInt(100);
            if (live != null && r < 60) {
                return new Command.CancelOrder(live.accountId(), live.orderId(), null);
            } else if (live != null && r < 75) {
                return live.clientOrderId() != null
                    ? new Command.CancelOrder(live.accountId(), 0, live.clientOrderId())
                    : new Command.CancelOrder(live.accountId(), live.orderId(), null);
            } else if (live != null && r < 82) {
                return random.nextBoolean() || live.clientOrderId() == null
                    ? new Command.CancelOrder(otherAccount(live.accountId()), live.orderId(), null)
                    : new Command.CancelOrder(otherAccount(live.accountId()), 0, live.clientOrderId());
            } else if (r < 90) {
                return new Command.CancelOrder(account(), anyPlacedId(), null);
            } else if (r < 96) {
                return new Command.CancelOrder(account(), 0, random.nextBoolean() ? "zzz" : clientOrderId());
            }
            return new Command.CancelOrder(account(), random.nextBoolean() ? 0 : nextOrderId + 1_000, null);
        }

        private Command reduce() {
            OrderView live = pickLive();
            if (live == null || random.nextInt(100) < 8) {
                return new Command.ReduceOrder(account(), anyPlacedId(), 1 + random.nextInt(5));
            }
            int r = random.nextInt(100);
            long quantity = r < 8 ? -random.nextInt(2) : 1 + random.nextLong(live.remaining() + 2);
            long account = r == 99 ? otherAccount(live.accountId()) : live.accountId();
            return new Command.ReduceOrder(account, live.orderId(), quantity);
        }

        private Command amend() {
            OrderView live = pickLive();
            if (live == null || random.nextInt(100) < 5) {
                return new Command.AmendOrder(account(), anyPlacedId(), null, 10_000, 5);
            }
            long price = live.price();
            int r = random.nextInt(100);
            long newPrice = r < 45 ? price : r < 95 ? Math.max(1, price + random.nextLong(-price / 40, price / 40 + 1))
                : Math.max(1, price + random.nextLong(-price / 6, price / 6 + 1));
            long quantity = live.quantity();
            long filled = live.filled();
            r = random.nextInt(100);
            long newQuantity;
            if (r < 30) {
                newQuantity = quantity > 1 ? 1 + random.nextLong(quantity - 1) : quantity;
            } else if (r < 55) {
                newQuantity = quantity + 1 + random.nextInt(20);
            } else if (r < 70) {
                newQuantity = quantity;
            } else if (r < 80) {
                newQuantity = Math.max(1, filled - random.nextInt(2));
            } else if (r < 85) {
                newQuantity = -random.nextInt(2);
            } else {
                newQuantity = 1 + random.nextInt(30);
            }
            boolean byClientId = live.clientOrderId() != null && random.nextInt(100) < 30;
            long account = random.nextInt(100) == 0 ? otherAccount(live.accountId()) : live.accountId();
            return byClientId
                ? new Command.AmendOrder(account, 0, live.clientOrderId(), newPrice, newQuantity)
                : new Command.AmendOrder(account, live.orderId(), null, newPrice, newQuantity);
        }

        private int asset() {
            int r = random.nextInt(100);
            return r < 50 ? USDT : r < 74 ? TSLA : r < 98 ? NVDA : r == 98 ? ASSETS : -1;
        }

        private Command deposit() {
            long account = account();
            int asset = asset();
            int r = random.nextInt(100);
            long amount = r < 3 ? -random.nextInt(2) : asset == USDT ? 1 + random.nextLong(5_000_000)
                : 1 + random.nextInt(200);
            return new Command.Deposit(account, asset, amount);
        }

        private Command withdraw() {
            long account = account();
            int asset = asset();
            long available = engine.hasAccount(account) && asset >= 0 && asset < ASSETS
                ? engine.available(account, asset) : 0;
            int r = random.nextInt(100);
            long amount;
            if (r < 70 && available > 0) {
                amount = 1 + random.nextLong(Math.max(1, available / 4));
            } else if (r < 75 && available > 0) {
                amount = available;
            } else if (r < 95) {
                amount = available + 1 + random.nextInt(1_000);
            } else {
                amount = -random.nextInt(2);
            }
            return new Command.Withdraw(account, asset, amount);
        }

        private Command setTradingState() {
            int instrument = random.nextInt(40) == 0 ? 5 : random.nextInt(10) < 7 ? TSLAX : NVDAX;
            int r = random.nextInt(100);
            TradingState state = r < 10 ? TradingState.OPEN : r < 55 ? TradingState.CLOSED_UNDERLYING
                : r < 78 ? TradingState.HALTED : TradingState.CANCEL_ONLY;
            if (instrument < 2 && state != TradingState.OPEN) {
                reopenAtStep[instrument] = step + (state == TradingState.CLOSED_UNDERLYING
                    ? 20 + random.nextInt(150) : 5 + random.nextInt(25));
            }
            return new Command.SetTradingState(instrument, state);
        }

        private Command setReferencePrice() {
            int instrument = random.nextInt(40) == 0 ? 9 : random.nextInt(10) < 7 ? TSLAX : NVDAX;
            int r = random.nextInt(100);
            if (r < 3) {
                return new Command.SetReferencePrice(instrument, random.nextBoolean() ? 0 : MAX_PRICE + 1);
            }
            long mid = mid(instrument);
            long base = instrument == NVDAX ? DEFAULT_MID[1] : DEFAULT_MID[0];
            long price = mid + random.nextLong(-mid / 50, mid / 50 + 1);
            return new Command.SetReferencePrice(instrument, Math.clamp(price, base / 2, base * 2));
        }
    }

    // ---------------------------------------------------------------------------------------------

    /** An order as the events describe it. */
    private static final class Tracked {
        final long id;
        final long accountId;
        final int instrument;
        final Side side;
        final OrderType type;
        final TimeInForce timeInForce;
        final long quoteBudget;
        long price;
        long quantity;
        long remaining;
        long spent;
        boolean resting;

        Tracked(long id, long accountId, int instrument, Side side, OrderType type, TimeInForce timeInForce,
                long quoteBudget, long price, long quantity) {
            this.id = id;
            this.accountId = accountId;
            this.instrument = instrument;
            this.side = side;
            this.type = type;
            this.timeInForce = timeInForce;
            this.quoteBudget = quoteBudget;
            this.price = price;
            this.quantity = quantity;
            this.remaining = quantity;
        }

        long filled() {
            return quantity - remaining;
        }

        @Override
        public String toString() {
            return "order " + id + " (account " + accountId + ", " + side + " " + type + " " + timeInForce + " price "
                + price + " quantity " + quantity + " remaining " + remaining + ")";
        }
    }

    private record Resting(long orderId, long price, long quantity, long remaining) {
    }

    /**
     * Rebuilds books, balances and trading states from the events alone and checks each event against
     * them and against the command that caused it; after each command, compares them with the engine.
     */
    private static final class EventChecker {
        private final Generator generator;
        private final MatchingEngine engine;
        private final Map<Long, Tracked> live = new HashMap<>();
        private final Set<Long> done = new HashSet<>();
        private final Set<Long> accepted = new HashSet<>();
        /** Index {@code instrument * 2 + side.ordinal()}; each level's orders in time priority. */
        private final List<TreeMap<Long, List<Tracked>>> books = new ArrayList<>();
        private final Map<Long, long[]> balances = new HashMap<>();
        private final TradingState[] states = new TradingState[2];
        private final long[] references = new long[2];
        private long lastTradeId;
        private Tracked taker;
        private Event.Done previousDone;
        /** Under EXPIRE_BOTH, the taker whose own Done must be the next order event after its maker's expiry. */
        private Tracked takerToExpire;

        private final Set<DoneReason> doneReasons = EnumSet.noneOf(DoneReason.class);
        private final Set<RejectReason> rejectReasons = EnumSet.noneOf(RejectReason.class);
        private int rested;
        private int lostPriority;
        private int keptPriority;
        private int reductions;
        private int statusChanges;

        EventChecker(Generator generator, MatchingEngine engine) {
            this.generator = generator;
            this.engine = engine;
            for (int instrument = 0; instrument < 2; instrument++) {
                books.add(new TreeMap<>(Comparator.reverseOrder()));
                books.add(new TreeMap<>());
                states[instrument] = engine.tradingState(instrument);
                references[instrument] = engine.referencePrice(instrument);
            }
        }

        Coverage coverage() {
            return new Coverage(EnumSet.copyOf(doneReasons), EnumSet.copyOf(rejectReasons),
                (int) lastTradeId, rested, lostPriority, keptPriority, reductions, statusChanges);
        }

        private TreeMap<Long, List<Tracked>> book(int instrument, Side side) {
            return books.get(instrument * 2 + side.ordinal());
        }

        private int makerFee(long accountId) {
            return accountId == FEE_ACCOUNT ? 0 : generator.makerFeeBps[(int) accountId];
        }

        private int takerFee(long accountId) {
            return accountId == FEE_ACCOUNT ? 0 : generator.takerFeeBps[(int) accountId];
        }

        private StpMode stpMode(long accountId) {
            return generator.stpModes[(int) accountId];
        }

        private Tracked liveOrder(long orderId, Event event) {
            if (done.contains(orderId)) {
                throw new AssertionError("event for order " + orderId + " after its Done: " + event);
            }
            Tracked order = live.get(orderId);
            if (order == null) {
                throw new AssertionError("event for order " + orderId + " that was never accepted: " + event);
            }
            return order;
        }

        void check(Command command, List<Event> events, long hashBefore, long hashAfter) {
            taker = null;
            previousDone = null;
            long rejects = events.stream().filter(e -> e instanceof Event.Rejected).count();
            if (rejects > 0) {
                assertEquals(1, rejects, "one reject at most: " + events);
                Event last = events.get(events.size() - 1);
                assertTrue(last instanceof Event.Rejected, "a reject is the command's last event: " + events);
                boolean onlyStatusBefore = events.subList(0, events.size() - 1).stream()
                    .allMatch(e -> e instanceof Event.Status);
                assertTrue(onlyStatusBefore, "a rejected command changes nothing (only a guard halt's end may precede it): "
                    + events);
                if (events.size() == 1) {
                    assertEquals(hashBefore, hashAfter, "a rejected command changed the state hash");
                }
            } else if (events.isEmpty()) {
                assertTrue(command instanceof Command.CancelAll, "only a cancel-all may cause no event at all");
            }
            for (Event event : events) {
                if (takerToExpire != null && !(event instanceof Event.Balance) && !(event instanceof Event.Status)
                    && !(event instanceof Event.Done d && d.orderId() == takerToExpire.id
                    && d.reason() == DoneReason.EXPIRED_SELF_TRADE)) {
                    throw new AssertionError("EXPIRE_BOTH expired a maker, but then " + event + " instead of "
                        + takerToExpire + " expiring");
                }
                onEvent(command, event);
            }
            assertEquals(null, takerToExpire, "EXPIRE_BOTH expired a maker but not the taker");
            compareWithEngine();
        }

        private void onEvent(Command command, Event event) {
            switch (event) {
                case Event.Rejected r -> {
                    assertEquals(command.getClass().getSimpleName(), r.command());
                    rejectReasons.add(r.reason());
                }
                case Event.AccountCreated a ->
                    assertEquals(((Command.CreateAccount) command).accountId(), a.accountId());
                case Event.Accepted a -> onAccepted(command, a);
                case Event.Trade t -> onTrade(t);
                case Event.Rested r -> onRested(r);
                case Event.Reduced r -> onReduced(command, r);
                case Event.Amended a -> onAmended(command, a);
                case Event.Done d -> onDone(command, d);
                case Event.Balance b -> balances.put(b.accountId() * 16 + b.asset(), new long[] {b.available(), b.locked()});
                case Event.Status s -> {
                    states[s.instrumentId()] = s.state();
                    references[s.instrumentId()] = s.referencePrice();
                    statusChanges++;
                }
            }
        }

        private void onAccepted(Command command, Event.Accepted a) {
            Command.PlaceOrder p = (Command.PlaceOrder) command;
            assertEquals(p.orderId(), a.orderId(), "accepted order id");
            assertTrue(accepted.add(a.orderId()), "order " + a.orderId() + " accepted twice (ids are never reused here)");
            assertEquals(p.side(), a.side());
            assertEquals(p.type(), a.type());
            assertEquals(p.timeInForce(), a.timeInForce());
            if (p.type() == OrderType.LIMIT) {
                assertEquals(p.price(), a.price(), "a limit order is accepted at its price");
            }
            assertEquals(p.quoteBudget() != 0 ? MAX_QUANTITY : p.quantity(), a.quantity(), "accepted quantity");
            Tracked order = new Tracked(a.orderId(), p.accountId(), p.instrumentId(), a.side(), a.type(),
                a.timeInForce(), p.quoteBudget(), a.price(), a.quantity());
            live.put(order.id, order);
            taker = order;
        }

        private void onTrade(Event.Trade t) {
            assertEquals(lastTradeId + 1, t.tradeId(), "trade ids are 1, 2, 3, ... without gaps");
            lastTradeId = t.tradeId();
            if (taker == null || taker.id != t.takerOrderId()) {
                throw new AssertionError("trade " + t + " names a taker that is not the order being matched: " + taker);
            }
            assertTrue(taker.timeInForce != TimeInForce.POST_ONLY, "a POST_ONLY order traded as taker: " + t);
            Tracked maker = liveOrder(t.makerOrderId(), t);
            assertTrue(maker.resting, "the maker of " + t + " is not resting");
            assertEquals(taker.instrument, maker.instrument, "maker and taker on one instrument");
            assertTrue(maker.side != taker.side, "maker and taker on opposite sides: " + t);
            TreeMap<Long, List<Tracked>> opposite = book(maker.instrument, maker.side);
            Tracked head = opposite.firstEntry().getValue().get(0);
            assertEquals(head.id, maker.id, "price-time priority: " + t + " should have hit " + head + " first");
            assertEquals(maker.price, t.price(), "a trade is at the maker's price: " + t);
            assertTrue(taker.side == Side.BUY ? t.price() <= taker.price : t.price() >= taker.price,
                "trade " + t + " crosses the taker's limit " + taker.price);
            assertTrue(t.quantity() > 0 && t.quantity() <= taker.remaining && t.quantity() <= maker.remaining,
                "trade quantity " + t + " taker " + taker + " maker " + maker);
            if (taker.accountId == maker.accountId) {
                assertEquals(StpMode.NONE, stpMode(taker.accountId), "a self-trade although STP is on: " + t);
            }
            long value = t.price() * t.quantity();
            assertEquals(value * takerFee(taker.accountId) / 10_000, t.takerFee(), "taker fee of " + t);
            assertEquals(value * makerFee(maker.accountId) / 10_000, t.makerFee(), "maker fee of " + t);
            taker.remaining -= t.quantity();
            maker.remaining -= t.quantity();
            if (taker.quoteBudget != 0) {
                taker.spent += value + t.takerFee();
                assertTrue(taker.spent <= taker.quoteBudget, "budget " + taker.quoteBudget + " overspent: " + taker.spent);
            }
        }

        private void onRested(Event.Rested r) {
            Tracked order = liveOrder(r.orderId(), r);
            assertTrue(!order.resting, "rested twice: " + r);
            assertEquals(OrderType.LIMIT, order.type, "only limit orders rest: " + order);
            assertTrue(order.timeInForce == TimeInForce.GTC || order.timeInForce == TimeInForce.POST_ONLY,
                "only GTC and POST_ONLY orders rest: " + order);
            assertEquals(order.price, r.price(), "rests at its limit");
            assertEquals(order.remaining, r.remaining(), "rests with what is left");
            assertTrue(r.remaining() > 0, "rests with nothing left: " + r);
            book(order.instrument, order.side).computeIfAbsent(order.price, p -> new ArrayList<>()).add(order);
            order.resting = true;
            if (taker == order) {
                taker = null;
            }
            rested++;
        }

        private void onReduced(Command command, Event.Reduced r) {
            Command.ReduceOrder c = (Command.ReduceOrder) command;
            Tracked order = liveOrder(r.orderId(), r);
            assertEquals(c.orderId(), order.id);
            assertTrue(order.resting, "reduced while not resting: " + order);
            assertEquals(order.remaining, r.previousRemaining(), "previous remaining of " + r);
            assertEquals(order.remaining - c.quantity(), r.remaining(), "reduced by the command's quantity");
            assertTrue(r.remaining() > 0, "a reduction to zero is a Done, not a Reduced");
            order.quantity -= c.quantity();
            order.remaining = r.remaining();
            reductions++;
        }

        private void onAmended(Command command, Event.Amended a) {
            Command.AmendOrder c = (Command.AmendOrder) command;
            Tracked order = liveOrder(a.orderId(), a);
            assertTrue(order.resting, "amended while not resting: " + order);
            assertEquals(order.accountId, c.accountId(), "amended by its owner only");
            assertEquals(order.price, a.previousPrice(), "previous price of " + a);
            assertEquals(order.quantity, a.previousQuantity(), "previous quantity of " + a);
            assertEquals(c.newPrice(), a.price(), "amended to the command's price");
            assertEquals(c.newQuantity(), a.quantity(), "amended to the command's quantity");
            assertEquals(a.quantity() - order.filled(), a.remaining(), "what is left after the amend");
            assertTrue(a.remaining() > 0, "an amend to nothing left is a Done, not an Amended");
            boolean keeps = a.price() == a.previousPrice() && a.quantity() < a.previousQuantity();
            assertEquals(keeps, a.priorityKept(), "priority is kept exactly when only the quantity goes down: " + a);
            if (!keeps) {
                unrest(order);
                taker = order;
                lostPriority++;
            } else {
                keptPriority++;
            }
            order.price = a.price();
            order.quantity = a.quantity();
            order.remaining = a.remaining();
        }

        private void onDone(Command command, Event.Done d) {
            Tracked order = liveOrder(d.orderId(), d);
            DoneReason reason = d.reason();
            assertEquals(order.filled(), d.filled(), "filled quantity of " + d + " for " + order);
            long remaining = order.quoteBudget != 0 ? 0 : order.remaining;
            assertEquals(remaining, d.remaining(), "remaining quantity of " + d + " for " + order);
            if (order.quoteBudget == 0) {
                assertEquals(reason == DoneReason.FILLED, order.remaining == 0, "FILLED exactly when nothing is left: " + d);
            }
            if (order.timeInForce == TimeInForce.FOK) {
                assertTrue(d.filled() == 0 || d.filled() == order.quantity,
                    "a FOK order traded in part: " + d + " for " + order);
            }
            switch (reason) {
                case CANCELLED -> assertTrue(command instanceof Command.CancelOrder && order.resting, d.toString());
                case CANCELLED_ALL -> assertTrue(command instanceof Command.CancelAll && order.resting, d.toString());
                case REDUCED_TO_ZERO -> assertTrue(order.resting
                    && (command instanceof Command.ReduceOrder || command instanceof Command.AmendOrder), d.toString());
                case EXPIRED_IOC -> {
                    assertEquals(TimeInForce.IOC, order.timeInForce, d.toString());
                    assertTrue(!crossesBest(order), "an IOC expired while it could still trade: " + order);
                }
                case EXPIRED_FOK -> {
                    assertEquals(TimeInForce.FOK, order.timeInForce, d.toString());
                    assertEquals(0, d.filled(), d.toString());
                }
                case EXPIRED_BUDGET_SPENT -> assertTrue(order.quoteBudget != 0, d.toString());
                case EXPIRED_SELF_TRADE -> checkSelfTradeExpiry(order, d);
                case EXPIRED_EXECUTION_BAND -> {
                    // A LIMIT taker's limit reaches past the band; a MARKET taker's price is the band edge itself.
                    assertTrue(order == taker && hasOpposite(order)
                        && crossesBest(order) == (order.type == OrderType.LIMIT), "stopped by the band: " + d);
                }
                case EXPIRED_VOLATILITY_HALT ->
                    assertTrue(order == taker && crossesBest(order), "only a taker that could trade more: " + d);
                case CORPORATE_ACTION -> assertTrue(command instanceof Command.ApplyMultiplier && order.resting,
                    d.toString());
                case FILLED -> {
                }
            }
            if (reason != DoneReason.FILLED && reason != DoneReason.EXPIRED_SELF_TRADE && !order.resting) {
                assertTrue(order == taker, "a Done that ends matching is for the taker: " + d);
            }
            if (order.resting) {
                unrest(order);
            }
            live.remove(order.id);
            done.add(order.id);
            if (taker == order) {
                taker = null;
            }
            doneReasons.add(reason);
            previousDone = d;
        }

        private void checkSelfTradeExpiry(Tracked order, Event.Done d) {
            if (order.resting) {
                // A maker expired by an incoming order of its own account, which must be next in line.
                assertTrue(taker != null && taker.accountId == order.accountId,
                    "maker expired by STP without an own taker: " + d);
                StpMode mode = stpMode(taker.accountId);
                assertTrue(mode == StpMode.EXPIRE_MAKER || mode == StpMode.EXPIRE_BOTH, "maker expired under " + mode);
                Tracked head = book(order.instrument, order.side).firstEntry().getValue().get(0);
                assertEquals(head.id, order.id, "STP expired a maker that was not next in line: " + d);
                assertTrue(crossesBest(taker), "STP expired a maker the taker would not have reached: " + d);
                if (mode == StpMode.EXPIRE_BOTH) {
                    takerToExpire = taker;
                }
            } else {
                assertTrue(order == taker, "an incoming order expired by STP is the taker: " + d);
                StpMode mode = stpMode(order.accountId);
                if (mode == StpMode.EXPIRE_TAKER) {
                    Tracked head = book(order.instrument, order.side == Side.BUY ? Side.SELL : Side.BUY)
                        .firstEntry().getValue().get(0);
                    assertEquals(order.accountId, head.accountId, "EXPIRE_TAKER without an own order next in line: " + d);
                    assertTrue(crossesBest(order), "EXPIRE_TAKER against an order it would not reach: " + d);
                } else {
                    assertEquals(StpMode.EXPIRE_BOTH, mode, "taker expired by STP under " + mode);
                    assertTrue(previousDone != null && previousDone.reason() == DoneReason.EXPIRED_SELF_TRADE
                        && live.get(previousDone.orderId()) == null, "EXPIRE_BOTH: the maker expires just before: " + d);
                    takerToExpire = null;
                }
            }
        }

        private boolean hasOpposite(Tracked order) {
            return !book(order.instrument, order.side == Side.BUY ? Side.SELL : Side.BUY).isEmpty();
        }

        /** Whether the best opposite level is within the order's limit. */
        private boolean crossesBest(Tracked order) {
            TreeMap<Long, List<Tracked>> opposite = book(order.instrument, order.side == Side.BUY ? Side.SELL : Side.BUY);
            if (opposite.isEmpty()) {
                return false;
            }
            long best = opposite.firstKey();
            return order.side == Side.BUY ? best <= order.price : best >= order.price;
        }

        private void unrest(Tracked order) {
            TreeMap<Long, List<Tracked>> side = book(order.instrument, order.side);
            List<Tracked> level = side.get(order.price);
            assertTrue(level != null && level.remove(order), "resting order not in the shadow book: " + order);
            if (level.isEmpty()) {
                side.remove(order.price);
            }
            order.resting = false;
        }

        /** The shadow book, balances and states against what the engine reports. */
        private void compareWithEngine() {
            assertEquals(lastTradeId, engine.lastTradeId(), "last trade id");
            assertEquals(live.size(), engine.liveOrderCount(), "live orders: every accepted order is done or resting");
            for (Tracked order : live.values()) {
                assertTrue(order.resting, "accepted, not done and not resting at the end of the command: " + order);
                OrderView view = engine.order(order.id);
                if (view == null) {
                    throw new AssertionError("the engine does not know live " + order);
                }
            }
            for (int instrument = 0; instrument < 2; instrument++) {
                for (Side side : Side.values()) {
                    List<Resting> expected = new ArrayList<>();
                    for (List<Tracked> level : book(instrument, side).values()) {
                        for (Tracked order : level) {
                            expected.add(new Resting(order.id, order.price, order.quantity, order.remaining));
                        }
                    }
                    List<Resting> actual = new ArrayList<>();
                    engine.forEachOrder(instrument, side, o -> actual.add(
                        new Resting(o.orderId(), o.price(), o.quantity(), o.remaining())));
                    assertEquals(expected, actual, "instrument " + instrument + " " + side
                        + ": the book rebuilt from the events differs from the engine's");
                }
                assertEquals(states[instrument], engine.tradingState(instrument), "trading state of " + instrument);
                assertEquals(references[instrument], engine.referencePrice(instrument), "reference of " + instrument);
            }
            for (long account = 0; account <= ACCOUNTS; account++) {
                if (!engine.hasAccount(account)) {
                    continue;
                }
                for (int asset = 0; asset < ASSETS; asset++) {
                    long[] balance = balances.getOrDefault(account * 16 + asset, new long[2]);
                    assertEquals(balance[0], engine.available(account, asset),
                        "available of account " + account + " asset " + asset + " from the balance events");
                    assertEquals(balance[1], engine.locked(account, asset),
                        "locked of account " + account + " asset " + asset + " from the balance events");
                }
            }
            assertTrue(!engine.hasAccount(REQUEST_UNKNOWN_ACCOUNT), "the unknown account was never created");
        }

        void checkEveryAcceptedOrderIsDoneOrLive() {
            for (long id : accepted) {
                boolean isDone = done.contains(id);
                boolean isLive = engine.order(id) != null;
                assertTrue(isDone != isLive, "order " + id + " done " + isDone + ", live " + isLive);
            }
        }
    }
}
