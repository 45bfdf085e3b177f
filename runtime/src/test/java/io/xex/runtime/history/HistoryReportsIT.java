package io.xex.runtime.history;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.xex.matching.Command;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;
import io.xex.runtime.config.HistoryConfig;
import io.xex.runtime.db.TestDatabase;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.store.HistoryStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.xex.matching.OrderType.LIMIT;
import static io.xex.matching.Side.BUY;
import static io.xex.matching.Side.SELL;
import static io.xex.matching.TimeInForce.GTC;
import static io.xex.matching.TimeInForce.IOC;
import static io.xex.runtime.db.TestDatabase.await;
import static io.xex.runtime.history.Market.TSLAX;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Execution reports through {@link HistoryWriter} and {@link HistoryStore} into a real PostgreSQL and back: the
 * results of one trading session on a real engine, numbered per account as {@link ExecutionReports} orders them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HistoryReportsIT {
    private static final long MAKER = 7;
    private static final long TAKER = 8;
    private static final long STRANGER = 9;
    /** Small, so that the session takes several writes. */
    private static final HistoryConfig CONFIG = new HistoryConfig(6, 40);

    @TempDir
    static Path folder;
    private static TestDatabase database;
    private static HistoryStore store;
    private static List<CommandResult> session;
    private static List<NumberedReport> expected;

    private final List<HistoryWriter> deployed = new ArrayList<>();

    @BeforeAll
    static void start() {
        database = TestDatabase.start(folder.resolve("pg"));
        store = new HistoryStore(database.pool());
        session = tradingSession();
        expected = numbered(session);
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @BeforeEach
    void noHistory() {
        database.query("DROP TRIGGER IF EXISTS refuse_reports ON execution_reports");
        database.query("TRUNCATE orders, trades, balance_movements, execution_reports, history_cursor");
    }

    @AfterEach
    void undeployWriters() {
        for (HistoryWriter writer : deployed) {
            await(database.vertx().undeploy(writer.deploymentID()));
        }
    }

    @Test
    void theSessionHasReportsOfEveryKindForSeveralAccounts() {
        assertEquals(List.of(ExecKind.values()).stream().sorted().toList(),
            expected.stream().map(n -> n.report().kind()).distinct().sorted().toList());
        assertEquals(List.of(MAKER, TAKER, STRANGER),
            expected.stream().map(n -> n.report().accountId()).distinct().sorted().toList());
    }

    @Test
    void eachAccountsReportsAreReadBackNumberedDensely() {
        HistoryWriter writer = deploy();
        writer.accept(session);
        await(writer.caughtUp(last(session)));

        for (long account : List.of(MAKER, TAKER, STRANGER)) {
            List<NumberedReport> read = await(writer.reports(account, 1, 1_000));
            assertEquals(of(account, expected), read);
            for (int i = 0; i < read.size(); i++) {
                assertEquals(i + 1, read.get(i).reportNo(), "dense from 1");
            }
        }
        assertEquals(of(TAKER, expected).subList(2, 5), await(store.reports(TAKER, 3, 3)));
        assertEquals(of(TAKER, expected).subList(4, of(TAKER, expected).size()), await(store.reports(TAKER, 5, 1_000)));
        assertEquals(List.of(), await(store.reports(TAKER, 1_000, 10)));
        assertEquals(List.of(), await(store.reports(42, 1, 10)));
    }

    @Test
    void reportCountsHonourTheSequenceBound() {
        HistoryWriter writer = deploy();
        writer.accept(session);
        await(writer.caughtUp(last(session)));

        for (CommandResult result : session) {
            assertEquals(counts(result.sequence()), await(writer.reportCounts(result.sequence())),
                "at or below " + result.sequence());
        }
        assertEquals(Map.of(), await(store.reportCounts(0)));
        assertEquals(counts(last(session)), await(store.reportCounts(Long.MAX_VALUE)));
    }

    @Test
    void aRestartedWriterContinuesTheNumberingWithoutAGapOrARepeat() {
        for (int cut = 1; cut < session.size(); cut += 5) {
            noHistory();
            HistoryWriter first = deploy();
            first.accept(session.subList(0, cut));
            await(first.caughtUp(session.get(cut - 1).sequence()));
            undeploy(first);

            HistoryWriter second = deploy();
            assertEquals(session.get(cut - 1).sequence(), second.cursor());
            second.accept(session.subList(cut, session.size()));
            await(second.caughtUp(last(session)));
            undeploy(second);

            assertEquals(expectedByAccount(), allReports(), "restarted after " + cut + " results");
        }
    }

    @Test
    void resultsGivenAgainChangeNothing() {
        HistoryWriter writer = deploy();
        writer.accept(session.subList(0, 12));
        writer.accept(session.subList(6, session.size()));
        writer.accept(session);
        await(writer.caughtUp(last(session)));
        await(writer.drained());

        assertEquals(expectedByAccount(), allReports());
    }

    @Test
    void writingTheSameBatchTwiceChangesNothing() {
        await(store.write(List.of(), List.of(), List.of(), expected, last(session)));
        List<String> before = reportTable();

        await(store.write(List.of(), List.of(), List.of(), expected, last(session)));
        List<NumberedReport> different = expected.stream().map(n -> {
            ExecutionReport r = n.report();
            return new NumberedReport(n.reportNo(), new ExecutionReport(r.accountId(), r.sequence(), r.timestampNs(),
                ExecKind.REJECTED, r.orderId(), "other", r.instrumentId(), null, null, null, 1, 1, 1, 0, 0, 0, 0, false,
                999));
        }).toList();
        await(store.write(List.of(), List.of(), List.of(), different, last(session)));

        assertEquals(before, reportTable());
        assertEquals(expectedByAccount(), allReports());
    }

    @Test
    void aFailedWriteIsNumberedAgainFromTheSameCounts() {
        HistoryWriter writer = deploy();
        writer.accept(session.subList(0, 12));
        await(writer.caughtUp(session.get(11).sequence()));
        database.query("DROP SEQUENCE IF EXISTS report_attempts");
        database.query("CREATE SEQUENCE report_attempts");
        database.query("CREATE OR REPLACE FUNCTION refuse_twice() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
            + " IF nextval('report_attempts') <= 2 THEN RAISE EXCEPTION 'refused for the test'; END IF; RETURN NULL;"
            + " END $$");
        database.query("CREATE TRIGGER refuse_reports AFTER INSERT ON execution_reports"
            + " FOR EACH STATEMENT EXECUTE FUNCTION refuse_twice()");

        writer.accept(session.subList(12, session.size()));
        await(writer.caughtUp(last(session)));

        assertTrue(database.query("SELECT last_value FROM report_attempts").getFirst().getLong(0) > 2,
            "two writes failed and were retried");
        assertEquals(expectedByAccount(), allReports());
    }

    @Test
    void caughtUpCompletesOnceTheCursorReachesTheSequence() {
        HistoryWriter writer = deploy();
        long target = session.get(9).sequence();
        Future<Void> caughtUp = writer.caughtUp(target);

        writer.accept(session.subList(0, 9));
        await(writer.drained());
        assertEquals(target - 1, writer.cursor());
        assertFalse(caughtUp.isComplete(), "history is written through " + (target - 1) + " only");

        writer.accept(session.subList(9, 10));
        await(caughtUp);
        assertEquals(target, writer.cursor());
        await(writer.caughtUp(1));
        undeploy(writer);

        HistoryWriter restarted = deploy();
        await(restarted.caughtUp(target));
        Future<Void> later = restarted.caughtUp(last(session));
        restarted.accept(session.subList(10, session.size()));
        await(later);
    }

    /**
     * Two accounts trading, with fills, an IOC remainder, an amend, cancels and refusals, and a third account
     * whose orders are all refused.
     */
    private static List<CommandResult> tradingSession() {
        Market market = new Market();
        List<CommandResult> results = new ArrayList<>(market.fundedAccount(MAKER, 10, 20));
        results.addAll(market.fundedAccount(TAKER, 10, 20));
        results.add(market.apply(new Command.CreateAccount(STRANGER, 10, 20)));
        results.add(market.apply(place(MAKER, "b-1", BUY, GTC, 25_000, 10)));
        results.add(market.apply(place(MAKER, "b-2", BUY, GTC, 24_900, 5)));
        results.add(market.apply(place(TAKER, null, SELL, GTC, 25_000, 4)));
        results.add(market.apply(place(STRANGER, "x-1", BUY, GTC, 25_000, 1)));
        results.add(market.apply(place(TAKER, "s-2", SELL, IOC, 24_900, 20)));
        CommandResult rested = market.apply(place(MAKER, "b-3", BUY, GTC, 24_000, 3));
        results.add(rested);
        results.add(market.apply(new Command.AmendOrder(MAKER, rested.sequence(), null, 24_100, 4)));
        results.add(market.apply(place(TAKER, "s-3", SELL, GTC, 26_000, 2)));
        results.add(market.apply(new Command.CancelOrder(TAKER, 999, null)));
        results.add(market.apply(new Command.CancelOrder(MAKER, 0, "b-3")));
        results.add(market.apply(place(MAKER, "b-4", BUY, GTC, 26_000, 1)));
        results.add(market.apply(new Command.CancelAll(TAKER, Command.CancelAll.ALL_INSTRUMENTS)));
        results.add(market.apply(new Command.CancelOrder(STRANGER, 0, "x-1")));
        results.add(market.apply(place(TAKER, "s-4", SELL, GTC, 25_500, 3)));
        results.add(market.apply(place(MAKER, "b-5", BUY, IOC, 25_600, 5)));
        return results;
    }

    private static Command.PlaceOrder place(long accountId, String clientOrderId, Side side, TimeInForce timeInForce,
                                            long price, long quantity) {
        return new Command.PlaceOrder(accountId, 1, clientOrderId, TSLAX, side, LIMIT, timeInForce, price, quantity, 0);
    }

    /** The reports of {@code results} numbered per account independently of the writer. */
    private static List<NumberedReport> numbered(List<CommandResult> results) {
        Map<Long, Long> counts = new HashMap<>();
        List<NumberedReport> numbered = new ArrayList<>();
        for (CommandResult result : results) {
            ExecutionReports.of(result,
                report -> numbered.add(new NumberedReport(counts.merge(report.accountId(), 1L, Long::sum), report)));
        }
        return numbered;
    }

    private static List<NumberedReport> of(long accountId, List<NumberedReport> reports) {
        return reports.stream().filter(n -> n.report().accountId() == accountId).toList();
    }

    /** Each account's expected number of reports through {@code sequence}, for accounts with any. */
    private static Map<Long, Long> counts(long sequence) {
        Map<Long, Long> counts = new HashMap<>();
        for (NumberedReport numbered : expected) {
            if (numbered.report().sequence() <= sequence) {
                counts.put(numbered.report().accountId(), numbered.reportNo());
            }
        }
        return counts;
    }

    private static long last(List<CommandResult> results) {
        return results.getLast().sequence();
    }

    /** Every written report, account by account, each account's in number order. */
    private static List<NumberedReport> allReports() {
        List<NumberedReport> all = new ArrayList<>();
        for (long account : List.of(MAKER, TAKER, STRANGER)) {
            all.addAll(await(store.reports(account, 1, 1_000)));
        }
        return all;
    }

    /** {@link #expected} as {@link #allReports} lists it. */
    private static List<NumberedReport> expectedByAccount() {
        List<NumberedReport> all = new ArrayList<>();
        for (long account : List.of(MAKER, TAKER, STRANGER)) {
            all.addAll(of(account, expected));
        }
        return all;
    }

    private static List<String> reportTable() {
        return database.query("SELECT r::text FROM execution_reports r ORDER BY account_id, report_no").stream()
            .map(row -> row.getString(0)).toList();
    }

    private HistoryWriter deploy() {
        HistoryWriter writer = new HistoryWriter(store, CONFIG, new SimpleMeterRegistry());
        await(database.vertx().deployVerticle(writer));
        deployed.add(writer);
        return writer;
    }

    private void undeploy(HistoryWriter writer) {
        await(database.vertx().undeploy(writer.deploymentID()));
        deployed.remove(writer);
    }
}
