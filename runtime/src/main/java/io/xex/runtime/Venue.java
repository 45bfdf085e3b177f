package io.xex.runtime;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Pool;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.config.HistoryConfig;
import io.xex.runtime.config.InstrumentCatalog;
import io.xex.runtime.config.JournalConfig;
import io.xex.runtime.config.OpsConfig;
import io.xex.runtime.config.SnapshotConfig;
import io.xex.runtime.db.Database;
import io.xex.runtime.db.DbConfig;
import io.xex.runtime.db.EmbeddedDatabase;
import io.xex.runtime.engine.DurableConsumer;
import io.xex.runtime.engine.EngineRuntime;
import io.xex.runtime.history.HistoryWriter;
import io.xex.runtime.ops.OpsServer;
import io.xex.runtime.store.HistoryStore;
import io.xex.runtime.store.JournalStore;
import io.xex.runtime.store.SnapshotStore;

import java.io.PrintStream;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole venue in one process, started and stopped in order: configuration (checked before anything
 * starts), Vert.x with Micrometer metrics, PostgreSQL (embedded unless one is configured) with its
 * migrations, history, the durable engine (recovered), the ops HTTP server, then the venue's components
 * (gateways) in order; they stop first, in reverse order.
 *
 * <p>{@link #start} and {@link #stop} are called once each, from any thread.
 */
public final class Venue {
    private final Vertx vertx;
    private final Database database;
    private final EngineRuntime runtime;
    private final HistoryWriter history;
    private final OpsServer ops;
    private final InstrumentCatalog catalog;
    private final DbConfig dbConfig;
    private final String adminToken;
    /** Where to reach the ops server: its configured host, or loopback when it listens on every address. */
    private final String opsHost;
    private final List<VenueComponent> components;

    private Venue(Vertx vertx, Database database, EngineRuntime runtime, HistoryWriter history, OpsServer ops,
                  InstrumentCatalog catalog, DbConfig dbConfig, String adminToken, String opsHost,
                  List<VenueComponent> components) {
        this.vertx = vertx;
        this.database = database;
        this.runtime = runtime;
        this.history = history;
        this.ops = ops;
        this.catalog = catalog;
        this.dbConfig = dbConfig;
        this.adminToken = adminToken;
        this.opsHost = opsHost.equals("0.0.0.0") || opsHost.equals("::") ? "127.0.0.1" : opsHost;
        this.components = components;
    }

    /** The engine and its services alone, without gateways. */
    public static Future<Venue> start(ConfigSource config) {
        return start(config, List.of());
    }

    /**
     * Reads every setting first (a bad one fails here, before anything starts), then starts the venue and,
     * once the engine has recovered, {@code components} in order.
     */
    public static Future<Venue> start(ConfigSource config, List<VenueComponent> components) {
        InstrumentCatalog catalog = InstrumentCatalog.from(config);
        DbConfig dbConfig = DbConfig.from(config);
        JournalConfig journalConfig = JournalConfig.from(config);
        SnapshotConfig snapshotConfig = SnapshotConfig.from(config);
        HistoryConfig historyConfig = HistoryConfig.from(config);
        OpsConfig opsConfig = OpsConfig.from(config);
        String adminToken = opsConfig.adminToken() != null ? opsConfig.adminToken() : randomToken();

        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Vertx vertx = Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions().setEnabled(true)
                .setJvmMetricsEnabled(true)))
            .withMetrics(new MicrometerMetricsFactory(registry))
            .build();
        // Completed outside Vert.x: a start that fails closes the database, then Vert.x, and only then reports, so
        // nothing it opened outlives the failure (a listener bound to one of Vert.x's contexts would not run then).
        Promise<Venue> result = Promise.promise();
        Database.start(vertx, dbConfig).onFailure(e -> vertx.close().onComplete(v -> result.fail(e)))
            .onSuccess(database -> start(vertx, database, catalog, dbConfig, journalConfig, snapshotConfig,
                historyConfig, opsConfig, adminToken, registry, components).onComplete(ar -> {
                    if (ar.succeeded()) {
                        result.complete(ar.result());
                    } else {
                        database.close().onComplete(closed -> vertx.close().onComplete(v -> result.fail(ar.cause())));
                    }
                }));
        return result.future();
    }

    private static Future<Venue> start(Vertx vertx, Database database, InstrumentCatalog catalog, DbConfig dbConfig,
                                       JournalConfig journalConfig, SnapshotConfig snapshotConfig,
                                       HistoryConfig historyConfig, OpsConfig opsConfig, String adminToken,
                                       PrometheusMeterRegistry registry, List<VenueComponent> components) {
        JournalStore journal = new JournalStore(database.pool());
        SnapshotStore snapshots = new SnapshotStore(database.pool());
        HistoryWriter history = new HistoryWriter(new HistoryStore(database.pool()), historyConfig, registry);
        return vertx.deployVerticle(history)
            .compose(id -> durableConsumers(components, database.pool()))
            .compose(consumers -> {
                List<DurableConsumer> all = new ArrayList<>();
                all.add(history);
                all.addAll(consumers);
                return EngineRuntime.start(vertx, catalog.engine(), journal, snapshots, all, journalConfig,
                    snapshotConfig, registry, InstantSource.system());
            })
            .compose(runtime -> {
                OpsServer ops = new OpsServer(opsConfig, adminToken, runtime.proxy(), registry);
                VenueComponent.Services services = new VenueComponent.Services(vertx, catalog, runtime,
                    database.pool(), registry, history);
                Future<?> started = vertx.deployVerticle(ops);
                for (VenueComponent component : components) {
                    started = started.compose(v -> component.start(services)).andThen(ar -> {
                        if (ar.succeeded()) {
                            component.adminRoutes(ops);
                        }
                    });
                }
                return started.map(v ->
                    new Venue(vertx, database, runtime, history, ops, catalog, dbConfig, adminToken,
                        opsConfig.host(), List.copyOf(components)));
            });
    }

    /** The durable consumers of every component, with their cursors read, before the engine recovers. */
    private static Future<List<DurableConsumer>> durableConsumers(List<VenueComponent> components, Pool pool) {
        List<Future<List<DurableConsumer>>> reads = new ArrayList<>();
        for (VenueComponent component : components) {
            reads.add(component.durableConsumers(pool));
        }
        return Future.all(reads).map(all -> {
            List<DurableConsumer> consumers = new ArrayList<>();
            reads.forEach(read -> consumers.addAll(read.result()));
            return consumers;
        });
    }

    public EngineRuntime runtime() {
        return runtime;
    }

    public InstrumentCatalog catalog() {
        return catalog;
    }

    public int opsPort() {
        return ops.port();
    }

    public String adminToken() {
        return adminToken;
    }

    /** What a newcomer needs to find everything, printed once at start. */
    public void printWhereEverythingIs(PrintStream out) {
        String ops = "http://" + opsHost + ":" + this.ops.port();
        out.println("xex: venue running; " + runtime.recoverySummary());
        out.println("  instruments : " + catalog.instruments().stream().map(InstrumentCatalog.Instrument::symbol).toList());
        out.println("  database    : " + database.embedded().map(Venue::describe).orElse("external " + dbConfig.url()));
        out.println("  metrics     : " + ops + "/metrics");
        out.println("  engine      : " + ops + "/admin/engine   (Authorization: Bearer " + adminToken + ")");
        out.println("  commands    : POST " + ops + "/admin/commands   (same token; JSON, see docs/runtime.md)");
        for (VenueComponent component : components) {
            component.describe().forEach(line -> out.println("  " + line));
        }
        out.println("  stop        : Ctrl-C or SIGTERM (journal flushed, snapshot taken)");
    }

    private static String describe(EmbeddedDatabase embedded) {
        return "embedded PostgreSQL on " + embedded.host() + ":" + embedded.port() + ", data in "
            + embedded.dataDirectory().toAbsolutePath();
    }

    /**
     * Stops cleanly: the engine refuses new commands, applies what it has, snapshots and flushes its
     * journal; history writes what it received; then the server, the database and Vert.x stop.
     */
    public Future<Void> stop() {
        Future<Void> stopped = Future.succeededFuture();
        for (VenueComponent component : components.reversed()) {
            stopped = stopped.eventually(component::stop);
        }
        return stopped.transform(ar -> runtime.stop())
            .compose(v -> history.drained())
            .eventually(() -> vertx.undeploy(ops.deploymentID()))
            .eventually(database::close)
            .eventually(vertx::close);
    }

    private static String randomToken() {
        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
