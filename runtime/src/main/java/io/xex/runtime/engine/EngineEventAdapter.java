package io.xex.runtime.engine;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Where engine outcomes leave the runtime (STYLE §2): durable command results, in sequence order, handed to
 * each subscriber on the Vert.x context it subscribed from. Nothing reaches a subscriber before the journal
 * has made it durable.
 *
 * <p>{@link #publish} is called on the journal writer's context; subscribing is thread-safe.
 */
public final class EngineEventAdapter {
    private record Subscriber(Context context, Handler<List<CommandResult>> handler) {
    }

    private final Vertx vertx;
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    public EngineEventAdapter(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * Receives every durable result from now on, in batches in sequence order, on the caller's context
     * (a new event-loop context if the caller has none).
     */
    public void subscribe(Handler<List<CommandResult>> handler) {
        subscribers.add(new Subscriber(vertx.getOrCreateContext(), handler));
    }

    void publish(List<CommandResult> results) {
        for (Subscriber subscriber : subscribers) {
            subscriber.context.runOnContext(v -> subscriber.handler.handle(results));
        }
    }
}
