package io.xex.runtime.engine;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.xex.matching.EngineConfig;
import io.xex.matching.RejectReason;
import io.xex.runtime.config.JournalConfig;
import io.xex.runtime.config.SnapshotConfig;
import io.xex.runtime.store.JournalStore;
import io.xex.runtime.store.SnapshotStore;

import java.time.InstantSource;
import java.util.List;

/**
 * The durable engine: recovery, the matching thread, the journal writer and the event adapter, wired
 * together. Commands go in through {@link #proxy()}, durable results come out of {@link #events()}.
 *
 * <p>{@link #start} and {@link #stop} are called once each, from any thread.
 */
public final class EngineRuntime {
    private final EngineProxy proxy;
    private final EngineEventAdapter events;
    private final EngineCounters counters;
    private final MatchingLoop loop;
    private final JournalWriter journal;
    private final Recovery.Recovered recovered;

    private EngineRuntime(EngineProxy proxy, EngineEventAdapter events, EngineCounters counters, MatchingLoop loop,
                          JournalWriter journal, Recovery.Recovered recovered) {
        this.proxy = proxy;
        this.events = events;
        this.counters = counters;
        this.loop = loop;
        this.journal = journal;
        this.recovered = recovered;
    }

    /**
     * Recovers the engine (newest snapshot at or below the lowest of the consumers' cursors, then the journal),
     * hands each consumer the results after its cursor, then starts the matching thread and has every consumer
     * receive the new durable results from then on.
     */
    public static Future<EngineRuntime> start(Vertx vertx, EngineConfig engineConfig, JournalStore journalStore,
                                              SnapshotStore snapshotStore, List<DurableConsumer> consumers,
                                              JournalConfig journalConfig, SnapshotConfig snapshotConfig,
                                              MeterRegistry registry, InstantSource clock) {
        EngineCounters counters = new EngineCounters();
        EventRecorder recorder = new EventRecorder(counters);
        Context journalContext = vertx.getOrCreateContext();
        List<DurableConsumer> readers = List.copyOf(consumers);
        return vertx.executeBlocking(() -> Recovery.run(engineConfig, recorder, journalStore, snapshotStore,
                readers), false)
            .map(recovered -> {
                Pending pending = new Pending(journalConfig.maxPending());
                EngineEventAdapter adapter = new EngineEventAdapter(vertx);
                EngineProxy proxy = new EngineProxy(vertx, pending, registry);
                JournalWriter journal = new JournalWriter(journalContext, journalStore, snapshotStore, journalConfig,
                    snapshotConfig, adapter, pending, recovered.sequence(), registry);
                MatchingLoop loop = new MatchingLoop(recovered.engine(), recorder, journal, counters, pending, clock,
                    snapshotConfig, recovered.sequence(), recovered.lastTimestampNs(), recovered.snapshotSequence(),
                    registry);
                registerMeters(registry, counters, pending);
                // Before the first command can be taken: no durable result is published before they listen.
                readers.forEach(consumer -> adapter.subscribe(consumer::accept));
                proxy.open(loop, journal);
                loop.start();
                return new EngineRuntime(proxy, adapter, counters, loop, journal, recovered);
            });
    }

    private static void registerMeters(MeterRegistry registry, EngineCounters counters, Pending pending) {
        FunctionCounter.builder(RuntimeMetric.ENGINE_COMMANDS.meterName(), counters, EngineCounters::commands)
            .description(RuntimeMetric.ENGINE_COMMANDS.description()).register(registry);
        FunctionCounter.builder(RuntimeMetric.ENGINE_TRADES.meterName(), counters, EngineCounters::trades)
            .description(RuntimeMetric.ENGINE_TRADES.description()).register(registry);
        Gauge.builder(RuntimeMetric.ENGINE_SEQUENCE.meterName(), counters, EngineCounters::sequence)
            .description(RuntimeMetric.ENGINE_SEQUENCE.description()).register(registry);
        Gauge.builder(RuntimeMetric.JOURNAL_PENDING.meterName(), pending, Pending::count)
            .description(RuntimeMetric.JOURNAL_PENDING.description()).register(registry);
        for (RejectReason reason : RejectReason.values()) {
            FunctionCounter.builder(RuntimeMetric.ENGINE_REJECTS.meterName(), counters, c -> c.rejects(reason))
                .description(RuntimeMetric.ENGINE_REJECTS.description())
                .tag("reason", reason.name()).tag("code", Integer.toString(reason.code())).register(registry);
        }
    }

    /** Fails if the matching thread ends on an internal error (it never does otherwise while running). */
    public Future<Void> ended() {
        return loop.ended();
    }

    public EngineProxy proxy() {
        return proxy;
    }

    public EngineEventAdapter events() {
        return events;
    }

    /** The last sequence recovery replayed: every result a durable consumer received up to it was recovered. */
    public long recoveredSequence() {
        return recovered.sequence();
    }

    /** The sequence recovery ended at, the snapshot it started from, and how many commands it replayed. */
    public String recoverySummary() {
        return "recovered to sequence " + recovered.sequence() + " (snapshot at " + recovered.snapshotSequence()
            + ", " + recovered.replayed() + " journaled commands replayed)";
    }

    /**
     * Stops cleanly: new commands are refused, the matching thread applies what it has, takes a last
     * snapshot and ends, and the journal writes everything down. Completes when all of it is durable.
     */
    public Future<Void> stop() {
        proxy.close();
        return loop.stop().compose(v -> journal.flushed(counters.sequence()));
    }
}
