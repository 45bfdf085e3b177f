package io.xex.runtime;

import io.vertx.core.Future;

import java.util.List;

/**
 * A component that runs nothing and keeps what the venue offers its components, for tools and tests that work
 * beside a venue (a benchmark reading the meter registry, a test reading the journal). Subclasses add what they need,
 * for example a durable consumer; {@link #start} remembers the services, {@link #stop} has nothing to stop.
 */
public class ServicesComponent implements VenueComponent {
    private volatile Services services;

    /** What the venue offered at start; null before. */
    public Services services() {
        return services;
    }

    @Override
    public Future<Void> start(Services offered) {
        this.services = offered;
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
