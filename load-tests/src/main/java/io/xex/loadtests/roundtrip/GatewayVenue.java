package io.xex.loadtests.roundtrip;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.xex.gateway.GatewayComponent;
import io.xex.gateway.GatewayConfig;
import io.xex.gateway.auth.ApiKeyStore;
import io.xex.gateway.binary.BinaryConfig;
import io.xex.loadtests.Harness;
import io.xex.loadtests.journal.Usage;
import io.xex.runtime.ServicesComponent;
import io.xex.runtime.Venue;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.config.JournalConfig;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The whole venue in this process for the gateway benchmarks, as {@code xex run} starts it ({@link Venue#start} with
 * the {@link GatewayComponent}: the WebSocket and the binary gateways), from the {@code XEX_*} environment, except:
 * always its own embedded PostgreSQL in a folder of the benchmark's, TSLAx only, free loopback ports, {@code accounts}
 * demo accounts funded straight in the engine (no settlement), and the gateways' rate limits raised unless set ({@code XEX_GATEWAY_LIMITS_ORDERSPERSECOND},
 * {@code XEX_GATEWAY_LIMITS_REQUESTSPERSECONDPERIP} to {@value #RAISED_WS_LIMIT}/s,
 * {@code XEX_BINARY_MESSAGESPERSECOND} to {@value #RAISED_BINARY_LIMIT}/s). Also what a report needs of it: the
 * machine and PostgreSQL's durability settings, and {@link #quiesce()} between runs.
 *
 * <p>Started and stopped from the main thread.
 */
public final class GatewayVenue {
    public static final String LOOPBACK = "127.0.0.1";
    public static final String RAISED_WS_LIMIT = "1000000";
    public static final String RAISED_BINARY_LIMIT = "10000000";
    private static final long START_TIMEOUT_SECONDS = 300;
    private static final int QUIESCE_MAX_SECONDS = 30;
    private static final int IDLE_SAMPLE_MS = 300;
    private static final double IDLE_JVM_CPUS = 0.10;
    private static final double IDLE_PG_CPUS = 0.05;

    private final ConfigSource config;
    private final GatewayConfig gatewayConfig;
    private final BinaryConfig binaryConfig;
    private final JournalConfig journalConfig;
    private final GatewayComponent gateway;
    /** Not a gateway: hands the benchmark what the venue gives its components (the meter registry, the database). */
    private final ServicesComponent services = new ServicesComponent();
    private final Path pgDir;
    private Venue venue;
    private Usage usage;

    private GatewayVenue(Path dir, int accounts) {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (env.getOrDefault("XEX_DB_URL", "").isEmpty()) {
            env.remove("XEX_DB_URL");
        } else {
            System.out.println("note: XEX_DB_URL is ignored; the benchmark always starts its own embedded PostgreSQL");
            env.put("XEX_DB_URL", "");
        }
        pgDir = dir.resolve("postgres");
        env.put("XEX_DB_EMBEDDED_DIR", pgDir.toString());
        env.put("XEX_DB_EMBEDDED_PORT", "0");
        env.put("XEX_OPS_PORT", "0");
        env.put("XEX_INSTRUMENTS", "TSLAx");
        env.put("XEX_GATEWAY_HOST", LOOPBACK);
        env.put("XEX_GATEWAY_PORT", "0");
        env.put("XEX_BINARY_HOST", LOOPBACK);
        env.put("XEX_BINARY_PORT", "0");
        env.put("XEX_GATEWAY_DEMO_ACCOUNTS", Integer.toString(accounts));
        // No settlement in the benchmarks: the demo accounts' funds go straight into the engine.
        env.put("XEX_GATEWAY_DEMO_FUNDING", "engine");
        env.putIfAbsent("XEX_GATEWAY_LIMITS_ORDERSPERSECOND", RAISED_WS_LIMIT);
        env.putIfAbsent("XEX_GATEWAY_LIMITS_REQUESTSPERSECONDPERIP", RAISED_WS_LIMIT);
        env.putIfAbsent("XEX_BINARY_MESSAGESPERSECOND", RAISED_BINARY_LIMIT);
        config = ConfigSource.load(null, env);
        gatewayConfig = GatewayConfig.from(config);
        binaryConfig = BinaryConfig.from(config);
        journalConfig = JournalConfig.from(config);
        gateway = new GatewayComponent(gatewayConfig, binaryConfig, System::currentTimeMillis);
    }

    /**
     * Starts the venue with {@code accounts} demo accounts (1 to {@code accounts}), its PostgreSQL in {@code dir}.
     *
     * @throws io.xex.runtime.config.ConfigException on a bad {@code XEX_*} setting, before anything starts
     */
    public static GatewayVenue start(Path dir, int accounts) {
        GatewayVenue venue = new GatewayVenue(dir, accounts);
        System.out.println("starting the venue (embedded PostgreSQL in " + venue.pgDir + ")...");
        venue.venue = Harness.await(Venue.start(venue.config, List.of(venue.gateway, venue.services)),
            START_TIMEOUT_SECONDS);
        venue.usage = new Usage(Usage.postmasterPid(venue.pgDir), venue.services.services().registry());
        return venue;
    }

    public GatewayComponent gateway() {
        return gateway;
    }

    public ConfigSource config() {
        return config;
    }

    public GatewayConfig gatewayConfig() {
        return gatewayConfig;
    }

    public BinaryConfig binaryConfig() {
        return binaryConfig;
    }

    public JournalConfig journalConfig() {
        return journalConfig;
    }

    public Usage usage() {
        return usage;
    }

    /** The id of an instrument (its binary securityId), by symbol or base asset. */
    public int instrumentId(String symbol) {
        return venue.catalog().find(symbol).id();
    }

    /** The first HMAC key of each demo account, account {@code a} at {@code a - 1}. */
    public List<ApiKeyStore.Created> demoKeys(int accounts) {
        List<ApiKeyStore.Created> keys = new ArrayList<>();
        for (long account = 1; account <= accounts; account++) {
            keys.add(Harness.await(gateway.keys().hmacKeysOf(account), START_TIMEOUT_SECONDS).getFirst());
        }
        return keys;
    }

    /** Prints the JVM, the machine and PostgreSQL with its durability settings, warning when they are not durable. */
    public void printMachine() {
        Runtime rt = Runtime.getRuntime();
        Row pg = Harness.await(services.services().database().query("SELECT version(), current_setting('fsync'),"
            + " current_setting('synchronous_commit'), current_setting('wal_sync_method')").execute(),
            START_TIMEOUT_SECONDS).iterator().next();
        System.out.printf(Locale.ROOT, "java: %s %s (%s), max heap %d MiB, %s%n", System.getProperty("java.vm.name"),
            System.getProperty("java.runtime.version"), System.getProperty("java.vm.vendor"), rt.maxMemory() >> 20,
            String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        System.out.printf(Locale.ROOT, "os: %s %s %s, availableProcessors (nproc): %d, cpu: %s%n",
            System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
            rt.availableProcessors(), Harness.cpuModel());
        System.out.printf(Locale.ROOT, "postgresql: %s%n  embedded, fsync=%s synchronous_commit=%s wal_sync_method=%s%n",
            pg.getString(0), pg.getString(1), pg.getString(2), pg.getString(3));
        if (!"on".equals(pg.getString(1)) || !"on".equals(pg.getString(2))) {
            System.out.println("WARNING: fsync or synchronous_commit is not on: acknowledgements are not durable");
        }
    }

    /**
     * Waits until the venue is idle again: a run ends when every order is acknowledged, but history, autovacuum and
     * the JIT may still be working off the last one, and would run into the next (the echo's, too). Idle: this JVM
     * below {@value #IDLE_JVM_CPUS} CPUs and PostgreSQL below {@value #IDLE_PG_CPUS} over {@value #IDLE_SAMPLE_MS} ms;
     * at most {@value #QUIESCE_MAX_SECONDS} s.
     */
    public void quiesce() {
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

    /** Stops the venue (the gateways first, closing their connections), if it started. */
    public Future<Void> stop() {
        return venue == null ? Future.succeededFuture() : venue.stop();
    }
}
