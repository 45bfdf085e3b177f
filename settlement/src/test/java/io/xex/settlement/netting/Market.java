package io.xex.settlement.netting;

import io.xex.matching.AssetSpec;
import io.xex.matching.Command;
import io.xex.matching.EngineConfig;
import io.xex.matching.InstrumentSpec;
import io.xex.matching.MatchingEngine;
import io.xex.matching.OrderType;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;
import io.xex.matching.TradingState;
import io.xex.matching.codec.CommandCodec;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.JournalReplay;
import io.xex.runtime.store.JournalEntry;

import java.util.ArrayList;
import java.util.List;

/**
 * For netting's tests: a real engine whose commands become {@link CommandResult}s as the runtime makes them (its
 * events recorded by the runtime's own recorder, through {@link JournalReplay}). Each command gets the next
 * sequence number and the timestamp {@code sequence × 1,000} ns, and a PlaceOrder gets its sequence as order id.
 *
 * <p>USDT has 6 decimals and the stock tokens 8, so that a lot at a tick is several quote units: TSLAx/USDT has a
 * tick of 0.01 USDT and a lot of 0.001 TSLAx (10 micro-USDT per tick and lot), NVDAx/USDT a tick of 0.001 USDT and
 * a lot of one NVDAx (1,000 micro-USDT). The fee account is {@link #FEE_ACCOUNT}, not the default, so that netting
 * must take it from the configuration. Confined to the test thread.
 */
final class Market {
    static final int USDT = 0;
    static final int TSLA = 1;
    static final int NVDA = 2;
    static final int ASSETS = 3;
    static final int TSLAX = 0;
    static final int NVDAX = 1;
    static final long FEE_ACCOUNT = 900;
    static final EngineConfig CONFIG = new EngineConfig(
        List.of(new AssetSpec("USDT", 6), new AssetSpec("TSLAx", 8), new AssetSpec("NVDAx", 8)),
        List.of(new InstrumentSpec("TSLAx/USDT", TSLA, USDT, 10_000, 100_000, 1, 1_000_000, 0, 10_000_000, null,
                TradingState.OPEN, 0),
            new InstrumentSpec("NVDAx/USDT", NVDA, USDT, 1_000, 100_000_000, 1, 10_000, 0, 1_000_000_000, null,
                TradingState.OPEN, 0)),
        FEE_ACCOUNT, true, 1_000, 1_024);

    private final JournalReplay replay = new JournalReplay(CONFIG);

    /** Applies {@code command} as the runtime would and returns its durable result. */
    CommandResult apply(Command command) {
        long sequence = replay.sequence() + 1;
        Command journaled = command instanceof Command.PlaceOrder place ? place.withOrderId(sequence) : command;
        long timestampNs = sequence * 1_000;
        return new CommandResult(sequence, timestampNs, journaled,
            replay.apply(new JournalEntry(sequence, timestampNs, CommandCodec.encode(journaled))));
    }

    /** Applies the commands in turn; their results. */
    List<CommandResult> apply(Command... commands) {
        List<CommandResult> results = new ArrayList<>(commands.length);
        for (Command command : commands) {
            results.add(apply(command));
        }
        return results;
    }

    MatchingEngine engine() {
        return replay.engine();
    }

    /** The account's available plus locked balance of {@code asset}; 0 before the account exists. */
    long total(long accountId, int asset) {
        MatchingEngine engine = replay.engine();
        return engine.hasAccount(accountId) ? engine.available(accountId, asset) + engine.locked(accountId, asset) : 0;
    }

    /** A LIMIT order; its order id is given when it is applied. */
    static Command.PlaceOrder limit(long accountId, int instrumentId, Side side, TimeInForce timeInForce, long price,
                                    long quantity) {
        return Command.PlaceOrder.limit(accountId, 1, instrumentId, side, timeInForce, price, quantity);
    }

    /** A MARKET buy spending at most {@code quoteBudget} quote units, fees included. */
    static Command.PlaceOrder marketBuy(long accountId, int instrumentId, long quoteBudget) {
        return new Command.PlaceOrder(accountId, 1, null, instrumentId, Side.BUY, OrderType.MARKET, TimeInForce.IOC, 0, 0,
            quoteBudget);
    }

    /** A MARKET sell of {@code quantity} lots. */
    static Command.PlaceOrder marketSell(long accountId, int instrumentId, long quantity) {
        return new Command.PlaceOrder(accountId, 1, null, instrumentId, Side.SELL, OrderType.MARKET, TimeInForce.IOC, 0,
            quantity, 0);
    }
}
