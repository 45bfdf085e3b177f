package io.xex.runtime.engine;

import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.xex.matching.Command;
import io.xex.matching.MatchingEngine;

import java.util.function.Function;

/** What waits in the matching thread's inbox: a command, or a question about the engine's state. */
sealed interface Submission {

    /** A command; its promise is completed on {@code context} once the command is durable. */
    record OfCommand(Command command, Context context, Promise<CommandResult> promise) implements Submission {
    }

    /** A request for the engine's sequence and state hash, answered on {@code context}. */
    record OfStatus(Context context, Promise<EngineStatus> promise) implements Submission {
    }

    /** A read-only question about the engine, answered on {@code context} once what it saw is durable. */
    record OfQuery<T>(Function<MatchingEngine, T> question, Context context, Promise<QueryAnswer<T>> promise)
        implements Submission {
    }
}
