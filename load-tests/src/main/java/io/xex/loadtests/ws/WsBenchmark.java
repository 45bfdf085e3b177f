package io.xex.loadtests.ws;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.xex.gateway.GatewayComponent;
import io.xex.gateway.GatewayConfig;
import io.xex.gateway.auth.ApiKeyStore;
import io.xex.gateway.ws.GatewayVerticle;
import io.xex.loadtests.Harness;
import io.xex.loadtests.journal.Usage;
import io.xex.loadtests.roundtrip.ClientLoops;
import io.xex.loadtests.roundtrip.Comparison;
import io.xex.loadtests.roundtrip.GatewayVenue;
import io.xex.loadtests.roundtrip.LadderOptions;
import io.xex.loadtests.roundtrip.LoadRun;
import io.xex.runtime.config.JournalConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The order round trip over WebSocket: {@code order.place} through the trader gateway of the whole venue (embedded
 * PostgreSQL with {@code fsync} on, the durable engine, the gateway; an acknowledgement is sent once the order is
 * durable), beside a bare Vert.x WebSocket echo server that answers every frame at once with a frame of the same size
 * ({@link EchoServer}), both measured with the same client harness ({@link OpenLoad}) in one process.
 *
 * <p>For each offered rate of a ladder, first the echo, then xex: fresh connections (logged on with the demo
 * accounts' HMAC keys for xex), requests due at fixed intervals from the start (open model), latency from the due
 * time to the answer (no coordinated omission), HdrHistograms. A server's ladder stops once it is clearly saturated.
 * A rate is <em>sustained</em> when at least 95% of it was achieved (200-answers per second in the measured window),
 * nothing failed or went unanswered, and p99 stayed within {@code --p99-bound-ms} ({@link Comparison}). Reported: the
 * table, each server's highest sustained rate and peak achieved rate, and the goal: xex at least 50% of the
 * echo's throughput (highest sustained rates), with p99 at most 2 × the echo's at equal offered rates.
 *
 * <pre>
 * ./xex bench-ws [--seconds 4] [--warmup 1] [--rates 1000,2000,5000,...] [--connections 6] [--client-threads 2]
 *     [--flow ioc|rest] [--resting 100] [--p99-bound-ms 50] [--prewarm 3] [--tick-us 200] [--drain 30]
 *     [--servers echo,xex] [--dir PARENT]
 * </pre>
 *
 * <p>The venue takes its settings as {@code xex run} does ({@code XEX_*} environment variables), except as
 * {@link GatewayVenue} says: always its own embedded PostgreSQL in a temporary folder (deleted at the end), TSLAx
 * only, free ports, and the gateway's rate limits raised to 1,000,000/s unless set. Runs on the main thread, which only
 * starts runs and waits.
 */
public final class WsBenchmark {
    static final String WS_PATH = GatewayVerticle.WS_PATH;
    static final String DEFAULT_RATES = "1000,2000,5000,10000,15000,20000,25000,30000,40000,50000,75000,100000,125000,"
        + "150000,200000,250000";
    static final int DEFAULT_CONNECTIONS = 6;
    static final int DEFAULT_RESTING = 100;
    static final int ACCOUNTS = 3;
    static final Comparison.Goal GOAL = new Comparison.Goal(0.5, false, 2.0);
    static final Comparison.Labels LABELS = new Comparison.Labels("200-answers", "non-200 answers", "cancels");

    private static final long START_TIMEOUT_SECONDS = 300;
    private static final int SAMPLE_CHARS = 400;
    private static final int MAX_FRAME_BYTES = 16 << 20;

    private final Options options;
    private final AtomicLong logons = new AtomicLong();

    static final LadderOptions.Command COMMAND = new LadderOptions.Command("bench-ws", DEFAULT_RATES,
        "[--connections N (" + DEFAULT_CONNECTIONS + ")] [--flow ioc|rest (ioc)] [--resting N (" + DEFAULT_RESTING
            + ", rest flow: resting orders per connection)]",
        "Venue settings from XEX_* environment variables (xex-defaults.properties); the gateway's rate limits default"
            + " to " + GatewayVenue.RAISED_WS_LIMIT + "/s here.");

    private record Options(LadderOptions ladder, int connections, OrderTexts.Flow flow, int resting) {
        int clientThreads() {
            return ladder.clientThreads();
        }
    }

    private WsBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        Harness.runAndExit(COMMAND.name(), options.ladder().parent(), new WsBenchmark(options)::run);
    }

    private void run(Path dir, Harness.Stops stops) {
        GatewayVenue venue = GatewayVenue.start(dir, ACCOUNTS);
        stops.add(venue::stop);
        GatewayComponent gateway = venue.gateway();
        Usage usage = venue.usage();
        List<ApiKeyStore.Created> keys = venue.demoKeys(ACCOUNTS);
        IntFunction<String> logon = c -> {
            ApiKeyStore.Created key = keys.get(c % keys.size());
            // distinct timestamps: the gateway refuses a signed logon it has seen (replay protection)
            return OrderTexts.logon(Connection.SINGLE_ID, key.keyId(), key.secret(),
                System.currentTimeMillis() - logons.getAndIncrement() % 1_000);
        };

        ClientLoops clientLoops = new ClientLoops(options.clientThreads(), options.connections());
        stops.add(clientLoops::close);
        List<Context> contexts = clientLoops.contexts();
        WebSocketClient client = clientLoops.vertx().createWebSocketClient(new WebSocketClientOptions()
            .setMaxConnections(Math.max(options.connections(), 1) * 2)
            .setMaxFrameSize(MAX_FRAME_BYTES).setMaxMessageSize(MAX_FRAME_BYTES)); // order.cancelAll's answer

        OrderTexts texts = new OrderTexts(options.flow());
        LadderOptions ladder = options.ladder();
        OpenLoad.Settings settings = new OpenLoad.Settings(options.connections(), ladder.timing(), options.resting());
        OpenLoad load = new OpenLoad(client, contexts, texts, settings, usage::sample);

        // One order through the gateway: what an acknowledgement looks like, and its size for the echo.
        String request = texts.place(Connection.SINGLE_ID, 0);
        String ack = probe(client, contexts.getFirst(), gateway.port(), texts, logon.apply(0), request);
        if (Responses.longAfter(ack, Responses.STATUS, 0) != 200) {
            throw new IllegalStateException("the probe order was not acknowledged: " + ack);
        }
        Vertx echoVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        stops.add(echoVertx::close);
        EchoServer echo = new EchoServer(ack.length());
        Harness.await(echoVertx.deployVerticle(echo), START_TIMEOUT_SECONDS);
        String echoAnswer = probe(client, contexts.getFirst(), echo.port(), texts, null, request);

        printHeader(venue, gateway.port(), echo.port(), clientLoops.threadNames(), request, ack, echoAnswer);

        Comparison comparison = new Comparison(LABELS, GOAL, ladder.p99BoundMs());
        if (ladder.prewarmSeconds() > 0) {
            OpenLoad.Settings prewarm = new OpenLoad.Settings(options.connections(), ladder.prewarmTiming(),
                options.resting());
            OpenLoad prewarmLoad = new OpenLoad(client, contexts, texts, prewarm, usage::sample);
            System.out.printf(Locale.ROOT, "pre-warm (JIT): %,d/s for %d s on each server, not reported%n",
                LadderOptions.PREWARM_RATE, ladder.prewarmSeconds());
            if (ladder.echo()) {
                comparison.printStep(prewarmLoad.run(Comparison.ECHO, LadderOptions.PREWARM_RATE, echo.port(), null));
            }
            if (ladder.xex()) {
                comparison.printStep(prewarmLoad.run(Comparison.XEX, LadderOptions.PREWARM_RATE, gateway.port(), logon));
            }
        }

        System.out.printf(Locale.ROOT, "%n== runs: %d s warm-up + %d s measured each, echo then xex at each rate%n",
            ladder.warmupSeconds(), ladder.seconds());
        boolean echoGoing = ladder.echo();
        boolean xexGoing = ladder.xex();
        for (int rate : ladder.rates()) {
            if (echoGoing) {
                venue.quiesce();
                comparison.add(load.run(Comparison.ECHO, rate, echo.port(), null));
                echoGoing = comparison.keepsGoing(Comparison.ECHO);
            }
            if (xexGoing) {
                venue.quiesce();
                comparison.add(load.run(Comparison.XEX, rate, gateway.port(), logon));
                xexGoing = comparison.keepsGoing(Comparison.XEX);
            }
            if (!echoGoing && !xexGoing) {
                break;
            }
        }
        comparison.printTable("order round trip");
        comparison.printDetails();
        System.out.printf(Locale.ROOT, "%n== summary%n");
        comparison.printGoal();
    }

    /** Connects once, logs on when {@code logon} is given, sends {@code request} and returns the answer. */
    private static String probe(WebSocketClient client, Context context, int port, OrderTexts texts, String logon,
                                String request) {
        Connection connection = Harness.await(Connection.open(client, context, port, 0, texts, 0), START_TIMEOUT_SECONDS);
        try {
            if (logon != null) {
                String answer = Harness.await(connection.request(logon), START_TIMEOUT_SECONDS);
                if (Responses.longAfter(answer, Responses.STATUS, 0) != 200) {
                    throw new IllegalStateException("logon refused: " + answer);
                }
            }
            return Harness.await(connection.request(request), START_TIMEOUT_SECONDS);
        } finally {
            LoadRun.close(List.of(connection));
        }
    }

    // --- Report -----------------------------------------------------------------------------------------------------

    private void printHeader(GatewayVenue venue, int gatewayPort, int echoPort, List<String> clientThreads, String request, String ack,
                             String echoAnswer) {
        GatewayConfig gateway = venue.gatewayConfig();
        JournalConfig journal = venue.journalConfig();
        System.out.println();
        System.out.println("== xex WebSocket order round trip benchmark");
        venue.printMachine();
        System.out.printf(Locale.ROOT, "xex: ws://%s:%d%s, the venue as xex run starts it (Micrometer metrics on);"
                + " journal.batch.max=%d journal.pending.max=%d db.pool.size=%s; gateway limits %d orders/s per account,"
                + " %d requests/s per address%n", GatewayVenue.LOOPBACK, gatewayPort, WS_PATH, journal.maxBatch(),
            journal.maxPending(), venue.config().string("db.pool.size"), gateway.ordersPerSecond(),
            gateway.requestsPerSecondPerIp());
        System.out.printf(Locale.ROOT, "echo: ws://%s:%d%s, one verticle on its own Vert.x (no metrics), answers each text"
            + " frame with %d bytes, the size of the order acknowledgement below%n", GatewayVenue.LOOPBACK, echoPort,
            WS_PATH, ack.length());
        System.out.printf(Locale.ROOT, "client: its own Vert.x, %d event loops (%s), %d connections, connection c logged"
                + " on as demo account c %% %d + 1 (xex only); flow %s: %s%n", options.clientThreads(),
            String.join(", ", clientThreads), options.connections(), ACCOUNTS, options.flow().name().toLowerCase(Locale.ROOT),
            flowText());
        System.out.printf(Locale.ROOT, "method: open model, request i due at t0 + i/rate on connection i %% %d, a generator"
                + " thread (tick %d us) has each connection send all that is due; latency = answer - due time; %d s warm-up"
                + " + %d s measured per run, fresh connections per run, after the venue went idle; sustained ="
                + " achieved >= %.0f%% of offered, no errors, p99 <= %d ms%n", options.connections(), options.ladder().tickUs(),
            options.ladder().warmupSeconds(), options.ladder().seconds(), Comparison.SUSTAINED_SHARE * 100,
            options.ladder().p99BoundMs());
        System.out.println("request: " + clip(request));
        System.out.println("order ack (" + ack.length() + " chars): " + clip(ack));
        System.out.println("echo answer (" + echoAnswer.length() + " chars): " + clip(echoAnswer));
        System.out.println();
    }

    private String flowText() {
        return options.flow() == OrderTexts.Flow.IOC
            ? "LIMIT IOC 0.100 TSLAx/USDT, BUY and SELL in turn, bids 419.00-419.99, asks 420.01-421.00 (reference 420.00):"
            + " nothing rests, every order expires unfilled"
            : "LIMIT GTC 0.100 TSLAx/USDT, BUY and SELL in turn, bids 419.00-419.99, asks 420.01-421.00 (reference 420.00):"
            + " every order rests; once a connection has placed " + options.resting() + ", each order is followed by"
            + " a cancel of the one placed " + options.resting() + " before it (by clientOrderId; cancels are extra"
            + " requests, not in the offered rate)";
    }

    private static String clip(String text) {
        return text.length() > SAMPLE_CHARS ? text.substring(0, SAMPLE_CHARS) + "..." : text;
    }

    private static Options parse(String[] args) {
        int[] connections = {DEFAULT_CONNECTIONS};
        int[] resting = {DEFAULT_RESTING};
        OrderTexts.Flow[] flow = {OrderTexts.Flow.IOC};
        LadderOptions ladder = LadderOptions.parse(COMMAND, args, (option, value) -> {
            switch (option) {
                case "--connections" -> connections[0] = LadderOptions.count(option, value, 1);
                case "--resting" -> resting[0] = LadderOptions.count(option, value, 1);
                case "--flow" -> flow[0] = switch (value.toLowerCase(Locale.ROOT)) {
                    case "ioc" -> OrderTexts.Flow.IOC;
                    case "rest" -> OrderTexts.Flow.REST;
                    default -> throw new IllegalArgumentException("--flow takes ioc or rest, got " + value);
                };
                default -> {
                    return false;
                }
            }
            return true;
        });
        // Open orders per account are capped (engine.maxOpenOrdersPerAccount, 1000 by default).
        int perAccount = (connections[0] + ACCOUNTS - 1) / ACCOUNTS;
        if (flow[0] == OrderTexts.Flow.REST && (long) resting[0] * perAccount > 900) {
            COMMAND.exit("--resting x connections per account must stay below the 1000 open orders an account may have");
        }
        return new Options(ladder, connections[0], flow[0], resting[0]);
    }
}
