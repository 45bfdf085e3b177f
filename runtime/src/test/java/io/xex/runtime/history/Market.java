package io.xex.runtime.history;

import io.xex.matching.AssetSpec;
import io.xex.matching.Command;
import io.xex.matching.EngineConfig;
import io.xex.matching.InstrumentSpec;
import io.xex.matching.TradingState;
import io.xex.matching.codec.CommandCodec;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.JournalReplay;
import io.xex.runtime.store.JournalEntry;

import java.util.List;

/**
 * For tests: a real engine whose commands become {@link CommandResult}s as the runtime makes them. Each command
 * gets the next sequence number and the timestamp {@code sequence × 1,000} ns, and a PlaceOrder gets its sequence
 * as order id. One instrument, TSLAx/USDT, with USDT counted in cents and whole shares, so that one tick is a cent
 * and one lot a share. Confined to the test thread.
 */
final class Market {
    static final int USDT = 0;
    static final int SHARES = 1;
    static final int TSLAX = 0;

    private final JournalReplay replay;

    Market() {
        List<AssetSpec> assets = List.of(new AssetSpec("USDT", 2), new AssetSpec("TSLAx", 0));
        List<InstrumentSpec> instruments = List.of(new InstrumentSpec("TSLAx/USDT", SHARES, USDT, 1, 1, 1, 10_000, 50,
            1_000_000, null, TradingState.OPEN, 0));
        replay = new JournalReplay(new EngineConfig(assets, instruments, 0, true, 100, 16));
    }

    /** Applies {@code command} as the runtime would and returns its durable result. */
    CommandResult apply(Command command) {
        long sequence = replay.sequence() + 1;
        Command journaled = command instanceof Command.PlaceOrder place ? place.withOrderId(sequence) : command;
        long timestampNs = sequence * 1_000;
        return new CommandResult(sequence, timestampNs, journaled,
            replay.apply(new JournalEntry(sequence, timestampNs, CommandCodec.encode(journaled))));
    }

    /**
     * Opens an account with the given fees and funds it with 1,000,000.00 USDT and 1,000 shares; the results, which
     * have no reports.
     */
    List<CommandResult> fundedAccount(long accountId, int makerFeeBps, int takerFeeBps) {
        return List.of(apply(new Command.CreateAccount(accountId, makerFeeBps, takerFeeBps)),
            apply(new Command.Deposit(accountId, USDT, 100_000_000)),
            apply(new Command.Deposit(accountId, SHARES, 1_000)));
    }

    /** The sequence of the last command applied. */
    long sequence() {
        return replay.sequence();
    }
}
