package io.xex.matching;

import io.xex.matching.codec.CommandCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

import static io.xex.matching.EngineFixture.NVDA;
import static io.xex.matching.EngineFixture.NVDAX;
import static io.xex.matching.EngineFixture.TSLA;
import static io.xex.matching.EngineFixture.TSLAX;
import static io.xex.matching.EngineFixture.USDT;
import static io.xex.matching.EngineFixture.gtc;
import static io.xex.matching.EngineFixture.limit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Corporate actions ({@link Command.ApplyMultiplier}): a 2:1 split, a dividend reinvestment and a reverse
 * split applied with orders resting on both sides of TSLAx for several accounts and one resting on NVDAx.
 *
 * <p>The market is the fixture's (whole shares, cents), TSLAx banded around a reference of 10,000 ticks.
 * Before the action account 1 sold 3 shares to account 2 at 10,000, so the accounts hold 997, 1,003 and
 * 1,000 shares; account 4 holds only USDT.
 */
class CorporateActionTest {
    private static final long REFERENCE = 10_000;

    /** The fixture and every command applied to it, in order: the journal. */
    private static final class Market {
        final EngineFixture f;
        final List<Command> journal = new ArrayList<>();

        Market(TradingState state) {
            f = new EngineFixture(BandSpec.defaults(), state, REFERENCE);
        }

        List<Event> apply(Command command) {
            journal.add(command);
            return f.apply(command);
        }

        void account(long id) {
            apply(new Command.CreateAccount(id, 0, 0, StpMode.EXPIRE_TAKER));
            apply(new Command.Deposit(id, USDT, 100_000_000));
            apply(new Command.Deposit(id, TSLA, 1_000));
            apply(new Command.Deposit(id, NVDA, 1_000));
        }
    }

    /** Accounts 1–4, a trade, and orders 3–7 resting: 3–6 on TSLAx on both sides, 7 on NVDAx. */
    private static Market restingOrders(TradingState state) {
        Market m = new Market(state);
        m.account(1);
        m.account(2);
        m.account(3);
        m.apply(new Command.CreateAccount(4, 0, 0, StpMode.EXPIRE_TAKER));
        m.apply(new Command.Deposit(4, USDT, 5_000_000));
        m.apply(gtc(1, 1, Side.SELL, 10_000, 3));
        m.apply(gtc(2, 2, Side.BUY, 10_000, 3));
        m.apply(gtc(1, 3, Side.BUY, 9_900, 5));
        m.apply(gtc(2, 4, Side.SELL, 10_100, 7));
        m.apply(gtc(3, 5, Side.BUY, 9_950, 3));
        m.apply(gtc(3, 6, Side.SELL, 10_050, 4));
        m.apply(limit(1, 7, NVDAX, Side.BUY, TimeInForce.GTC, 500, 2));
        assertEquals(5, m.f.engine.liveOrderCount());
        return m;
    }

    private static Event.Status status(TradingState state, long reference) {
        boolean closed = state == TradingState.CLOSED_UNDERLYING;
        long entry = reference * (closed ? BandSpec.DEFAULT_CLOSED_ENTRY_BPS : BandSpec.DEFAULT_ENTRY_BPS) / 10_000;
        long execution = reference
            * (closed ? BandSpec.DEFAULT_CLOSED_EXECUTION_BPS : BandSpec.DEFAULT_EXECUTION_BPS) / 10_000;
        return new Event.Status(TSLAX, state, reference, reference - entry, reference + entry, reference - execution,
            reference + execution);
    }

    @Test
    void aTwoForOneSplitHaltsCancelsEveryRestingOrderDoublesEveryHoldingHalvesTheReferenceAndResumes() {
        Market m = restingOrders(TradingState.OPEN);
        assertEquals(List.of(
                status(TradingState.HALTED, 10_000),
                // Bids best first, then asks best first; each cancel releases its lock.
                new Event.Balance(3, USDT, 100_000_000, 0),
                new Event.Done(5, DoneReason.CORPORATE_ACTION, 0, 3),
                new Event.Balance(1, USDT, 100_030_000 - 1_000, 1_000),
                new Event.Done(3, DoneReason.CORPORATE_ACTION, 0, 5),
                new Event.Balance(3, TSLA, 1_000, 0),
                new Event.Done(6, DoneReason.CORPORATE_ACTION, 0, 4),
                new Event.Balance(2, TSLA, 1_003, 0),
                new Event.Done(4, DoneReason.CORPORATE_ACTION, 0, 7),
                // Holdings by ascending account id; account 4 holds none and hears nothing.
                new Event.Balance(1, TSLA, 1_994, 0),
                new Event.Balance(2, TSLA, 2_006, 0),
                new Event.Balance(3, TSLA, 2_000, 0),
                status(TradingState.HALTED, 5_000),
                status(TradingState.OPEN, 5_000)),
            m.apply(new Command.ApplyMultiplier(TSLA, 2, 1)));

        MatchingEngine engine = m.f.engine;
        assertEquals(1, engine.liveOrderCount(), "NVDAx's order is untouched");
        assertNotNull(engine.order(7));
        assertEquals(1_000, engine.locked(1, USDT));
        assertEquals(TradingState.OPEN, engine.tradingState(TSLAX));
        assertEquals(5_000, engine.referencePrice(TSLAX));
        assertEquals(1_000, engine.available(1, NVDA), "other assets are untouched");
        // Trading resumes on the new scale.
        assertEquals(List.of(new Event.Accepted(8, Side.BUY, OrderType.LIMIT, TimeInForce.GTC, 5_000, 10),
            new Event.Rested(8, 5_000, 10)), m.f.flow(gtc(4, 8, Side.BUY, 5_000, 10)));
    }

    @Test
    void aSymbolThatWasHaltedStaysHaltedAndTheStateItHadWhileClosedComesBack() {
        Market halted = restingOrders(TradingState.OPEN);
        halted.apply(new Command.SetTradingState(TSLAX, TradingState.HALTED));
        List<Event> events = halted.apply(new Command.ApplyMultiplier(TSLA, 2, 1));
        assertEquals(status(TradingState.HALTED, 5_000), events.getLast());
        assertEquals(1, events.stream().filter(e -> e instanceof Event.Status).count());
        assertEquals(TradingState.HALTED, halted.f.engine.tradingState(TSLAX));

        Market closed = restingOrders(TradingState.CLOSED_UNDERLYING);
        events = closed.apply(new Command.ApplyMultiplier(TSLA, 10_123, 10_000));
        assertEquals(status(TradingState.HALTED, 10_000), events.getFirst());
        assertEquals(List.of(status(TradingState.HALTED, 9_878), status(TradingState.CLOSED_UNDERLYING, 9_878)),
            events.subList(events.size() - 2, events.size()));
    }

    /**
     * Every account's value, its shares at the reference price plus its USDT, is conserved: USDT exactly;
     * shares × price within the rounding. With B shares at price P before, ratio r = n/d, B' = ⌊B·r⌋ and
     * the exact new price P/r, {@code 0 <= B·P − B'·P/r < P/r}: at most one share's worth at the new price
     * is lost to rounding down. With the reference rounded to the tick, P', the gap grows by at most half
     * a tick per share: {@code |B'·P' − B·P| <= P' + (B' + 1) / 2}.
     */
    @ParameterizedTest(name = "ratio {0}/{1}")
    @CsvSource({"2, 1", "10123, 10000", "1, 3"})
    void everyAccountsValueIsConservedWithinOneShareAtTheNewPrice(long numerator, long denominator) {
        Market m = restingOrders(TradingState.OPEN);
        MatchingEngine engine = m.f.engine;
        long[] accounts = {1, 2, 3, 4};
        long[] shares = new long[accounts.length];
        long[] usdt = new long[accounts.length];
        for (int i = 0; i < accounts.length; i++) {
            shares[i] = engine.available(accounts[i], TSLA) + engine.locked(accounts[i], TSLA);
            usdt[i] = engine.available(accounts[i], USDT) + engine.locked(accounts[i], USDT);
        }
        long price = engine.referencePrice(TSLAX);

        m.apply(new Command.ApplyMultiplier(TSLA, numerator, denominator));

        long newPrice = engine.referencePrice(TSLAX);
        assertEquals(Math.round((double) price * denominator / numerator), newPrice, "reference scaled by old/new");
        assertEquals(1, engine.liveOrderCount(), "only NVDAx's order rests");
        BigInteger n = BigInteger.valueOf(numerator);
        BigInteger d = BigInteger.valueOf(denominator);
        BigInteger p = BigInteger.valueOf(price);
        for (int i = 0; i < accounts.length; i++) {
            long account = accounts[i];
            long after = engine.available(account, TSLA);
            assertEquals(0, engine.locked(account, TSLA));
            assertEquals(BigInteger.valueOf(shares[i]).multiply(n).divide(d).longValueExact(), after,
                "account " + account + ": shares × ratio rounded down");
            assertEquals(usdt[i], engine.available(account, USDT) + engine.locked(account, USDT),
                "account " + account + ": USDT");
            // B·P·n − B'·P·d in [0, P·d): the value at the exact new price loses less than one share.
            BigInteger lost = BigInteger.valueOf(shares[i]).multiply(p).multiply(n)
                .subtract(BigInteger.valueOf(after).multiply(p).multiply(d));
            assertTrue(lost.signum() >= 0 && lost.compareTo(p.multiply(d)) < 0, "account " + account + " lost " + lost);
            long gap = Math.abs(after * newPrice - shares[i] * price);
            assertTrue(2 * gap <= 2 * newPrice + after + 1, "account " + account + ": value moved by " + gap);
        }
        assertEquals(TradingState.OPEN, engine.tradingState(TSLAX));
    }

    /** The journal, through the codec, on a fresh engine and on one restored from a snapshot, gives the same state. */
    @Test
    void theJournalReplaysToTheSameStateHash() throws IOException {
        Market m = restingOrders(TradingState.OPEN);
        ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
        m.f.engine.writeSnapshot(new DataOutputStream(snapshot));
        int snapshotAt = m.journal.size();
        m.apply(new Command.ApplyMultiplier(TSLA, 2, 1));
        m.apply(gtc(1, 8, Side.BUY, 4_990, 4));
        m.apply(gtc(2, 9, Side.SELL, 4_990, 6));
        m.apply(gtc(3, 10, Side.SELL, 5_050, 5));
        List<Event> dividend = m.apply(new Command.ApplyMultiplier(TSLA, 10_123, 10_000));
        assertTrue(dividend.contains(new Event.Done(10, DoneReason.CORPORATE_ACTION, 0, 5)));
        assertTrue(dividend.contains(new Event.Done(9, DoneReason.CORPORATE_ACTION, 4, 2)));
        long hash = m.f.engine.stateHash();

        Market fresh = new Market(TradingState.OPEN);
        List<List<Event>> replayed = new ArrayList<>();
        for (Command command : m.journal) {
            Command decoded = CommandCodec.decode(CommandCodec.encode(command));
            assertEquals(command, decoded);
            replayed.add(fresh.apply(decoded));
        }
        assertEquals(hash, fresh.f.engine.stateHash(), "a fresh engine replaying the journal");

        RecordingListener listener = new RecordingListener();
        MatchingEngine restored = MatchingEngine.readSnapshot(m.f.engine.config(), listener,
            new DataInputStream(new ByteArrayInputStream(snapshot.toByteArray())));
        for (int i = snapshotAt; i < m.journal.size(); i++) {
            restored.apply(i + 1, 1_000_000_000L, CommandCodec.decode(CommandCodec.encode(m.journal.get(i))));
            restored.checkInvariants();
        }
        assertEquals(hash, restored.stateHash(), "the snapshot and the journal after it");
        assertEquals(dividend, replayed.getLast(), "the same events for the dividend");
    }

    @Test
    void refusalsChangeNothing() {
        Market m = restingOrders(TradingState.OPEN);
        long hash = m.f.engine.stateHash();
        List<Command> refused = List.of(
            new Command.ApplyMultiplier(3, 2, 1),
            new Command.ApplyMultiplier(-1, 2, 1),
            new Command.ApplyMultiplier(TSLA, 0, 1),
            new Command.ApplyMultiplier(TSLA, 2, -1),
            new Command.ApplyMultiplier(TSLA, 1, 1),
            new Command.ApplyMultiplier(TSLA, 6, 4),
            new Command.ApplyMultiplier(USDT, 2, 1),
            new Command.ApplyMultiplier(TSLA, Long.MAX_VALUE, 1),
            new Command.ApplyMultiplier(TSLA, 1, 1_000));
        List<RejectReason> expected = List.of(RejectReason.REQUEST_UNKNOWN_ASSET, RejectReason.REQUEST_UNKNOWN_ASSET,
            RejectReason.REQUEST_INVALID_RATIO, RejectReason.REQUEST_INVALID_RATIO, RejectReason.REQUEST_INVALID_RATIO,
            RejectReason.REQUEST_INVALID_RATIO, RejectReason.REQUEST_NOT_A_BASE_ASSET,
            RejectReason.RISK_BALANCE_OVERFLOW, RejectReason.REQUEST_INVALID_PRICE);
        for (int i = 0; i < refused.size(); i++) {
            assertEquals(List.of(new Event.Rejected("ApplyMultiplier", expected.get(i))), m.apply(refused.get(i)),
                refused.get(i).toString());
            assertEquals(hash, m.f.engine.stateHash());
        }
    }
}
