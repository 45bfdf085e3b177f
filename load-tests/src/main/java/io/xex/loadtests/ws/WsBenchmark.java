package io.xex.loadtests.ws;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.sqlclient.Row;
import io.xex.gateway.GatewayComponent;
import io.xex.gateway.GatewayConfig;
import io.xex.gateway.binary.BinaryConfig;
import io.xex.gateway.auth.ApiKeyStore;
import io.xex.gateway.ws.GatewayVerticle;
import io.xex.loadtests.Harness;
import io.xex.loadtests.journal.Usage;
import io.xex.runtime.Venue;
import io.xex.runtime.VenueComponent;
import io.xex.runtime.config.ConfigException;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.config.JournalConfig;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.stream.Stream;

/**
 * The order round trip over WebSocket: {@code order.place} through the trader gateway of the whole venue (embedded
 * PostgreSQL with {@code fsync} on, the durable engine, the gateway; an acknowledgement is sent once the order is
 * durable), beside a bare Vert.x WebSocket echo server that answers every frame at once with a frame of the same size
 * ({@link EchoServer}), both measured with the same client harness ({@link OpenLoad}) in one process.
 *
 * <p>For each offered rate of a ladder, first the echo, then xex: fresh connections (logged on with the demo
 * accounts' HMAC keys for xex), requests due at fixed intervals from the start (open model), latency from the due
 * time to the answer (no coordinated omission), HdrHistograms. A server's ladder stops once it is clearly saturated.
 * A rate is <em>sustained</em> when at least {@value #SUSTAINED_SHARE} of it was achieved (200-answers per second in
 * the measured window), nothing failed or went unanswered, and p99 stayed within {@code --p99-bound-ms}. Reported:
 * the table, each server's highest sustained rate and peak achieved rate, and the goal: xex at least
 * {@value #GOAL_THROUGHPUT_SHARE} of the echo's throughput, with p99 at most {@value #GOAL_P99_FACTOR} × the echo's at
 * equal offered rates.
 *
 * <pre>
 * ./xex bench-ws [--seconds 4] [--warmup 1] [--rates 1000,2000,5000,...] [--connections 6] [--client-threads 2]
 *     [--flow ioc|rest] [--resting 100] [--p99-bound-ms 50] [--prewarm 3] [--tick-us 200] [--drain 30]
 *     [--servers echo,xex] [--dir PARENT]
 * </pre>
 *
 * <p>The venue takes its settings as {@code xex run} does ({@code XEX_*} environment variables), except: always its
 * own embedded PostgreSQL in a temporary folder (deleted at the end), TSLAx only, free ports, and the gateway's rate
 * limits raised to 1,000,000/s unless set ({@code XEX_GATEWAY_LIMITS_ORDERSPERSECOND},
 * {@code XEX_GATEWAY_LIMITS_REQUESTSPERSECONDPERIP}). Runs on the main thread, which only starts runs and waits.
 */
public final class WsBenchmark {
    static final String LOOPBACK = "127.0.0.1";
    static final String WS_PATH = GatewayVerticle.WS_PATH;
    static final int DEFAULT_SECONDS = 4;
    static final int DEFAULT_WARMUP_SECONDS = 1;
    static final String DEFAULT_RATES = "1000,2000,5000,10000,15000,20000,25000,30000,40000,50000,75000,100000,125000,"
        + "150000,200000,250000";
    static final int DEFAULT_CONNECTIONS = 6;
    static final int DEFAULT_CLIENT_THREADS = 2;
    static final int DEFAULT_RESTING = 100;
    static final int DEFAULT_P99_BOUND_MS = 50;
    static final int DEFAULT_PREWARM_SECONDS = 3;
    static final int PREWARM_RATE = 5_000;
    static final int DEFAULT_TICK_US = 200;
    static final int DEFAULT_DRAIN_SECONDS = 30;
    static final int ACCOUNTS = 3;
    static final double SUSTAINED_SHARE = 0.95;
    /** A server whose achieved rate falls below this share of the offered is saturated: its ladder stops. */
    static final double SATURATED_SHARE = 0.90;
    static final double GOAL_THROUGHPUT_SHARE = 0.5;
    static final double GOAL_P99_FACTOR = 2.0;
    static final String ECHO = "echo";
    static final String XEX = "xex";
    static final String RAISED_LIMIT = "1000000";

    private static final long START_TIMEOUT_SECONDS = 300;
    private static final String CPU_HEADER = "busy  jvm   pg kern other (cpus)";
    private static final double OTHER_CPUS_WARNING = 0.15;
    private static final int BUSIEST_THREADS = 6;
    private static final int SAMPLE_CHARS = 400;
    private static final int QUIESCE_MAX_SECONDS = 30;
    private static final int MAX_FRAME_BYTES = 16 << 20;
    private static final int IDLE_SAMPLE_MS = 300;
    private static final double IDLE_JVM_CPUS = 0.10;
    private static final double IDLE_PG_CPUS = 0.05;
    private static final String CLIENT_THREAD_PREFIX = "ws-client-eventloop-";

    private final Options options;
    private final List<OpenLoad.Result> echoResults = new ArrayList<>();
    private final List<OpenLoad.Result> xexResults = new ArrayList<>();
    private final AtomicLong logons = new AtomicLong();
    private Venue venue;
    private Vertx clientVertx;
    private Vertx echoVertx;
    private double maxOtherCpus;

    private record Options(int seconds, int warmupSeconds, List<Integer> rates, int connections, int clientThreads,
                           OrderTexts.Flow flow, int resting, int p99BoundMs, int prewarmSeconds, int tickUs,
                           int drainSeconds, boolean echo, boolean xex, Path parent) {
    }

    /** Not a gateway: hands the benchmark what the venue gives its components (the meter registry, the database). */
    private static final class Services implements VenueComponent {
        VenueComponent.Services services;

        @Override
        public Future<Void> start(VenueComponent.Services services) {
            this.services = services;
            return Future.succeededFuture();
        }

        @Override
        public Future<Void> stop() {
            return Future.succeededFuture();
        }

        @Override
        public List<String> describe() {
            return List.of();
        }
    }

    /** A verticle whose only use is its event-loop context, for a client connection. */
    private static final class ClientVerticle extends VerticleBase {
        Context context() {
            return context;
        }
    }

    private WsBenchmark(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        Path dir = Files.createTempDirectory(options.parent(), "xex-bench-ws-");
        WsBenchmark benchmark = new WsBenchmark(options);
        int status = 0;
        try {
            benchmark.run(dir);
        } catch (ConfigException e) {
            System.err.println("bench-ws: configuration: " + e.getMessage());
            status = 2;
        } catch (Exception | Error e) {
            System.err.println("bench-ws: failed: " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            benchmark.close();
            Harness.deleteRecursively(dir);
        }
        System.exit(status); // the embedded PostgreSQL library's threads must not keep the JVM up
    }

    private void run(Path dir) throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (env.getOrDefault("XEX_DB_URL", "").isEmpty()) {
            env.remove("XEX_DB_URL");
        } else {
            System.out.println("note: XEX_DB_URL is ignored; the benchmark always starts its own embedded PostgreSQL");
            env.put("XEX_DB_URL", "");
        }
        Path pgDir = dir.resolve("postgres");
        env.put("XEX_DB_EMBEDDED_DIR", pgDir.toString());
        env.put("XEX_DB_EMBEDDED_PORT", "0");
        env.put("XEX_OPS_PORT", "0");
        env.put("XEX_INSTRUMENTS", "TSLAx");
        env.put("XEX_GATEWAY_HOST", LOOPBACK);
        env.put("XEX_GATEWAY_PORT", "0");
        env.put("XEX_BINARY_PORT", "0");
        env.put("XEX_GATEWAY_DEMO_ACCOUNTS", Integer.toString(ACCOUNTS));
        env.putIfAbsent("XEX_GATEWAY_LIMITS_ORDERSPERSECOND", RAISED_LIMIT);
        env.putIfAbsent("XEX_GATEWAY_LIMITS_REQUESTSPERSECONDPERIP", RAISED_LIMIT);
        ConfigSource config = ConfigSource.load(null, env);
        GatewayConfig gatewayConfig = GatewayConfig.from(config);
        JournalConfig journalConfig = JournalConfig.from(config);
        GatewayComponent gateway = new GatewayComponent(gatewayConfig, BinaryConfig.from(config), System::currentTimeMillis);
        Services services = new Services();
        System.out.println("starting the venue (embedded PostgreSQL in " + pgDir + ")...");
        venue = Harness.await(Venue.start(config, List.of(gateway, services)), START_TIMEOUT_SECONDS);
        Usage usage = new Usage(postmasterPid(pgDir), services.services.registry());

        List<ApiKeyStore.Created> keys = new ArrayList<>();
        for (long account = 1; account <= ACCOUNTS; account++) {
            keys.add(Harness.await(gateway.keys().hmacKeysOf(account), START_TIMEOUT_SECONDS).getFirst());
        }
        IntFunction<String> logon = c -> {
            ApiKeyStore.Created key = keys.get(c % keys.size());
            // distinct timestamps: the gateway refuses a signed logon it has seen (replay protection)
            return OrderTexts.logon(Connection.SINGLE_ID, key.keyId(), key.secret(),
                System.currentTimeMillis() - logons.getAndIncrement() % 1_000);
        };

        clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(options.clientThreads()));
        List<Context> contexts = new ArrayList<>();
        for (int c = 0; c < options.connections(); c++) {
            ClientVerticle verticle = new ClientVerticle(); // each deployment its own context, event loops in turn
            Harness.await(clientVertx.deployVerticle(verticle), START_TIMEOUT_SECONDS);
            contexts.add(verticle.context());
        }
        List<String> clientThreads = renameClientThreads(contexts);
        WebSocketClient client = clientVertx.createWebSocketClient(new WebSocketClientOptions()
            .setMaxConnections(Math.max(options.connections(), 1) * 2)
            .setMaxFrameSize(MAX_FRAME_BYTES).setMaxMessageSize(MAX_FRAME_BYTES)); // order.cancelAll's answer

        OrderTexts texts = new OrderTexts(options.flow());
        OpenLoad.Settings settings = new OpenLoad.Settings(options.connections(),
            TimeUnit.SECONDS.toNanos(options.warmupSeconds()), TimeUnit.SECONDS.toNanos(options.seconds()),
            TimeUnit.MICROSECONDS.toNanos(options.tickUs()), TimeUnit.SECONDS.toNanos(options.drainSeconds()),
            options.resting());
        OpenLoad load = new OpenLoad(client, contexts, texts, settings, usage::sample);

        // One order through the gateway: what an acknowledgement looks like, and its size for the echo.
        String request = texts.place(Connection.SINGLE_ID, 0);
        String ack = probe(client, contexts.getFirst(), gateway.port(), texts, logon.apply(0), request);
        if (Responses.longAfter(ack, Responses.STATUS, 0) != 200) {
            throw new IllegalStateException("the probe order was not acknowledged: " + ack);
        }
        echoVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        EchoServer echo = new EchoServer(ack.length());
        Harness.await(echoVertx.deployVerticle(echo), START_TIMEOUT_SECONDS);
        String echoAnswer = probe(client, contexts.getFirst(), echo.port(), texts, null, request);

        printHeader(config, gatewayConfig, journalConfig, services.services, gateway.port(), echo.port(), clientThreads,
            request, ack, echoAnswer);

        if (options.prewarmSeconds() > 0) {
            OpenLoad.Settings prewarm = new OpenLoad.Settings(options.connections(),
                TimeUnit.SECONDS.toNanos(Math.max(0, options.prewarmSeconds() - 1)), TimeUnit.SECONDS.toNanos(1),
                settings.tickNs(), settings.drainNs(), options.resting());
            OpenLoad prewarmLoad = new OpenLoad(client, contexts, texts, prewarm, usage::sample);
            System.out.printf(Locale.ROOT, "pre-warm (JIT): %,d/s for %d s on each server, not reported%n", PREWARM_RATE,
                options.prewarmSeconds());
            if (options.echo()) {
                printStep(prewarmLoad.run(ECHO, PREWARM_RATE, echo.port(), null));
            }
            if (options.xex()) {
                printStep(prewarmLoad.run(XEX, PREWARM_RATE, gateway.port(), logon));
            }
        }

        System.out.printf(Locale.ROOT, "%n== runs: %d s warm-up + %d s measured each, echo then xex at each rate%n",
            options.warmupSeconds(), options.seconds());
        boolean echoGoing = options.echo();
        boolean xexGoing = options.xex();
        for (int rate : options.rates()) {
            if (echoGoing) {
                quiesce(usage);
                echoResults.add(load.run(ECHO, rate, echo.port(), null));
                printStep(echoResults.getLast());
                echoGoing = keepsGoing(echoResults);
            }
            if (xexGoing) {
                quiesce(usage);
                xexResults.add(load.run(XEX, rate, gateway.port(), logon));
                printStep(xexResults.getLast());
                xexGoing = keepsGoing(xexResults);
            }
            if (!echoGoing && !xexGoing) {
                break;
            }
        }
        printTable();
        printXexDetails();
        printGoal();
    }

    /**
     * Waits until the venue is idle again: a run ends when every order is acknowledged, but history, autovacuum and
     * the JIT may still be working off the last one, and would run into the next (the echo's, too). Idle: this JVM
     * below {@value #IDLE_JVM_CPUS} CPUs and PostgreSQL below {@value #IDLE_PG_CPUS} over {@value #IDLE_SAMPLE_MS} ms;
     * at most {@value #QUIESCE_MAX_SECONDS} s.
     */
    private static void quiesce(Usage usage) {
        long startNs = System.nanoTime();
        long deadlineNs = startNs + TimeUnit.SECONDS.toNanos(QUIESCE_MAX_SECONDS);
        Usage.Between last = null;
        while (System.nanoTime() < deadlineNs) {
            Usage.Sample before = usage.sample();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(IDLE_SAMPLE_MS));
            last = new Usage.Between(before, usage.sample());
            if (last.jvmCpus() < IDLE_JVM_CPUS && last.postgresCpus() < IDLE_PG_CPUS) {
                break;
            }
        }
        long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs);
        if (waitedMs > 2 * IDLE_SAMPLE_MS && last != null) {
            System.out.printf(Locale.ROOT, "     (waited %.1f s for the venue to go idle; last: jvm %.2f, pg %.2f cpus)%n",
                waitedMs / 1e3, last.jvmCpus(), last.postgresCpus());
        }
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
            OpenLoad.close(List.of(connection));
        }
    }

    /**
     * Goes on while the last run was not clearly saturated: it achieved at least {@value #SATURATED_SHARE} of the
     * offered rate and every request was answered within the drain time. A p99 over the bound alone does not stop
     * the ladder: on a shared machine a stall of another process can cause it at any rate.
     */
    private static boolean keepsGoing(List<OpenLoad.Result> results) {
        OpenLoad.Result last = results.getLast();
        return last.achievedShare() >= SATURATED_SHARE && last.unanswered() == 0;
    }

    private boolean sustained(OpenLoad.Result r) {
        return r.achievedShare() >= SUSTAINED_SHARE && r.errors() == 0 && r.unanswered() == 0
            && ms(r.latencyNs(), 99) <= options.p99BoundMs();
    }

    // --- Report -----------------------------------------------------------------------------------------------------

    private void printHeader(ConfigSource config, GatewayConfig gateway, JournalConfig journal,
                             VenueComponent.Services services, int gatewayPort, int echoPort, List<String> clientThreads,
                             String request, String ack, String echoAnswer) {
        Runtime rt = Runtime.getRuntime();
        Row pg = Harness.await(services.database().query("SELECT version(), current_setting('fsync'),"
            + " current_setting('synchronous_commit'), current_setting('wal_sync_method')").execute(),
            START_TIMEOUT_SECONDS).iterator().next();
        System.out.println();
        System.out.println("== xex WebSocket order round trip benchmark");
        System.out.printf(Locale.ROOT, "java: %s %s (%s), max heap %d MiB, %s%n", System.getProperty("java.vm.name"),
            System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"), rt.maxMemory() >> 20,
            String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.printf(Locale.ROOT, "os: %s %s %s, availableProcessors (nproc): %d, cpu: %s%n",
            System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
            rt.availableProcessors(), Harness.cpuModel());
        System.out.printf(Locale.ROOT, "postgresql: %s%n  embedded, fsync=%s synchronous_commit=%s wal_sync_method=%s%n",
            pg.getString(0), pg.getString(1), pg.getString(2), pg.getString(3));
        if (!"on".equals(pg.getString(1)) || !"on".equals(pg.getString(2))) {
            System.out.println("WARNING: fsync or synchronous_commit is not on: acknowledgements are not durable");
        }
        System.out.printf(Locale.ROOT, "xex: ws://%s:%d%s, the venue as xex run starts it (Micrometer metrics on);"
                + " journal.batch.max=%d journal.pending.max=%d db.pool.size=%s; gateway limits %d orders/s per account,"
                + " %d requests/s per address%n", LOOPBACK, gatewayPort, WS_PATH, journal.maxBatch(), journal.maxPending(),
            config.string("db.pool.size"), gateway.ordersPerSecond(), gateway.requestsPerSecondPerIp());
        System.out.printf(Locale.ROOT, "echo: ws://%s:%d%s, one verticle on its own Vert.x (no metrics), answers each text"
            + " frame with %d bytes, the size of the order acknowledgement below%n", LOOPBACK, echoPort, WS_PATH, ack.length());
        System.out.printf(Locale.ROOT, "client: its own Vert.x, %d event loops (%s), %d connections, connection c logged"
                + " on as demo account c %% %d + 1 (xex only); flow %s: %s%n", options.clientThreads(),
            String.join(", ", clientThreads), options.connections(), ACCOUNTS, options.flow().name().toLowerCase(Locale.ROOT),
            flowText());
        System.out.printf(Locale.ROOT, "method: open model, request i due at t0 + i/rate on connection i %% %d, a generator"
                + " thread (tick %d us) has each connection send all that is due; latency = answer - due time; %d s warm-up"
                + " + %d s measured per run, fresh connections per run, after the venue went idle; sustained ="
                + " achieved >= %.0f%% of offered, no errors, p99 <= %d ms%n", options.connections(), options.tickUs(),
            options.warmupSeconds(), options.seconds(), SUSTAINED_SHARE * 100, options.p99BoundMs());
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

    private void printStep(OpenLoad.Result r) {
        Histogram h = r.latencyNs();
        Usage.Between u = r.usage();
        System.out.printf(Locale.ROOT, "%-4s %,8d/s offered: achieved %,9.0f/s (%5.1f%%) | p50 %7.2f p99 %7.2f p99.9 %7.2f"
                + " max %7.2f ms | errors %d, unanswered %d%s | lag p99 %.2f ms | cpus %s%s%n", r.system(), r.rate(),
            r.achievedPerSecond(), 100 * r.achievedShare(), ms(h, 50), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1e6,
            r.errors(), r.unanswered(), r.cancels() > 0 ? String.format(Locale.ROOT, ", cancels %d (%d failed)",
                r.cancels(), r.cancelErrors()) : "", ms(r.lagNs(), 99), cpus(u), sustained(r) ? "" : "  (not sustained)");
        if (r.errors() + r.errorsOutsideWindow() > 0 || r.unexpected() > 0) {
            System.out.printf(Locale.ROOT, "     errors by status/code %s (%d outside the window), %d unexpected frames;"
                + " first: %s%n", r.errorCodes(), r.errorsOutsideWindow(), r.unexpected(), r.firstError());
        }
    }

    private void printTable() {
        System.out.printf(Locale.ROOT, "%n== order round trip, ms (p50 / p99 / p99.9 / max), achieved = 200-answers per"
            + " second in the measured window%n");
        System.out.printf(Locale.ROOT, "%10s | %10s %29s | %10s %29s %7s | %9s%n", "offered/s", "echo ach/s",
            "p50 / p99 / p99.9 / max", "xex ach/s", "p50 / p99 / p99.9 / max", "errors", "p99 x/e");
        List<Integer> rates = Stream.concat(echoResults.stream(), xexResults.stream()).map(OpenLoad.Result::rate)
            .distinct().sorted().toList();
        for (int rate : rates) {
            OpenLoad.Result e = find(echoResults, rate);
            OpenLoad.Result x = find(xexResults, rate);
            System.out.printf(Locale.ROOT, "%,10d | %s | %s %7s | %9s%n", rate, cells(e), cells(x),
                x == null ? "" : Long.toString(x.errors() + x.unanswered()),
                e == null || x == null ? ""
                    : String.format(Locale.ROOT, "%.2f", ms(x.latencyNs(), 99) / ms(e.latencyNs(), 99)));
        }
        System.out.println("(* not sustained; errors: non-200 answers and unanswered requests of xex)");
    }

    private String cells(OpenLoad.Result r) {
        if (r == null) {
            return String.format(Locale.ROOT, "%10s %29s", "-", "-");
        }
        Histogram h = r.latencyNs();
        return String.format(Locale.ROOT, "%,9.0f%s %29s", r.achievedPerSecond(), sustained(r) ? " " : "*",
            String.format(Locale.ROOT, "%.2f / %.2f / %.2f / %.1f", ms(h, 50), ms(h, 99), ms(h, 99.9),
                h.getMaxValue() / 1e6));
    }

    private void printXexDetails() {
        System.out.printf(Locale.ROOT, "%n== where the time went, per run: %s; CPU per answered request (us: this JVM, the"
            + " client's threads among it, PostgreSQL, the kernel); journal batch (mean rows per write), commit (mean ms);"
            + " GC pauses and snapshots (count/total ms); busiest threads (cpus)%n", CPU_HEADER);
        for (OpenLoad.Result r : echoResults) {
            System.out.printf(Locale.ROOT, "echo %,7d/s | %s | %s | %s%n", r.rate(), cpus(r.usage()), perRequest(r),
                threads(r.usage()));
        }
        for (OpenLoad.Result r : xexResults) {
            Usage.Between u = r.usage();
            System.out.printf(Locale.ROOT, "xex  %,7d/s | %s | %s | batch %6.1f, commit %5.2f ms | gc %d/%d ms, snapshots"
                    + " %d/%.0f ms | %s%n", r.rate(), cpus(u), perRequest(r), u.meanJournalBatch(), u.meanCommitMs(),
                u.gcPauses(), u.gcPauseMs(), u.snapshots(), u.snapshotMs(), threads(u));
        }
    }

    private void printGoal() {
        OpenLoad.Result echoBest = bestSustained(echoResults);
        OpenLoad.Result xexBest = bestSustained(xexResults);
        OpenLoad.Result echoPeak = peak(echoResults);
        OpenLoad.Result xexPeak = peak(xexResults);
        System.out.printf(Locale.ROOT, "%n== summary%n");
        System.out.printf(Locale.ROOT, "highest sustained rate: echo %s, xex %s%n", rateText(echoBest), rateText(xexBest));
        System.out.printf(Locale.ROOT, "peak achieved: echo %s, xex %s%n", peakText(echoPeak), peakText(xexPeak));
        boolean echoSaturated = !echoResults.isEmpty() && !keepsGoing(echoResults);
        boolean xexSaturated = !xexResults.isEmpty() && !keepsGoing(xexResults);
        if (!echoSaturated) {
            System.out.println("note: the echo did not saturate within the ladder: its throughput is at least the figure"
                + " above, the ratio below at most what it says");
        }
        if (!xexSaturated) {
            System.out.println("note: xex did not saturate within the ladder");
        }
        if (echoBest != null && xexBest != null) {
            double share = (double) xexBest.rate() / echoBest.rate();
            System.out.printf(Locale.ROOT, "goal: xex throughput >= %.0f%% of the echo's (highest sustained rates): %s"
                + " (%.1f%%; peak achieved: %.1f%%)%n", GOAL_THROUGHPUT_SHARE * 100, share >= GOAL_THROUGHPUT_SHARE
                ? "yes" : "NO", 100 * share, 100 * xexPeak.achievedPerSecond() / echoPeak.achievedPerSecond());
        } else {
            System.out.printf(Locale.ROOT, "goal: xex throughput >= %.0f%% of the echo's: not measured (no sustained rate"
                + " for %s)%n", GOAL_THROUGHPUT_SHARE * 100, echoBest == null ? "the echo" : "xex");
        }
        StringBuilder ratios = new StringBuilder();
        boolean allMet = true;
        int compared = 0;
        for (OpenLoad.Result x : xexResults) {
            OpenLoad.Result e = find(echoResults, x.rate());
            if (e == null || !sustained(e) || !sustained(x)) {
                continue;
            }
            double ratio = ms(x.latencyNs(), 99) / ms(e.latencyNs(), 99);
            allMet &= ratio <= GOAL_P99_FACTOR;
            compared++;
            ratios.append(String.format(Locale.ROOT, " %,d/s %.2f;", x.rate(), ratio));
        }
        System.out.printf(Locale.ROOT, "goal: xex p99 <= %.0f x the echo's at equal offered rates (both sustained): %s"
            + " (xex/echo p99:%s)%n", GOAL_P99_FACTOR, compared == 0 ? "not measured" : allMet ? "yes" : "NO",
            ratios.isEmpty() ? " none" : ratios.substring(0, ratios.length() - 1));
        if (maxOtherCpus > OTHER_CPUS_WARNING) {
            System.out.printf(Locale.ROOT, "WARNING: other processes used up to %.2f CPUs during a run (column other):"
                + " the machine was not quiet%n", maxOtherCpus);
        }
    }

    private OpenLoad.Result bestSustained(List<OpenLoad.Result> results) {
        return results.stream().filter(this::sustained).max(Comparator.comparingInt(OpenLoad.Result::rate)).orElse(null);
    }

    private static OpenLoad.Result peak(List<OpenLoad.Result> results) {
        return results.stream().max(Comparator.comparingDouble(OpenLoad.Result::achievedPerSecond)).orElse(null);
    }

    private static String rateText(OpenLoad.Result r) {
        return r == null ? "none" : String.format(Locale.ROOT, "%,d/s (p99 %.2f ms)", r.rate(), ms(r.latencyNs(), 99));
    }

    private static String peakText(OpenLoad.Result r) {
        return r == null ? "none" : String.format(Locale.ROOT, "%,.0f/s (offered %,d/s)", r.achievedPerSecond(), r.rate());
    }

    private static OpenLoad.Result find(List<OpenLoad.Result> results, int rate) {
        return results.stream().filter(r -> r.rate() == rate).findFirst().orElse(null);
    }

    private String cpus(Usage.Between u) {
        maxOtherCpus = Math.max(maxOtherCpus, u.otherCpus());
        return String.format(Locale.ROOT, "%4.2f %4.2f %4.2f %4.2f %5.2f", u.machineBusyCpus(), u.jvmCpus(),
            u.postgresCpus(), u.kernelCpus(), u.otherCpus());
    }

    /**
     * CPU microseconds per 200-answer in the window: the JVM's (client, servers, venue), the client's part of it
     * (its event loops and the generator), PostgreSQL's and the kernel's. On a shared machine these hold up better
     * than rates: another process takes CPU time away, it adds little to ours.
     */
    private static String perRequest(OpenLoad.Result r) {
        Usage.Between u = r.usage();
        double answers = r.okInWindow();
        double client = 0;
        for (Map.Entry<String, Double> thread : u.busiestThreads(Integer.MAX_VALUE)) {
            if (thread.getKey().startsWith(CLIENT_THREAD_PREFIX) || thread.getKey().startsWith("ws-bench-")) {
                client += thread.getValue();
            }
        }
        double us = u.seconds() * 1e6 / answers;
        return String.format(Locale.ROOT, "us/req jvm %5.1f (client %4.1f) pg %5.1f kern %4.1f = %5.1f", u.jvmCpus() * us,
            client * us, u.postgresCpus() * us, u.kernelCpus() * us, (u.jvmCpus() + u.postgresCpus() + u.kernelCpus()) * us);
    }

    private static String threads(Usage.Between u) {
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, Double> thread : u.busiestThreads(BUSIEST_THREADS)) {
            line.append(String.format(Locale.ROOT, "%s %.2f, ", thread.getKey(), thread.getValue()));
        }
        return line.isEmpty() ? "" : line.substring(0, line.length() - 2);
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
    }

    private static String clip(String text) {
        return text.length() > SAMPLE_CHARS ? text.substring(0, SAMPLE_CHARS) + "..." : text;
    }

    // --- Plumbing ---------------------------------------------------------------------------------------------------

    /**
     * Names the client's event-loop threads {@code ws-client-…}: the venue's are {@code vert.x-eventloop-thread-…}
     * too, and the busiest-threads report must tell them apart.
     */
    private static List<String> renameClientThreads(List<Context> contexts) {
        List<String> names = new ArrayList<>();
        for (Context context : contexts) {
            Promise<String> renamed = Promise.promise();
            context.runOnContext(v -> {
                Thread thread = Thread.currentThread();
                thread.setName(thread.getName().replace("vert.x-eventloop-thread-", CLIENT_THREAD_PREFIX));
                renamed.complete(thread.getName());
            });
            String name = Harness.await(renamed.future(), START_TIMEOUT_SECONDS);
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** The first line of the server's {@code postmaster.pid}, 0 when unreadable. */
    private static long postmasterPid(Path dataDirectory) {
        try {
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.US_ASCII)
                .getFirst().trim());
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private void close() {
        if (clientVertx != null) {
            quietly(clientVertx.close());
        }
        if (echoVertx != null) {
            quietly(echoVertx.close());
        }
        if (venue != null) {
            quietly(venue.stop());
        }
    }

    private static void quietly(Future<?> future) {
        try {
            Harness.await(future, START_TIMEOUT_SECONDS);
        } catch (RuntimeException e) {
            System.err.println("bench-ws: while stopping: " + e.getMessage());
        }
    }

    private static Options parse(String[] args) {
        int seconds = DEFAULT_SECONDS;
        int warmup = DEFAULT_WARMUP_SECONDS;
        String rates = DEFAULT_RATES;
        int connections = DEFAULT_CONNECTIONS;
        int clientThreads = DEFAULT_CLIENT_THREADS;
        OrderTexts.Flow flow = OrderTexts.Flow.IOC;
        int resting = DEFAULT_RESTING;
        int p99Bound = DEFAULT_P99_BOUND_MS;
        int prewarm = DEFAULT_PREWARM_SECONDS;
        int tickUs = DEFAULT_TICK_US;
        int drain = DEFAULT_DRAIN_SECONDS;
        String servers = ECHO + "," + XEX;
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        for (int a = 0; a < args.length; a++) {
            String arg = args[a];
            if (arg.equals("--help") || arg.equals("-h")) {
                usage(null);
            }
            if (a + 1 == args.length) {
                usage("missing value after " + arg);
            }
            String value = args[++a];
            switch (arg) {
                case "--seconds" -> seconds = count(arg, value, 1);
                case "--warmup" -> warmup = count(arg, value, 0);
                case "--rates" -> rates = value;
                case "--connections" -> connections = count(arg, value, 1);
                case "--client-threads" -> clientThreads = count(arg, value, 1);
                case "--flow" -> flow = switch (value.toLowerCase(Locale.ROOT)) {
                    case "ioc" -> OrderTexts.Flow.IOC;
                    case "rest" -> OrderTexts.Flow.REST;
                    default -> {
                        usage("--flow takes ioc or rest, got " + value);
                        yield OrderTexts.Flow.IOC;
                    }
                };
                case "--resting" -> resting = count(arg, value, 1);
                case "--p99-bound-ms" -> p99Bound = count(arg, value, 1);
                case "--prewarm" -> prewarm = count(arg, value, 0);
                case "--tick-us" -> tickUs = count(arg, value, 10);
                case "--drain" -> drain = count(arg, value, 1);
                case "--servers" -> servers = value;
                case "--dir" -> parent = Path.of(value);
                default -> usage("unknown option " + arg);
            }
        }
        // Open orders per account are capped (engine.maxOpenOrdersPerAccount, 1000 by default).
        int perAccount = (connections + ACCOUNTS - 1) / ACCOUNTS;
        if (flow == OrderTexts.Flow.REST && (long) resting * perAccount > 900) {
            usage("--resting x connections per account must stay below the 1000 open orders an account may have");
        }
        List<String> serverList = List.of(servers.split("\\s*,\\s*"));
        if (serverList.isEmpty() || !List.of(ECHO, XEX).containsAll(serverList)) {
            usage("--servers takes echo, xex or both, got " + servers);
        }
        List<Integer> rateList = new ArrayList<>();
        for (String rate : rates.split(",")) {
            rateList.add(count("--rates", rate.trim(), 1));
        }
        rateList.sort(Comparator.naturalOrder());
        return new Options(seconds, warmup, List.copyOf(rateList), connections, clientThreads, flow, resting, p99Bound,
            prewarm, tickUs, drain, serverList.contains(ECHO), serverList.contains(XEX), parent);
    }

    private static int count(String option, String value, int min) {
        try {
            int n = Integer.parseInt(value.replace("_", ""));
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to usage()
        }
        usage(option + " needs whole numbers >= " + min + ", got " + value);
        return min;
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println("bench-ws: " + problem);
        }
        System.err.println("usage: bench-ws [--seconds N (" + DEFAULT_SECONDS + ")] [--warmup N (" + DEFAULT_WARMUP_SECONDS
            + ")] [--rates R,R.. (" + DEFAULT_RATES + ")] [--connections N (" + DEFAULT_CONNECTIONS + ")]"
            + " [--client-threads N (" + DEFAULT_CLIENT_THREADS + ")] [--flow ioc|rest (ioc)] [--resting N ("
            + DEFAULT_RESTING + ", rest flow: resting orders per connection)] [--p99-bound-ms N (" + DEFAULT_P99_BOUND_MS
            + ")] [--prewarm S (" + DEFAULT_PREWARM_SECONDS + ", at " + PREWARM_RATE + "/s, 0: none)] [--tick-us N ("
            + DEFAULT_TICK_US + ")] [--drain S (" + DEFAULT_DRAIN_SECONDS + ")] [--servers echo,xex (both)]"
            + " [--dir PARENT (java.io.tmpdir)]");
        System.err.println("Venue settings from XEX_* environment variables (xex-defaults.properties); the gateway's rate"
            + " limits default to " + RAISED_LIMIT + "/s here.");
        System.exit(problem == null ? 0 : 2);
    }
}
