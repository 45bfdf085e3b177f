package io.xex.loadtests.journal;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import io.xex.loadtests.Harness;
import io.xex.matching.InstrumentSpec;
import io.xex.matching.codec.CommandCodec;
import io.xex.runtime.config.ConfigException;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.config.HistoryConfig;
import io.xex.runtime.config.InstrumentCatalog;
import io.xex.runtime.config.JournalConfig;
import io.xex.runtime.config.SnapshotConfig;
import io.xex.runtime.db.Database;
import io.xex.runtime.db.DbConfig;
import io.xex.runtime.db.EmbeddedDatabase;
import io.xex.runtime.engine.EngineRuntime;
import io.xex.runtime.history.HistoryWriter;
import io.xex.runtime.store.HistoryStore;
import io.xex.runtime.store.JournalStore;
import io.xex.runtime.store.SnapshotStore;
import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The durability benchmark: how many commands per second the runtime makes durable with group commit, and how
 * long a submitter waits for the acknowledgement at fixed offered rates, each beside what the store does by itself,
 * all in one run against one embedded PostgreSQL with {@code fsync} and {@code synchronous_commit} on.
 *
 * <ol>
 *   <li>The store's own limit ({@code limit}): first the disk alone ({@link DiskProbe}), then the same journal rows
 *       (PlaceOrder commands encoded with {@link CommandCodec}) written with {@link JournalStore#append} in full
 *       batches as fast as PostgreSQL takes them ({@link PlainInsert}), for several batch sizes, one write in flight
 *       (as the runtime does) and several; the best is the limit.</li>
 *   <li>Durable throughput ({@code throughput}): the runtime ({@link EngineRuntime} over the same database, fresh)
 *       with a fixed number of commands in flight ({@link CommandLoad#closedLoop}); acknowledgements per second, as
 *       a share of the limit.</li>
 *   <li>Acknowledgement latency at fixed offered rates ({@code latency}), open model: for each rate, first the
 *       store's own group commit at that rate ({@link PlainGroupCommit}), then the runtime
 *       ({@link CommandLoad#offeredRate}); HdrHistograms of commit (or acknowledgement) time minus due time.</li>
 * </ol>
 *
 * Every phase starts on an empty journal right after a {@code CHECKPOINT}, so that each one writes into tables and
 * indexes of the same size. Each phase reports where the CPUs went (this JVM, PostgreSQL, the kernel, other
 * processes: a benchmark on a shared machine must show that it was alone), and the runtime's phases their GC
 * pauses, snapshots and busiest threads. The runtime takes its settings as {@code xex run} does
 * ({@code xex-defaults.properties}, overridden by {@code XEX_*} environment variables: {@code XEX_JOURNAL_BATCH_MAX=8192}
 * and the like), except the database, which is always the benchmark's own, in a temporary folder deleted at the end.
 *
 * <pre>
 * ./xex bench-journal [--seconds 5] [--warmup 2] [--rates 10000,25000,50000] [--max-fraction 0.9]
 *     [--batches 256,1024,4096] [--in-flight 1,2,4] [--window 20000] [--accounts 1000] [--tick-us 200]
 *     [--history] [--dir PARENT] [--phases limit,throughput,latency]
 * </pre>
 *
 * <p>Runs on the main thread, which only starts phases and waits for them; the load runs on Vert.x contexts.
 */
public final class JournalBenchmark {
    static final String PHASE_LIMIT = "limit";
    static final String PHASE_THROUGHPUT = "throughput";
    static final String PHASE_LATENCY = "latency";
    static final String DEFAULT_PHASES = PHASE_LIMIT + "," + PHASE_THROUGHPUT + "," + PHASE_LATENCY;
    static final int DEFAULT_SECONDS = 5;
    static final int DEFAULT_WARMUP_SECONDS = 2;
    static final String DEFAULT_RATES = "10000,25000,50000";
    static final double DEFAULT_MAX_FRACTION = 0.9;
    static final String DEFAULT_BATCHES = "256,1024,4096";
    static final String DEFAULT_IN_FLIGHT = "1,2,4";
    static final int DEFAULT_WINDOW = 20_000;
    static final int DEFAULT_ACCOUNTS = 1_000;
    static final int DEFAULT_TICK_US = 200;
    static final int FLOOR_SECONDS = 2;
    static final int DISK_PROBE_SECONDS = 5;
    static final int DISTINCT_COMMANDS = 1 << 16;
    static final long SEED = 42;
    /** The goal this benchmark checks (the issue's): durable throughput and acknowledgement p99 at a rate. */
    static final double GOAL_SHARE_OF_LIMIT = 0.80;
    static final long GOAL_P99_MS = 5;
    static final int GOAL_RATE = 50_000;

    private static final long PHASE_TIMEOUT_SECONDS = 300;
    private static final String SUPERUSER = "postgres";
    private static final String CPU_HEADER = "busy  jvm   pg kern other iowait (cpus)";
    /** Other processes using more than this many CPUs in a phase make the run suspect. */
    private static final double OTHER_CPUS_WARNING = 0.15;
    private static final int BUSIEST_THREADS = 5;
    private static final int MAX_EVENT_CHARS = 160;
    private static final List<String> SETTINGS = List.of("fsync", "synchronous_commit", "wal_sync_method",
        "commit_delay", "commit_siblings", "full_page_writes", "wal_level", "wal_buffers", "shared_buffers",
        "max_wal_size", "checkpoint_timeout");

    private final Options options;
    private final ConfigSource config;
    private final InstrumentCatalog catalog;
    private final JournalConfig journalConfig;
    private final SnapshotConfig snapshotConfig;
    private final HistoryConfig historyConfig;
    private final InstrumentSpec instrument;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Vertx vertx;
    private Database database;
    private PlainInsert.Result oneInFlight;
    private double maxOtherCpus;
    private Usage usage;
    private int poolSize;
    private Pool superuser;
    private Context benchContext;
    private Context driverContext;

    private record Options(int seconds, int warmupSeconds, List<Integer> rates, double maxFraction, List<Integer> batches,
                           List<Integer> inFlight, int window, int accounts, long tickNs, boolean history, Path parent,
                           List<String> phases) {
        boolean runs(String phase) {
            return phases.contains(phase);
        }
    }

    /** One offered rate: the store's own group commit, then the runtime, each on an empty journal. */
    private record Latency(int rate, PlainGroupCommit.Result store, CommandLoad.OpenResult runtime) {
    }

    /** A runtime started for one phase, with its history writer under {@code --history}. */
    private record RuntimeRun(EngineRuntime runtime, HistoryWriter history) {
    }

    /** A verticle whose only use is its event-loop context, for the load driver. */
    private static final class DriverVerticle extends VerticleBase {
        Context context() {
            return context;
        }
    }

    private JournalBenchmark(Options options, ConfigSource config) {
        this.options = options;
        this.config = config;
        this.catalog = InstrumentCatalog.from(config);
        this.journalConfig = JournalConfig.from(config);
        this.snapshotConfig = SnapshotConfig.from(config);
        this.historyConfig = HistoryConfig.from(config);
        this.instrument = catalog.engine().instruments().get(OrderFlow.INSTRUMENT);
        // As the venue builds it (Venue.start): Micrometer metrics on, so that their cost is in the numbers.
        this.vertx = Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                .setJvmMetricsEnabled(true)))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();
    }

    public static void main(String[] args) throws Exception {
        Options options = parse(args);
        ConfigSource config = ConfigSource.load(null, System.getenv());
        JournalBenchmark benchmark;
        try {
            benchmark = new JournalBenchmark(options, config);
        } catch (ConfigException e) {
            System.err.println("bench-journal: configuration: " + e.getMessage());
            System.exit(2);
            return;
        }
        Path dir = Files.createTempDirectory(options.parent(), "xex-bench-journal-");
        int status = 0;
        try {
            benchmark.run(dir);
        } catch (Exception | Error e) {
            System.err.println("bench-journal: failed: " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            benchmark.close();
            Harness.deleteRecursively(dir);
        }
        System.exit(status); // the embedded PostgreSQL library's threads must not keep the JVM up
    }

    private void run(Path dir) throws Exception {
        if (config.optionalString("db.url") != null) {
            System.out.println("note: db.url is ignored; the benchmark always starts its own embedded PostgreSQL");
        }
        DbConfig dbConfig = new DbConfig(null, DbConfig.DEFAULT_USER, DbConfig.DEFAULT_PASSWORD, dir.resolve("postgres"), 0,
            Math.max(DbConfig.from(config).poolSize(), options.inFlight().stream().max(Integer::compare).orElse(1)),
            DbConfig.DEFAULT_CONNECT_TIMEOUT_MS);
        poolSize = dbConfig.poolSize();
        database = await(Database.start(vertx, dbConfig));
        EmbeddedDatabase embedded = database.embedded().orElseThrow();
        usage = new Usage(Usage.postmasterPid(embedded.dataDirectory()), registry);
        superuser = PgBuilder.pool()
            .with(new PoolOptions().setMaxSize(1).setName("bench-superuser"))
            .connectingTo(new PgConnectOptions().setHost(embedded.host()).setPort(embedded.port())
                .setDatabase(embedded.database()).setUser(SUPERUSER))
            .using(vertx)
            .build();
        // Diagnostics only, durability unchanged: what PostgreSQL does by itself during a phase goes to its log.
        await(superuser.query("ALTER SYSTEM SET log_autovacuum_min_duration = 0").execute());
        await(superuser.query("ALTER SYSTEM SET log_checkpoints = on").execute());
        await(superuser.query("SELECT pg_reload_conf()").execute());
        // From the main thread: the context of the pool's connections (opened by the migrations), where the runtime
        // puts its journal writer too. The driver gets an event loop of its own, as a gateway connection would.
        benchContext = vertx.getOrCreateContext();
        String benchThread = await(threadOf(benchContext));
        String driverThread = benchThread;
        for (int attempt = 0; attempt <= VertxOptions.DEFAULT_EVENT_LOOP_POOL_SIZE && driverThread.equals(benchThread); attempt++) {
            DriverVerticle driver = new DriverVerticle();
            await(vertx.deployVerticle(driver));
            driverContext = driver.context();
            driverThread = await(threadOf(driverContext));
        }

        byte[][] encoded = encodedCommands(instrument);
        printMachine(dir, embedded, encoded, benchThread, driverThread);

        PlainInsert.Result limit = null;
        if (options.runs(PHASE_LIMIT)) {
            printDisk(DiskProbe.run(embedded.dataDirectory(), TimeUnit.SECONDS.toNanos(DISK_PROBE_SECONDS)));
            List<PlainInsert.Result> limits = storeLimit(encoded);
            PlainInsert.Result floor = limits.removeFirst();
            limit = limits.stream().max(Comparator.comparingDouble(PlainInsert.Result::rowsPerSecond)).orElseThrow();
            printLimits(limits, floor, limit);
            oneInFlight = limits.stream().filter(r -> r.inFlight() == 1)
                .max(Comparator.comparingDouble(PlainInsert.Result::rowsPerSecond)).orElse(null);
        }
        CommandLoad.ClosedResult throughput = null;
        if (options.runs(PHASE_THROUGHPUT)) {
            throughput = closedLoop();
            printThroughput(throughput, limit);
        }
        List<Latency> latencies = new ArrayList<>();
        int sustained = 0;
        if (options.runs(PHASE_LATENCY)) {
            List<Integer> rates = new ArrayList<>(options.rates());
            if (throughput != null && options.maxFraction() > 0) {
                sustained = (int) (options.maxFraction() * throughput.perSecond() / 1_000) * 1_000;
                if (sustained > 0 && !rates.contains(sustained)) {
                    rates.add(sustained);
                }
            }
            rates.sort(Comparator.naturalOrder());
            for (int rate : rates) {
                latencies.add(new Latency(rate, storeAtRate(encoded, rate), offeredRate(rate)));
            }
            printLatencies(latencies, sustained);
        }
        printGoal(throughput, limit, latencies);
        printPostgresEvents(embedded.logFile());
    }

    // --- 1. The store's own limit ---------------------------------------------------------------------------------

    /** The single-row commit floor first, then every batch size and number in flight. */
    private List<PlainInsert.Result> storeLimit(byte[][] encoded) {
        JournalStore store = new JournalStore(database.pool());
        System.out.println("warming up the store (1 s)...");
        insert(store, encoded, 1_024, 1, 1);
        List<PlainInsert.Result> results = new ArrayList<>();
        results.add(insert(store, encoded, 1, 1, FLOOR_SECONDS));
        for (int batch : options.batches()) {
            for (int inFlight : options.inFlight()) {
                PlainInsert.Result r = insert(store, encoded, batch, inFlight, options.seconds());
                System.out.printf(Locale.ROOT, "  plain insert: batch %5d, %d in flight: %,10.0f rows/s%n", batch, inFlight,
                    r.rowsPerSecond());
                results.add(r);
            }
        }
        return results;
    }

    private PlainInsert.Result insert(JournalStore store, byte[][] encoded, int batch, int inFlight, int seconds) {
        emptyTables();
        return await(PlainInsert.run(benchContext, store, encoded, batch, inFlight, TimeUnit.SECONDS.toNanos(seconds),
            usage::sample));
    }

    // --- 2. Durable throughput --------------------------------------------------------------------------------------

    private CommandLoad.ClosedResult closedLoop() {
        System.out.printf(Locale.ROOT, "runtime: closed loop, %,d in flight (%d s warm-up, %d s measured)...%n",
            options.window(), options.warmupSeconds(), options.seconds());
        RuntimeRun run = startRuntime();
        try {
            CommandLoad load = load(run);
            return await(load.closedLoop(options.window(), TimeUnit.SECONDS.toNanos(options.warmupSeconds()),
                TimeUnit.SECONDS.toNanos(options.seconds())));
        } finally {
            stopRuntime(run);
        }
    }

    // --- 3. Acknowledgement latency at offered rates ---------------------------------------------------------------

    private PlainGroupCommit.Result storeAtRate(byte[][] encoded, int rate) {
        System.out.printf(Locale.ROOT, "store: %,d rows/s offered, plain group commit (%d s warm-up, %d s measured)...%n",
            rate, options.warmupSeconds(), options.seconds());
        emptyTables();
        return await(PlainGroupCommit.run(benchContext, new JournalStore(database.pool()), encoded, rate,
            journalConfig.maxBatch(), TimeUnit.SECONDS.toNanos(options.warmupSeconds()),
            TimeUnit.SECONDS.toNanos(options.seconds()), options.tickNs(), usage::sample));
    }

    private CommandLoad.OpenResult offeredRate(int rate) {
        System.out.printf(Locale.ROOT, "runtime: %,d commands/s offered (%d s warm-up, %d s measured)...%n", rate,
            options.warmupSeconds(), options.seconds());
        RuntimeRun run = startRuntime();
        try {
            CommandLoad load = load(run);
            return await(load.offeredRate(rate, TimeUnit.SECONDS.toNanos(options.warmupSeconds()),
                TimeUnit.SECONDS.toNanos(options.seconds()), options.tickNs()));
        } finally {
            stopRuntime(run);
        }
    }

    /** A fresh runtime on an empty database, with funded accounts, and a load driver for it. */
    private CommandLoad load(RuntimeRun run) {
        OrderFlow flow = new OrderFlow(SEED, options.accounts(), instrument);
        CommandLoad load = new CommandLoad(driverContext, run.runtime().proxy(), flow, usage::sample);
        await(load.setup(flow.setup()));
        return load;
    }

    /** Called from the main thread, so the journal writer's context is {@link #benchContext}'s event loop. */
    private RuntimeRun startRuntime() {
        emptyTables();
        Pool pool = database.pool();
        HistoryWriter history = null;
        if (options.history()) {
            history = new HistoryWriter(new HistoryStore(pool), historyConfig, registry);
            await(vertx.deployVerticle(history));
        }
        EngineRuntime runtime = await(EngineRuntime.start(vertx, catalog.engine(), new JournalStore(pool),
            new SnapshotStore(pool), history == null ? List.of() : List.of(history), journalConfig, snapshotConfig,
            registry, InstantSource.system()));
        return new RuntimeRun(runtime, history);
    }

    private void stopRuntime(RuntimeRun run) {
        await(run.runtime().stop());
        if (run.history() != null) {
            await(run.history().drained());
            await(vertx.undeploy(run.history().deploymentID()));
        }
    }

    // --- The database -----------------------------------------------------------------------------------------------

    /** Empties what the runtime writes, then checkpoints, so every phase starts from the same state. */
    private void emptyTables() {
        await(database.pool().query("TRUNCATE journal, snapshot, orders, trades, balance_movements,"
            + " execution_reports, history_cursor").execute());
        await(superuser.query("CHECKPOINT").execute());
    }

    /** The settings that matter for durable commits, as PostgreSQL shows them, in the order of {@link #SETTINGS}. */
    private List<String> settings() {
        Map<String, String> values = new HashMap<>();
        for (Row row : await(superuser.preparedQuery("SELECT name, current_setting(name) FROM pg_settings"
            + " WHERE name = ANY($1)").execute(Tuple.of(SETTINGS.toArray(String[]::new))))) {
            values.put(row.getString(0), row.getString(1));
        }
        for (String durable : List.of("fsync", "synchronous_commit")) {
            if (!"on".equals(values.get(durable))) {
                System.out.println("WARNING: " + durable + " is " + values.get(durable) + ", not on: commits are not durable"
                    + " and every number below is meaningless");
            }
        }
        return SETTINGS.stream().map(name -> name + "=" + values.get(name)).toList();
    }

    private static Future<String> threadOf(Context context) {
        Promise<String> promise = Promise.promise();
        context.runOnContext(v -> promise.complete(Thread.currentThread().getName()));
        return promise.future();
    }

    private static byte[][] encodedCommands(InstrumentSpec instrument) {
        OrderFlow flow = new OrderFlow(SEED, DEFAULT_ACCOUNTS, instrument);
        byte[][] encoded = new byte[DISTINCT_COMMANDS][];
        for (int i = 0; i < encoded.length; i++) {
            encoded[i] = CommandCodec.encode(flow.next().withOrderId(i + 1));
        }
        return encoded;
    }

    private void close() {
        try {
            if (superuser != null) {
                await(superuser.close());
            }
            if (database != null) {
                await(database.close());
            }
        } finally {
            await(vertx.close());
        }
    }

    // --- Report -----------------------------------------------------------------------------------------------------

    private void printMachine(Path dir, EmbeddedDatabase embedded, byte[][] encoded, String benchThread,
                              String driverThread) throws IOException {
        Runtime rt = Runtime.getRuntime();
        String version = await(superuser.query("SELECT version()").execute()).iterator().next().getString(0);
        FileStore store = Files.getFileStore(dir);
        double meanBytes = Arrays.stream(encoded).mapToInt(b -> b.length).average().orElse(0);
        System.out.println();
        System.out.println("== xex journal benchmark");
        System.out.printf(Locale.ROOT, "java: %s %s (%s), max heap %d MiB, %s%n", System.getProperty("java.vm.name"),
            System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"), rt.maxMemory() >> 20,
            String.join(" ", java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.printf(Locale.ROOT, "os: %s %s %s, availableProcessors (nproc): %d, cpu: %s%n",
            System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
            rt.availableProcessors(), Harness.cpuModel());
        System.out.println("postgresql: " + version);
        System.out.printf(Locale.ROOT, "  embedded on %s:%d, data in %s (%s, %s)%n", embedded.host(), embedded.port(),
            embedded.dataDirectory(), store.type(), store.name());
        System.out.println("  " + String.join(", ", settings()));
        System.out.printf(Locale.ROOT, "runtime settings: journal.batch.max=%d journal.pending.max=%d"
                + " snapshot.everyCommands=%d snapshot.everySeconds=%d db.pool.size=%d, history %s%n",
            journalConfig.maxBatch(), journalConfig.maxPending(), snapshotConfig.everyCommands(),
            snapshotConfig.everySeconds(), poolSize, options.history() ? "written (--history)" : "off");
        System.out.printf(Locale.ROOT, "rows: PlaceOrder LIMIT %s (reference %d ticks), %d-%d lots, %d%% passive GTC /"
                + " %d%% aggressive IOC, %d accounts; %.1f bytes encoded (CommandCodec) + seq + ts_ns%n",
            instrument.symbol(), instrument.initialReferencePrice(), OrderFlow.MIN_LOTS, OrderFlow.MAX_LOTS,
            OrderFlow.PASSIVE_PERCENT, 100 - OrderFlow.PASSIVE_PERCENT, options.accounts(), meanBytes);
        System.out.printf(Locale.ROOT, "threads: plain inserts and the journal writer on %s (with the pool's connections);"
            + " the load driver on %s; matching on xex-matching%n", benchThread, driverThread);
        System.out.printf(Locale.ROOT, "method: every phase on an empty journal after a CHECKPOINT; %d s measured"
                + " (after %d s warm-up for the runtime); latency = acknowledgement time - due time (open model,"
                + " generator tick %d us, submissions from one event-loop context)%n%n",
            options.seconds(), options.warmupSeconds(), TimeUnit.NANOSECONDS.toMicros(options.tickNs()));
    }

    private void printLimits(List<PlainInsert.Result> limits, PlainInsert.Result floor, PlainInsert.Result limit) {
        System.out.printf(Locale.ROOT, "%n== 1. the store's own limit: JournalStore.append of full batches, as fast as"
            + " possible, %d s each%n", options.seconds());
        System.out.printf(Locale.ROOT, "%6s %9s %12s | %7s %7s %7s (commit ms) | %s%n", "batch", "in-flight", "rows/s",
            "p50", "p99", "max", CPU_HEADER);
        for (PlainInsert.Result r : limits) {
            System.out.printf(Locale.ROOT, "%6d %9d %,12.0f | %7.2f %7.2f %7.2f             | %s%s%n",
                r.batchSize(), r.inFlight(), r.rowsPerSecond(), ms(r.commitNs(), 50), ms(r.commitNs(), 99),
                r.commitNs().getMaxValue() / 1e6, cpus(new Usage.Between(r.start(), r.end())),
                r == limit ? "  <- the limit" : "");
        }
        System.out.printf(Locale.ROOT, "single-row commits, one in flight (the commit floor): %,.0f/s, commit p50 %.2f ms,"
                + " p99 %.2f ms | %s%n", floor.rowsPerSecond(), ms(floor.commitNs(), 50), ms(floor.commitNs(), 99),
            cpus(new Usage.Between(floor.start(), floor.end())));
    }

    private void printThroughput(CommandLoad.ClosedResult r, PlainInsert.Result limit) {
        Usage.Between u = r.usage();
        System.out.printf(Locale.ROOT, "%n== 2. durable throughput: the runtime with %,d commands in flight, %d s%n",
            r.window(), options.seconds());
        if (limit == null) {
            System.out.printf(Locale.ROOT, "durable commands/s: %,.0f (the store's limit not measured)%n", r.perSecond());
        } else {
            System.out.printf(Locale.ROOT, "durable commands/s: %,.0f = %.1f%% of the limit (%,.0f rows/s)%n", r.perSecond(),
                100 * r.perSecond() / limit.rowsPerSecond(), limit.rowsPerSecond());
            if (oneInFlight != null) {
                System.out.printf(Locale.ROOT, "  and %.1f%% of the best with one write in flight, as the runtime writes"
                        + " (%,.0f rows/s, batch %d)%n", 100 * r.perSecond() / oneInFlight.rowsPerSecond(),
                    oneInFlight.rowsPerSecond(), oneInFlight.batchSize());
            }
        }
        System.out.printf(Locale.ROOT, "journal: %,d writes, mean batch %.0f commands, mean commit %.2f ms; %d refused;"
                + " %s%n", u.journalWrites(), u.meanJournalBatch(), u.meanCommitMs(), r.refused(), pauses(u));
        System.out.printf(Locale.ROOT, "cpus: %s%n      %s%n", CPU_HEADER, cpus(u));
        System.out.println("busiest threads (cpus): " + threads(u));
        printOutcomes(r.outcomes());
    }

    private void printLatencies(List<Latency> results, int sustained) {
        System.out.printf(Locale.ROOT, "%n== 3. acknowledgement latency at offered rates, open model, %d s measured: the store's"
            + " own group commit (commit - due time), then the runtime (durable acknowledgement - due time)%n",
            options.seconds());
        System.out.printf(Locale.ROOT, "%10s %-7s %10s %7s | %7s %7s %7s %7s %7s (ms) | %6s %6s | %s | %-9s | %s%n",
            "offered/s", "path", "achieved/s", "refused", "p50", "p90", "p99", "p99.9", "max", "batch", "commit", CPU_HEADER,
            "lag p99/max", "pauses");
        for (Latency l : results) {
            PlainGroupCommit.Result s = l.store();
            Histogram sh = s.latencyNs();
            System.out.printf(Locale.ROOT,
                "%,10d %-7s %,10.0f %7s | %7.2f %7.2f %7.2f %7.2f %7.2f      | %6.0f %6s | %s | %-9s | %s%n",
                l.rate(), "store", s.rows() * 1e9 / TimeUnit.SECONDS.toNanos(options.seconds()), "-", ms(sh, 50),
                ms(sh, 90), ms(sh, 99), ms(sh, 99.9), sh.getMaxValue() / 1e6, s.meanBatch(), "-", cpus(s.usage()), "-",
                gcPauses(s.usage()));
            CommandLoad.OpenResult r = l.runtime();
            Usage.Between u = r.usage();
            Histogram h = r.latencyNs();
            System.out.printf(Locale.ROOT,
                "%10s %-7s %,10.0f %7d | %7.2f %7.2f %7.2f %7.2f %7.2f      | %6.0f %6.2f | %s | %4.1f/%4.1f | %s%s%n",
                "", "runtime", r.achievedPerSecond(), r.refused(), ms(h, 50), ms(h, 90), ms(h, 99), ms(h, 99.9),
                h.getMaxValue() / 1e6, u.meanJournalBatch(), u.meanCommitMs(), cpus(u), ms(r.submitLagNs(), 99),
                r.submitLagNs().getMaxValue() / 1e6, pauses(u),
                l.rate() == sustained ? "  <- " + (int) (options.maxFraction() * 100) + "% of durable max" : "");
        }
        System.out.println("(batch: mean rows per journal write; commit: mean ms per write; lag: how late the harness"
            + " submitted, ms, already inside the latency; pauses: GC pauses and snapshots, count and total ms)");
        for (Latency l : results) {
            System.out.printf(Locale.ROOT, "busiest threads, runtime at %,d/s (cpus): %s%n", l.rate(),
                threads(l.runtime().usage()));
        }
        DateTimeFormatter clock = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT).withZone(ZoneId.systemDefault());
        for (Latency l : results) {
            System.out.printf(Locale.ROOT, "worst %d ms slices, runtime at %,d/s (commands due then: worst latency):",
                CommandLoad.MOMENT_MS, l.rate());
            for (CommandLoad.Moment m : l.runtime().worst()) {
                System.out.printf(Locale.ROOT, "  %s %.1f ms", clock.format(Instant.ofEpochMilli(m.epochMs())),
                    m.worstLatencyNs() / 1e6);
            }
            System.out.println();
        }
    }

    private static String threads(Usage.Between u) {
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, Double> thread : u.busiestThreads(BUSIEST_THREADS)) {
            line.append(String.format(Locale.ROOT, "%s %.2f, ", thread.getKey(), thread.getValue()));
        }
        return line.isEmpty() ? "" : line.substring(0, line.length() - 2);
    }

    /** GC pauses and snapshots (the matching thread stops for them): how many, and their total time. */
    private static String pauses(Usage.Between u) {
        return gcPauses(u) + String.format(Locale.ROOT, ", snapshots %d/%.0f ms", u.snapshots(), u.snapshotMs());
    }

    private static String gcPauses(Usage.Between u) {
        return String.format(Locale.ROOT, "gc %d/%d ms", u.gcPauses(), u.gcPauseMs());
    }

    private void printDisk(DiskProbe.Result disk) {
        Histogram h = disk.forceNs();
        System.out.printf(Locale.ROOT, "disk: 8 KiB write + fdatasync, one at a time, %d s in the data folder: %,.0f/s,"
                + " p50 %.2f ms, p99 %.2f, p99.9 %.2f, max %.1f; %d stalls > %d ms, %.1f%% of the time%n",
            DISK_PROBE_SECONDS, h.getTotalCount() * 1e9 / disk.elapsedNs(), ms(h, 50), ms(h, 99), ms(h, 99.9),
            h.getMaxValue() / 1e6, disk.stalls(), TimeUnit.NANOSECONDS.toMillis(DiskProbe.STALL_NS),
            100.0 * disk.stalledNs() / disk.elapsedNs());
    }

    /**
     * CPUs in use on average: the machine, this JVM, the benchmark's PostgreSQL, the kernel (threads, interrupts),
     * other processes; and I/O wait.
     */
    private String cpus(Usage.Between u) {
        maxOtherCpus = Math.max(maxOtherCpus, u.otherCpus());
        return String.format(Locale.ROOT, "%4.2f %4.2f %4.2f %4.2f %5.2f %6.2f", u.machineBusyCpus(), u.jvmCpus(),
            u.postgresCpus(), u.kernelCpus(), u.otherCpus(), u.iowaitCpus());
    }

    private void printGoal(CommandLoad.ClosedResult throughput, PlainInsert.Result limit, List<Latency> latencies) {
        System.out.printf(Locale.ROOT, "%n== goal%n");
        if (throughput != null && limit != null) {
            double share = throughput.perSecond() / limit.rowsPerSecond();
            System.out.printf(Locale.ROOT, ">= %.0f%% of the store's limit: %s (%.1f%%)%n", GOAL_SHARE_OF_LIMIT * 100,
                share >= GOAL_SHARE_OF_LIMIT ? "yes" : "NO", share * 100);
        } else {
            System.out.printf(Locale.ROOT, ">= %.0f%% of the store's limit: not measured (--phases)%n", GOAL_SHARE_OF_LIMIT * 100);
        }
        latencies.stream().filter(l -> l.rate() == GOAL_RATE).findFirst().ifPresentOrElse(l -> {
            double p99 = ms(l.runtime().latencyNs(), 99);
            boolean met = p99 < GOAL_P99_MS && l.runtime().refused() == 0;
            System.out.printf(Locale.ROOT, "acknowledgement p99 < %d ms at %,d/s offered: %s (p99 %.2f ms, %d refused;"
                    + " the store's own group commit at that rate: p99 %.2f ms)%n", GOAL_P99_MS, GOAL_RATE, met ? "yes" : "NO",
                p99, l.runtime().refused(), ms(l.store().latencyNs(), 99));
        }, () -> System.out.printf(Locale.ROOT, "acknowledgement p99 at %,d/s: not measured (not in --rates)%n", GOAL_RATE));
        if (maxOtherCpus > OTHER_CPUS_WARNING) {
            System.out.printf(Locale.ROOT, "WARNING: other processes used up to %.2f CPUs during a phase (column other):"
                + " the machine was not quiet, run again%n", maxOtherCpus);
        }
    }

    /** Checkpoints PostgreSQL started by itself and its autovacuum runs, from its log: candidates for latency spikes. */
    private static void printPostgresEvents(Path log) {
        List<String> events;
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            events = lines.filter(line -> !line.isEmpty() && Character.isDigit(line.charAt(0)))
                .filter(line -> line.contains("automatic vacuum") || line.contains("automatic analyze")
                    || line.contains("checkpoint starting: time") || line.contains("checkpoint starting: wal"))
                .map(line -> line.length() > MAX_EVENT_CHARS ? line.substring(0, MAX_EVENT_CHARS) + "..." : line)
                .toList();
        } catch (IOException | UncheckedIOException e) {
            System.out.println("postgresql events: log not readable: " + e.getMessage());
            return;
        }
        System.out.printf(Locale.ROOT, "%npostgresql events (checkpoints it started itself, autovacuum): %d%n", events.size());
        events.forEach(event -> System.out.println("  " + event));
    }

    private static void printOutcomes(CommandLoad.Outcomes o) {
        System.out.printf(Locale.ROOT, "order outcomes: %,d commands, traded %.1f%%, rested %.1f%%, rejected %.1f%%%n",
            o.commands, o.percent(o.traded), o.percent(o.rested), o.percent(o.rejected));
    }

    private static double ms(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1e6;
    }

    // --- Plumbing ---------------------------------------------------------------------------------------------------

    private static <T> T await(Future<T> future) {
        return Harness.await(future, PHASE_TIMEOUT_SECONDS);
    }

    private static Options parse(String[] args) {
        int seconds = DEFAULT_SECONDS;
        int warmup = DEFAULT_WARMUP_SECONDS;
        String rates = DEFAULT_RATES;
        double maxFraction = DEFAULT_MAX_FRACTION;
        String batches = DEFAULT_BATCHES;
        String inFlight = DEFAULT_IN_FLIGHT;
        int window = DEFAULT_WINDOW;
        int accounts = DEFAULT_ACCOUNTS;
        int tickUs = DEFAULT_TICK_US;
        boolean history = false;
        String phases = DEFAULT_PHASES;
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        for (int a = 0; a < args.length; a++) {
            String arg = args[a];
            if (arg.equals("--history")) {
                history = true;
                continue;
            }
            if (arg.equals("--help") || arg.equals("-h")) {
                usage(null);
            }
            if (a + 1 == args.length) {
                usage("missing value after " + arg);
            }
            String value = args[++a];
            switch (arg) {
                case "--seconds" -> seconds = count(arg, value, 1);
                case "--warmup" -> warmup = count(arg, value, 1);
                case "--rates" -> rates = value;
                case "--max-fraction" -> maxFraction = fraction(arg, value);
                case "--batches" -> batches = value;
                case "--in-flight" -> inFlight = value;
                case "--window" -> window = count(arg, value, 1);
                case "--accounts" -> accounts = count(arg, value, 2);
                case "--tick-us" -> tickUs = count(arg, value, 10);
                case "--dir" -> parent = Path.of(value);
                case "--phases" -> phases = value;
                default -> usage("unknown option " + arg);
            }
        }
        if (accounts > OrderFlow.MAX_ACCOUNTS) {
            usage("--accounts must be at most " + OrderFlow.MAX_ACCOUNTS);
        }
        List<String> phaseList = List.of(phases.split("\\s*,\\s*"));
        for (String phase : phaseList) {
            if (!DEFAULT_PHASES.contains(phase) || phase.isEmpty()) {
                usage("--phases takes some of " + DEFAULT_PHASES + ", got " + phase);
            }
        }
        return new Options(seconds, warmup, counts("--rates", rates), maxFraction, counts("--batches", batches),
            counts("--in-flight", inFlight), window, accounts, TimeUnit.MICROSECONDS.toNanos(tickUs), history, parent,
            phaseList);
    }

    private static List<Integer> counts(String option, String values) {
        List<Integer> list = new ArrayList<>();
        for (String value : values.split(",")) {
            list.add(count(option, value.trim(), 1));
        }
        return List.copyOf(list);
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

    private static double fraction(String option, String value) {
        try {
            double f = Double.parseDouble(value);
            if (f >= 0 && f <= 1) {
                return f;
            }
        } catch (NumberFormatException e) {
            // falls through to usage()
        }
        usage(option + " needs a number in 0..1, got " + value);
        return 0;
    }

    private static void usage(String problem) {
        if (problem != null) {
            System.err.println("bench-journal: " + problem);
        }
        System.err.println("usage: bench-journal [--seconds N (" + DEFAULT_SECONDS + ")] [--warmup N ("
            + DEFAULT_WARMUP_SECONDS + ")] [--rates R,R.. (" + DEFAULT_RATES + ")] [--max-fraction F ("
            + DEFAULT_MAX_FRACTION + "; also offer F x the durable maximum, 0: not)] [--batches B,B.. (" + DEFAULT_BATCHES
            + ")] [--in-flight K,K.. (" + DEFAULT_IN_FLIGHT + ")] [--window N (" + DEFAULT_WINDOW + ")] [--accounts N ("
            + DEFAULT_ACCOUNTS + ")] [--tick-us N (" + DEFAULT_TICK_US + ")] [--history] [--dir PARENT (java.io.tmpdir)]"
            + " [--phases P,P.. (" + DEFAULT_PHASES + ")]");
        System.err.println("Runtime settings from XEX_* environment variables (xex-defaults.properties), e.g."
            + " XEX_JOURNAL_BATCH_MAX=8192.");
        System.exit(problem == null ? 0 : 2);
    }
}
