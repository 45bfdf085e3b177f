package io.xex.runtime.engine;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.xex.matching.Command;
import io.xex.matching.MatchingEngine;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Where commands enter the engine (STYLE §2), from any thread or Vert.x context. A submission's future
 * completes on the submitter's context once the command is durable, with its sequence number and events;
 * or fails at once with a {@link CommandRefusedException} when the runtime cannot take it (as many
 * commands as it may hold are not yet durable: the journal is holding as many commands as it may because the database is away, the venue is
 * starting or stopping). Never blocks.
 *
 * <p>Thread-safe.
 */
public final class EngineProxy {
    private final Vertx vertx;
    private final Pending pending;
    private final Map<Refusal, Counter> refusals = new EnumMap<>(Refusal.class);
    private volatile MatchingLoop loop;
    private volatile JournalWriter journal;
    private volatile boolean stopping;

    EngineProxy(Vertx vertx, Pending pending, MeterRegistry registry) {
        this.vertx = vertx;
        this.pending = pending;
        for (Refusal refusal : Refusal.values()) {
            refusals.put(refusal, Counter.builder(RuntimeMetric.ENGINE_REFUSALS.meterName())
                .description(RuntimeMetric.ENGINE_REFUSALS.description())
                .tag("reason", refusal.name()).register(registry));
        }
    }

    void open(MatchingLoop loop, JournalWriter journal) {
        this.journal = journal;
        this.loop = loop;
    }

    void close() {
        stopping = true;
    }

    /** Submits a command; see the class comment for how the future completes. */
    public Future<CommandResult> submit(Command command) {
        Objects.requireNonNull(command, "command");
        Context context = vertx.getOrCreateContext();
        if (stopping) {
            return refuse(Refusal.RUNTIME_SHUTTING_DOWN);
        }
        MatchingLoop loop = this.loop;
        if (loop == null) {
            return refuse(Refusal.RUNTIME_STARTING);
        }
        if (loop.failed()) {
            return refuse(Refusal.RUNTIME_ENGINE_FAILED);
        }
        if (!pending.tryTake()) {
            return refuse(journal.available() ? Refusal.RUNTIME_ENGINE_BUSY : Refusal.RUNTIME_JOURNAL_UNAVAILABLE);
        }
        Promise<CommandResult> promise = Promise.promise();
        loop.offer(new Submission.OfCommand(command, context, promise));
        return promise.future();
    }

    /** The engine's sequence numbers and state hash, read between two commands. */
    public Future<EngineStatus> status() {
        Refusal closed = closedForQuestions();
        if (closed != null) {
            return refuse(closed);
        }
        Promise<EngineStatus> promise = Promise.promise();
        this.loop.offer(new Submission.OfStatus(vertx.getOrCreateContext(), promise));
        return promise.future();
    }

    /**
     * Asks the engine a read-only question on the matching thread, between two commands. The answer
     * arrives on the caller's context once every command it reflects is durable (so it never shows what a
     * crash could take back), with the sequence it was taken at. {@code question} must only read, must not
     * keep the engine's views past the call, and should be quick: the matching thread waits for it.
     */
    public <T> Future<QueryAnswer<T>> query(Function<MatchingEngine, T> question) {
        Objects.requireNonNull(question, "question");
        Refusal closed = closedForQuestions();
        if (closed != null) {
            return refuse(closed);
        }
        Promise<QueryAnswer<T>> promise = Promise.promise();
        this.loop.offer(new Submission.OfQuery<>(question, vertx.getOrCreateContext(), promise));
        return promise.future();
    }

    /** Why the engine cannot answer a question now, or {@code null} if it can. */
    private Refusal closedForQuestions() {
        MatchingLoop loop = this.loop;
        if (loop == null) {
            return Refusal.RUNTIME_STARTING;
        }
        if (stopping) {
            return Refusal.RUNTIME_SHUTTING_DOWN;
        }
        return loop.failed() ? Refusal.RUNTIME_ENGINE_FAILED : null;
    }

    /** Commands accepted and not yet durable. */
    public int pending() {
        return pending.count();
    }

    private <T> Future<T> refuse(Refusal refusal) {
        refusals.get(refusal).increment();
        return Future.failedFuture(refusal.exception());
    }
}
