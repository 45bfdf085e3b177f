package io.xex.loadtests.binary;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.xex.gateway.auth.ApiKeyStore;
import io.xex.gateway.binary.BinaryConfig;
import io.xex.loadtests.Harness;
import io.xex.loadtests.roundtrip.ClientLoops;
import io.xex.loadtests.roundtrip.Comparison;
import io.xex.loadtests.roundtrip.GatewayVenue;
import io.xex.loadtests.roundtrip.LadderOptions;
import io.xex.protocol.Framing;
import io.xex.protocol.client.BinaryClient;
import io.xex.protocol.client.BinaryClientConfig;
import io.xex.protocol.client.BinaryListener;
import io.xex.protocol.sbe.BusinessRejectDecoder;
import io.xex.protocol.sbe.ExecType;
import io.xex.protocol.sbe.ExecutionReportDecoder;
import io.xex.protocol.sbe.MessageHeaderDecoder;
import io.xex.protocol.sbe.NewOrderEncoder;
import io.xex.protocol.sbe.OrdType;
import io.xex.protocol.sbe.Side;
import io.xex.protocol.sbe.TimeInForce;
import io.xex.runtime.config.JournalConfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The binary order-entry round trip: a NewOrder through the binary gateway of the whole venue (embedded PostgreSQL
 * with {@code fsync} on, the durable engine; the ExecutionReport NEW is sent once the order is durable) to its
 * ExecutionReport NEW, with the project's client library ({@link ClientSession}), beside a bare Vert.x TCP echo server
 * that answers every NewOrder frame at once with ExecutionReport frames ({@link BinaryEchoServer}), driven by the same
 * harness ({@link BinaryLoad}, raw connections for the echo: {@link RawSession}) in one process.
 *
 * <p>For each number of sessions ({@code --sessions}, one demo account each) a rate ladder: at each offered rate
 * first the echo, then xex, on fresh sessions, orders due at fixed intervals from the start (open model, order
 * {@code i} on session {@code i % sessions}), latency from the due time to the NEW report (no coordinated omission),
 * HdrHistograms; a server's ladder stops once it is saturated ({@link Comparison}). Reported per number of sessions:
 * the table, where the CPU went, each server's highest sustained and peak achieved rate, and the goal: xex at
 * least 70% of the echo's throughput (peak achieved), with p99 at most 1.5 × the echo's at equal offered rates where
 * both sustain.
 *
 * <pre>
 * ./xex bench-binary [--sessions 1,4] [--seconds 4] [--warmup 1] [--rates 1000,2000,5000,...] [--client-threads 2]
 *     [--batching on|off] [--echo-answers 1] [--p99-bound-ms 50] [--prewarm 3] [--tick-us 200] [--drain 30]
 *     [--servers echo,xex] [--dir PARENT]
 * </pre>
 *
 * <p>The venue takes its settings as {@code xex run} does ({@code XEX_*} environment variables), except as
 * {@link GatewayVenue} says: always its own embedded PostgreSQL in a temporary folder (deleted at the end), TSLAx only,
 * free ports, one demo account per session, and the binary gateway's message rate per session raised to
 * 10,000,000/s unless set ({@code XEX_BINARY_MESSAGESPERSECOND}). Runs on the main thread, which only starts runs and
 * waits.
 */
public final class BinaryBenchmark {
    static final String DEFAULT_RATES = "1000,2000,5000,10000,20000,30000,40000,50000,75000,100000,150000,200000,"
        + "300000,400000";
    static final String DEFAULT_SESSIONS = "1,4";
    static final int MAX_SESSIONS = 100;
    static final String SYMBOL = "TSLAx";
    static final Comparison.Goal GOAL = new Comparison.Goal(0.7, true, 1.5);
    static final Comparison.Labels LABELS = new Comparison.Labels("NEW reports", "rejects", "extra requests");
    static final LadderOptions.Command COMMAND = new LadderOptions.Command("bench-binary", DEFAULT_RATES,
        "[--sessions N,N.. (" + DEFAULT_SESSIONS + ", one ladder each)] [--batching on|off (off: a write per order)]"
            + " [--echo-answers N (1: ExecutionReport frames per NewOrder from the echo)]",
        "Venue settings from XEX_* environment variables (xex-defaults.properties); the binary gateway's message rate"
            + " per session defaults to " + GatewayVenue.RAISED_BINARY_LIMIT + "/s here.");

    private static final long TIMEOUT_SECONDS = 300;
    private static final int NEW_ORDER_FRAME_LENGTH = Framing.HEADER_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH
        + NewOrderEncoder.BLOCK_LENGTH;

    private final Options options;
    private GatewayVenue venue;
    private ClientLoops clientLoops;

    private record Options(LadderOptions ladder, List<Integer> sessions, boolean batching, int echoAnswers) {
        int maxSessions() {
            return sessions.getLast();
        }
    }

    private BinaryBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        Harness.runAndExit(COMMAND.name(), options.ladder().parent(), new BinaryBenchmark(options)::run);
    }

    private void run(Path dir, Harness.Stops stops) {
        LadderOptions ladder = options.ladder();
        venue = GatewayVenue.start(dir, options.maxSessions());
        stops.add(venue::stop);
        List<ApiKeyStore.Created> keys = venue.demoKeys(options.maxSessions());
        int securityId = venue.instrumentId(SYMBOL);
        int port = venue.gateway().binaryPort();
        clientLoops = new ClientLoops(ladder.clientThreads(), options.maxSessions());
        stops.add(clientLoops::close);

        List<String> probe = probe(clientLoops.contexts().getFirst(), port, keys.getFirst(), securityId);
        Vertx echoVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        stops.add(echoVertx::close);
        BinaryEchoServer echo = new BinaryEchoServer(options.echoAnswers());
        Harness.await(echoVertx.deployVerticle(echo), TIMEOUT_SECONDS);
        printHeader(port, echo.port(), securityId, probe);

        BinaryLoad load = new BinaryLoad(clientLoops, keys, securityId, options.batching(), venue.usage()::sample);
        Map<Integer, Comparison> comparisons = new LinkedHashMap<>();
        for (int sessions : options.sessions()) {
            comparisons.put(sessions, new Comparison(LABELS, GOAL, ladder.p99BoundMs()));
        }
        if (ladder.prewarmSeconds() > 0) {
            Comparison any = comparisons.values().iterator().next();
            System.out.printf(Locale.ROOT, "pre-warm (JIT): %,d/s for %d s on each server over %d sessions, not"
                + " reported%n", LadderOptions.PREWARM_RATE, ladder.prewarmSeconds(), options.maxSessions());
            if (ladder.echo()) {
                any.printStep(load.run(Comparison.ECHO, LadderOptions.PREWARM_RATE, echo.port(), options.maxSessions(),
                    ladder.prewarmTiming()));
            }
            if (ladder.xex()) {
                any.printStep(load.run(Comparison.XEX, LadderOptions.PREWARM_RATE, port, options.maxSessions(),
                    ladder.prewarmTiming()));
            }
        }

        comparisons.forEach((sessions, comparison) -> {
            System.out.printf(Locale.ROOT, "%n== %s: runs of %d s warm-up + %d s measured, echo then xex at each rate%n",
                sessionsText(sessions), ladder.warmupSeconds(), ladder.seconds());
            boolean echoGoing = ladder.echo();
            boolean xexGoing = ladder.xex();
            for (int rate : ladder.rates()) {
                if (echoGoing) {
                    venue.quiesce();
                    comparison.add(load.run(Comparison.ECHO, rate, echo.port(), sessions, ladder.timing()));
                    echoGoing = comparison.keepsGoing(Comparison.ECHO);
                }
                if (xexGoing) {
                    venue.quiesce();
                    comparison.add(load.run(Comparison.XEX, rate, port, sessions, ladder.timing()));
                    xexGoing = comparison.keepsGoing(Comparison.XEX);
                }
                if (!echoGoing && !xexGoing) {
                    break;
                }
            }
        });

        comparisons.forEach((sessions, comparison) -> {
            comparison.printTable("NewOrder to ExecutionReport NEW, " + sessionsText(sessions));
            comparison.printDetails();
        });
        System.out.printf(Locale.ROOT, "%n== summary%n");
        List<String> verdicts = new ArrayList<>();
        comparisons.forEach((sessions, comparison) -> {
            System.out.printf(Locale.ROOT, "-- %s%n", sessionsText(sessions));
            Comparison.Verdict v = comparison.printGoal();
            verdicts.add(String.format(Locale.ROOT, "%s: throughput %s, p99 %s", sessionsText(sessions),
                v.throughputMet() == null ? "not measured" : String.format(Locale.ROOT, "%s%.1f%% of the echo's (%s)",
                    v.echoSaturated() ? "" : "at most ", 100 * v.share(), v.throughputMet() ? "met" : "NOT met"),
                v.p99Met() == null ? "not measured" : String.format(Locale.ROOT, "up to %.2f x the echo's at %d rates (%s)",
                    v.worstP99Ratio(), v.compared(), v.p99Met() ? "met" : "NOT met")));
        });
        System.out.printf(Locale.ROOT, "%ngoal (xex >= %.0f%% of the echo's peak throughput, p99 <= %.1f x the echo's where"
            + " both sustain):%n", GOAL.throughputShare() * 100, GOAL.p99Factor());
        verdicts.forEach(line -> System.out.println("  " + line));
    }

    private static String sessionsText(int sessions) {
        return sessions == 1 ? "1 session" : sessions + " sessions";
    }

    // --- Probe ------------------------------------------------------------------------------------------------------

    /** Collects the execution reports of the probe order: its NEW and its end. */
    private static final class ProbeListener implements BinaryListener {
        final Promise<List<String>> reports = Promise.promise();
        final List<String> seen = new ArrayList<>();

        @Override
        public void onExecutionReport(ExecutionReportDecoder r) {
            int frameLength = Framing.HEADER_LENGTH + MessageHeaderDecoder.ENCODED_LENGTH + r.encodedLength();
            ExecType type = r.execType();
            seen.add(String.format(Locale.ROOT, "ExecutionReport (%d bytes) seqNo %d %s/%s orderId %d clOrdId %s %s %s %s"
                    + " price %d orderQty %d leavesQty %d reason %d", frameLength, r.seqNo(), type, r.ordStatus(),
                r.orderId(), r.clOrdId().trim(), r.side(), r.ordType(), r.timeInForce(), r.price(), r.orderQty(),
                r.leavesQty(), r.reason()));
            if (type != ExecType.NEW) {
                reports.tryComplete(List.copyOf(seen));
            }
        }

        @Override
        public void onBusinessReject(BusinessRejectDecoder reject) {
            reports.tryFail("the probe order was refused: BusinessReject " + reject.errorCode());
        }
    }

    /**
     * One order through the gateway before the ladder, with the client library on demo account 1: the reports that
     * answer it, as text (so the header shows what xex sends for each order, and the gateway is known to work).
     */
    private static List<String> probe(Context context, int port, ApiKeyStore.Created key, int securityId) {
        ProbeListener listener = new ProbeListener();
        BinaryClientConfig config = BinaryClientConfig.of(GatewayVenue.LOOPBACK, port, BinaryLoad.uuid(0, 0), key.keyId(),
            key.secret().getBytes(StandardCharsets.UTF_8)).withCancelOnDisconnect(false, 0);
        Promise<BinaryClient> created = Promise.promise();
        context.runOnContext(v -> created.complete(new BinaryClient(context.owner(), config, listener)));
        BinaryClient client = Harness.await(created.future(), TIMEOUT_SECONDS);
        try {
            Harness.await(client.connect(), TIMEOUT_SECONDS);
            context.runOnContext(v -> {
                if (!client.newOrder("probe-1", securityId, Side.BUY, OrdType.LIMIT, TimeInForce.IOC,
                    OrderSession.REFERENCE_TICKS - 1, OrderSession.QUANTITY_LOTS, 0)) {
                    listener.reports.tryFail("the probe order could not be sent");
                }
            });
            return Harness.await(listener.reports.future(), TIMEOUT_SECONDS);
        } finally {
            Harness.await(client.terminate().eventually(client::close), TIMEOUT_SECONDS);
        }
    }

    // --- Report -----------------------------------------------------------------------------------------------------

    private void printHeader(int port, int echoPort, int securityId, List<String> probe) {
        LadderOptions ladder = options.ladder();
        BinaryConfig binary = venue.binaryConfig();
        JournalConfig journal = venue.journalConfig();
        System.out.println();
        System.out.println("== xex binary order-entry round trip benchmark");
        venue.printMachine();
        System.out.printf(Locale.ROOT, "xex: tcp://%s:%d, the binary gateway of the venue as xex run starts it (Micrometer"
                + " metrics on); binary.messagesPerSecond=%d binary.dedupOrders=%d binary.reportsInMemory=%d"
                + " journal.batch.max=%d journal.pending.max=%d db.pool.size=%s%n", GatewayVenue.LOOPBACK, port,
            binary.messagesPerSecond(), binary.dedupOrders(), binary.reportsInMemory(), journal.maxBatch(),
            journal.maxPending(), venue.config().string("db.pool.size"));
        System.out.printf(Locale.ROOT, "echo: tcp://%s:%d, one verticle on its own Vert.x (no metrics, no session layer),"
                + " answers each NewOrder frame at once with %d ExecutionReport frame%s of %d bytes (NEW%s), the answers to"
                + " one received chunk in one write%n", GatewayVenue.LOOPBACK, echoPort, options.echoAnswers(),
            options.echoAnswers() == 1 ? "" : "s", BinaryEchoServer.REPORT_FRAME_LENGTH,
            options.echoAnswers() == 1 ? "" : ", then EXPIRED");
        System.out.printf(Locale.ROOT, "client: its own Vert.x, %d event loops (%s); session c on its own context (event"
                + " loop c %% %d); xex: the client library's BinaryClient, a new session per run (Negotiate, Establish;"
                + " Terminate at the end) of demo account c + 1, cancel-on-disconnect off; echo: a raw NetClient sending"
                + " the same frames; batching %s%n", ladder.clientThreads(), String.join(", ", clientLoops.threadNames()),
            ladder.clientThreads(), options.batching() ? "on (a write per sending turn)" : "off (a write per order)");
        System.out.printf(Locale.ROOT, "flow: NewOrder (%d bytes) LIMIT IOC %d lots (0.100) %s (securityId %d), BUY and"
                + " SELL in turn, bids %d-%d ticks, asks %d-%d (reference %d): nothing rests or trades, every order is"
                + " NEW then EXPIRED; clOrdId <run>-<order number>%n", NEW_ORDER_FRAME_LENGTH, OrderSession.QUANTITY_LOTS,
            SYMBOL, securityId, OrderSession.REFERENCE_TICKS - OrderSession.PRICE_STEPS, OrderSession.REFERENCE_TICKS - 1,
            OrderSession.REFERENCE_TICKS + 1, OrderSession.REFERENCE_TICKS + OrderSession.PRICE_STEPS,
            OrderSession.REFERENCE_TICKS);
        System.out.printf(Locale.ROOT, "method: open model, order i due at t0 + i/rate on session i %% sessions, a"
                + " generator thread (tick %d us) has each session send all that is due; latency = ExecutionReport NEW -"
                + " due time; %d s warm-up + %d s measured per run, fresh sessions per run, after the venue went idle;"
                + " sustained = achieved >= %.0f%% of offered, no errors, p99 <= %d ms%n", ladder.tickUs(),
            ladder.warmupSeconds(), ladder.seconds(), Comparison.SUSTAINED_SHARE * 100, ladder.p99BoundMs());
        System.out.println("probe: xex answered one NewOrder with:");
        probe.forEach(line -> System.out.println("  " + line));
        System.out.println();
    }

    private static Options parse(String[] args) {
        List<List<Integer>> sessions = new ArrayList<>(List.of(LadderOptions.counts("--sessions", DEFAULT_SESSIONS, 1)));
        boolean[] batching = {false};
        int[] echoAnswers = {1};
        LadderOptions ladder = LadderOptions.parse(COMMAND, args, (option, value) -> {
            switch (option) {
                case "--sessions" -> sessions.set(0, LadderOptions.counts(option, value, 1));
                case "--echo-answers" -> echoAnswers[0] = LadderOptions.count(option, value, 1);
                case "--batching" -> batching[0] = switch (value.toLowerCase(Locale.ROOT)) {
                    case "on" -> true;
                    case "off" -> false;
                    default -> throw new IllegalArgumentException("--batching takes on or off, got " + value);
                };
                default -> {
                    return false;
                }
            }
            return true;
        });
        List<Integer> sessionList = sessions.getFirst().stream().distinct().toList();
        if (sessionList.getLast() > MAX_SESSIONS) {
            COMMAND.exit("--sessions: at most " + MAX_SESSIONS + " sessions");
        }
        return new Options(ladder, sessionList, batching[0], echoAnswers[0]);
    }
}
