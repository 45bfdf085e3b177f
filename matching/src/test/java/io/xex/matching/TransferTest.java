package io.xex.matching;

import io.xex.matching.codec.CommandCodec;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static io.xex.matching.EngineFixture.TSLA;
import static io.xex.matching.EngineFixture.USDT;
import static io.xex.matching.EngineFixture.gtc;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link Command.Transfer}, the issuer's primary market in the engine: a mint's payment (USDT one way) and a
 * redeem's exchange (tokens one way, USDT the other), all or nothing, from available balances only, each
 * reference accepted once and only above the last accepted one.
 */
class TransferTest {
    private static final long CLIENT = 1;
    private static final long ISSUER = 2;

    private final EngineFixture f = new EngineFixture(BandSpec.defaults(), TradingState.OPEN, 10_000);
    private final List<Command> journal = new ArrayList<>();

    private List<Event> apply(Command command) {
        journal.add(command);
        return f.apply(command);
    }

    private void accounts() {
        apply(new Command.CreateAccount(CLIENT, 0, 0, StpMode.EXPIRE_TAKER));
        apply(new Command.Deposit(CLIENT, USDT, 1_000_000));
        apply(new Command.Deposit(CLIENT, TSLA, 100));
        apply(new Command.CreateAccount(ISSUER, 0, 0, StpMode.EXPIRE_TAKER));
        apply(new Command.Deposit(ISSUER, USDT, 500_000));
    }

    @Test
    void aPaymentMovesOneAssetOneWay() {
        accounts();
        assertEquals(List.of(new Event.Balance(CLIENT, USDT, 700_000, 0), new Event.Balance(ISSUER, USDT, 800_000, 0)),
            apply(new Command.Transfer(1, CLIENT, ISSUER, USDT, 300_000, USDT, 0)));
        f.engine.checkInvariants();
    }

    @Test
    void anExchangeMovesBothLegsAndKeepsTheTotals() {
        accounts();
        long[] totals = f.engine.assetTotals.clone();
        assertEquals(List.of(new Event.Balance(CLIENT, TSLA, 60, 0), new Event.Balance(ISSUER, TSLA, 40, 0),
                new Event.Balance(ISSUER, USDT, 100_000, 0), new Event.Balance(CLIENT, USDT, 1_400_000, 0)),
            apply(new Command.Transfer(7, CLIENT, ISSUER, TSLA, 40, USDT, 400_000)));
        assertEquals(List.of(totals[0], totals[1], totals[2]),
            List.of(f.engine.assetTotals[0], f.engine.assetTotals[1], f.engine.assetTotals[2]));
        f.engine.checkInvariants();
    }

    @Test
    void aReferenceIsAcceptedOnceAndOnlyAboveTheLastAcceptedOne() {
        accounts();
        apply(new Command.Transfer(5, CLIENT, ISSUER, USDT, 1, USDT, 0));
        long hash = f.engine.stateHash();
        for (long reference : new long[] {5, 4, 0, -1}) {
            assertEquals(List.of(new Event.Rejected("Transfer", RejectReason.REQUEST_DUPLICATE_TRANSFER)),
                apply(new Command.Transfer(reference, CLIENT, ISSUER, USDT, 1, USDT, 0)), "reference " + reference);
            assertEquals(hash, f.engine.stateHash());
        }
        // A refused transfer does not use up its reference: the same one goes through once it can.
        assertEquals(List.of(new Event.Rejected("Transfer", RejectReason.RISK_INSUFFICIENT_FUNDS)),
            apply(new Command.Transfer(6, CLIENT, ISSUER, USDT, 2_000_000, USDT, 0)));
        assertEquals(2, apply(new Command.Transfer(6, CLIENT, ISSUER, USDT, 1, USDT, 0)).size());
    }

    @Test
    void refusalsChangeNothing() {
        accounts();
        apply(gtc(CLIENT, 1, Side.SELL, 10_000, 30)); // locks 30 TSLA: only 70 are available
        long hash = f.engine.stateHash();
        List<Command> refused = List.of(
            new Command.Transfer(1, 9, ISSUER, USDT, 1, USDT, 0),
            new Command.Transfer(1, CLIENT, 9, USDT, 1, USDT, 0),
            new Command.Transfer(1, CLIENT, ISSUER, 3, 1, USDT, 0),
            new Command.Transfer(1, CLIENT, ISSUER, USDT, 1, -1, 0),
            new Command.Transfer(1, CLIENT, ISSUER, USDT, 0, USDT, 0),
            new Command.Transfer(1, CLIENT, ISSUER, TSLA, 1, USDT, -1),
            new Command.Transfer(1, CLIENT, CLIENT, USDT, 1, USDT, 0),
            new Command.Transfer(1, CLIENT, ISSUER, USDT, 1, USDT, 1),
            new Command.Transfer(1, CLIENT, ISSUER, TSLA, 71, USDT, 0),
            new Command.Transfer(1, CLIENT, ISSUER, TSLA, 1, USDT, 500_001),
            new Command.Transfer(1, ISSUER, CLIENT, USDT, 1, TSLA, 71));
        List<RejectReason> expected = List.of(RejectReason.REQUEST_UNKNOWN_ACCOUNT,
            RejectReason.REQUEST_UNKNOWN_ACCOUNT, RejectReason.REQUEST_UNKNOWN_ASSET,
            RejectReason.REQUEST_UNKNOWN_ASSET, RejectReason.REQUEST_INVALID_AMOUNT,
            RejectReason.REQUEST_INVALID_AMOUNT, RejectReason.REQUEST_INVALID_TRANSFER,
            RejectReason.REQUEST_INVALID_TRANSFER, RejectReason.RISK_INSUFFICIENT_FUNDS,
            RejectReason.RISK_INSUFFICIENT_FUNDS, RejectReason.RISK_INSUFFICIENT_FUNDS);
        for (int i = 0; i < refused.size(); i++) {
            assertEquals(List.of(new Event.Rejected("Transfer", expected.get(i))), f.apply(refused.get(i)),
                refused.get(i).toString());
            assertEquals(hash, f.engine.stateHash());
        }
    }

    @Test
    void aCreditThatWouldOverflowIsRefused() {
        accounts();
        // Deposits keep every total within MAX_ORDER_VALUE, so only a balance set by hand can be this close to the
        // limit; the engine's invariants are not checked after it.
        f.engine.accounts.get(ISSUER).available[TSLA] = Long.MAX_VALUE;
        long hash = f.engine.stateHash();
        MatchingEngine engine = f.engine;
        f.listener.events.clear();
        engine.apply(1_000, 1, new Command.Transfer(1, CLIENT, ISSUER, TSLA, 1, USDT, 0));
        assertEquals(List.of(new Event.Rejected("Transfer", RejectReason.RISK_BALANCE_OVERFLOW)), f.listener.events);
        assertEquals(hash, f.engine.stateHash());
    }

    @Test
    void theLastReferenceIsReplayedAndKeptBySnapshots() throws IOException {
        accounts();
        apply(new Command.Transfer(3, CLIENT, ISSUER, TSLA, 10, USDT, 100_000));
        ByteArrayOutputStream snapshot = new ByteArrayOutputStream();
        f.engine.writeSnapshot(new DataOutputStream(snapshot));
        long hash = f.engine.stateHash();

        EngineFixture fresh = new EngineFixture(BandSpec.defaults(), TradingState.OPEN, 10_000);
        for (Command command : journal) {
            fresh.apply(CommandCodec.decode(CommandCodec.encode(command)));
        }
        assertEquals(hash, fresh.engine.stateHash(), "a fresh engine replaying the journal");

        MatchingEngine restored = MatchingEngine.readSnapshot(f.engine.config(), new RecordingListener(),
            new DataInputStream(new ByteArrayInputStream(snapshot.toByteArray())));
        assertEquals(hash, restored.stateHash(), "the snapshot");
        RecordingListener listener = new RecordingListener();
        MatchingEngine again = MatchingEngine.readSnapshot(f.engine.config(), listener,
            new DataInputStream(new ByteArrayInputStream(snapshot.toByteArray())));
        again.apply(100, 1, new Command.Transfer(3, CLIENT, ISSUER, TSLA, 1, USDT, 0));
        assertEquals(List.of(new Event.Rejected("Transfer", RejectReason.REQUEST_DUPLICATE_TRANSFER)), listener.events,
            "a restored engine still refuses the reference");
    }
}
