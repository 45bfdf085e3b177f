package io.xex.loadtests.journal;

import io.xex.matching.Command;
import io.xex.matching.InstrumentSpec;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A deterministic order flow on one instrument, the kind a venue journals all day: LIMIT orders of 100 to 1,000
 * lots from many funded accounts, half of them passive (GTC, 1 to 50 ticks away from the reference price, so they
 * rest) and half aggressive (IOC, 60 ticks through the reference price, a fifth larger, so they trade with what
 * rests and expire what is left). The aggressive side takes a little more than the passive side adds, so the book
 * stays shallow however long the flow runs, and every price stays well inside the instrument's price bands.
 *
 * <p>Order ids are 1: the runtime gives every order its sequence number.
 *
 * <p>Not thread-safe: one per driver.
 */
final class OrderFlow {
    static final int INSTRUMENT = 0;
    static final long MIN_LOTS = 100;
    static final long MAX_LOTS = 1_000;
    static final int PASSIVE_PERCENT = 50;
    static final int PASSIVE_DEPTH_TICKS = 50;
    static final int AGGRESSIVE_REACH_TICKS = 60;
    static final int MAKER_FEE_BPS = 10;
    static final int TAKER_FEE_BPS = 20;
    /** Per account, in the assets' units: 10^14 of the quote (100 million USDT) and 10^13 of the base. */
    static final long QUOTE_FUNDING_UNITS = 100_000_000_000_000L;
    static final long BASE_FUNDING_UNITS = 10_000_000_000_000L;
    /** The engine's bound on an asset's total over all accounts allows this many accounts at that funding. */
    static final int MAX_ACCOUNTS = 10_000;

    private final SplittableRandom random;
    private final int accounts;
    private final InstrumentSpec instrument;
    private final long referenceTicks;

    OrderFlow(long seed, int accounts, InstrumentSpec instrument) {
        if (accounts < 2 || accounts > MAX_ACCOUNTS) {
            throw new IllegalArgumentException("accounts must be in 2.." + MAX_ACCOUNTS + ": " + accounts);
        }
        if (instrument.initialReferencePrice() <= AGGRESSIVE_REACH_TICKS) {
            throw new IllegalArgumentException(instrument.symbol() + " has no usable reference price");
        }
        this.random = new SplittableRandom(seed);
        this.accounts = accounts;
        this.instrument = instrument;
        this.referenceTicks = instrument.initialReferencePrice();
    }

    /** Accounts 1..{@code accounts}, each funded in both assets of the instrument. */
    List<Command> setup() {
        List<Command> commands = new ArrayList<>(3 * accounts);
        for (long account = 1; account <= accounts; account++) {
            commands.add(new Command.CreateAccount(account, MAKER_FEE_BPS, TAKER_FEE_BPS));
            commands.add(new Command.Deposit(account, instrument.quoteAsset(), QUOTE_FUNDING_UNITS));
            commands.add(new Command.Deposit(account, instrument.baseAsset(), BASE_FUNDING_UNITS));
        }
        return commands;
    }

    Command.PlaceOrder next() {
        long account = 1 + random.nextInt(accounts);
        Side side = random.nextBoolean() ? Side.BUY : Side.SELL;
        int sign = side == Side.BUY ? 1 : -1;
        long lots = MIN_LOTS + random.nextLong(MAX_LOTS - MIN_LOTS + 1);
        if (random.nextInt(100) < PASSIVE_PERCENT) {
            long price = referenceTicks - sign * (1 + random.nextInt(PASSIVE_DEPTH_TICKS));
            return Command.PlaceOrder.limit(account, 1, INSTRUMENT, side, TimeInForce.GTC, price, lots);
        }
        long price = referenceTicks + sign * AGGRESSIVE_REACH_TICKS;
        return Command.PlaceOrder.limit(account, 1, INSTRUMENT, side, TimeInForce.IOC, price, lots * 6 / 5);
    }
}
