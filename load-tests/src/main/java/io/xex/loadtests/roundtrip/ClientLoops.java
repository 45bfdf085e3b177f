package io.xex.loadtests.roundtrip;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.xex.loadtests.Harness;

import java.util.ArrayList;
import java.util.List;

/**
 * The client's own Vert.x: {@code threads} event loops and one event-loop context per connection, connection
 * {@code c} on {@link #contexts()}{@code [c]} (deployments take the event loops in turn). Its threads are named
 * {@value #THREAD_PREFIX}{@code …}: the venue's are {@code vert.x-eventloop-thread-…} too, and the busiest-threads
 * report must tell them apart.
 *
 * <p>Made and closed from the main thread.
 */
public final class ClientLoops {
    public static final String THREAD_PREFIX = "client-eventloop-";
    private static final long TIMEOUT_SECONDS = 60;

    private final Vertx vertx;
    private final List<Context> contexts = new ArrayList<>();
    private final List<String> threadNames = new ArrayList<>();

    /** A verticle whose only use is its event-loop context, for a client connection. */
    private static final class ClientVerticle extends VerticleBase {
        Context context() {
            return context;
        }
    }

    public ClientLoops(int threads, int connections) {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(threads));
        for (int c = 0; c < connections; c++) {
            ClientVerticle verticle = new ClientVerticle(); // each deployment its own context, event loops in turn
            Harness.await(vertx.deployVerticle(verticle), TIMEOUT_SECONDS);
            contexts.add(verticle.context());
        }
        for (Context context : contexts) {
            Promise<String> renamed = Promise.promise();
            context.runOnContext(v -> {
                Thread thread = Thread.currentThread();
                thread.setName(thread.getName().replace("vert.x-eventloop-thread-", THREAD_PREFIX));
                renamed.complete(thread.getName());
            });
            String name = Harness.await(renamed.future(), TIMEOUT_SECONDS);
            if (!threadNames.contains(name)) {
                threadNames.add(name);
            }
        }
    }

    public Vertx vertx() {
        return vertx;
    }

    public List<Context> contexts() {
        return contexts;
    }

    /** The event-loop threads the connections use. */
    public List<String> threadNames() {
        return threadNames;
    }

    public Future<Void> close() {
        return vertx.close();
    }
}
