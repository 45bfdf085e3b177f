package io.xex.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.xex.runtime.config.InstrumentCatalog;
import io.xex.runtime.engine.DurableConsumer;
import io.xex.runtime.engine.EngineRuntime;
import io.xex.runtime.ops.AdminRoutes;
import io.xex.runtime.history.HistoryWriter;

import java.util.List;

/**
 * A part of the venue that lives on top of the durable engine: a gateway, later settlement. The venue
 * starts its components in order once the engine has recovered, and stops them in reverse order before the
 * engine stops, so that a component can tell its clients and finish what it started. A component reads
 * and validates its configuration when it is constructed, before anything starts.
 */
public interface VenueComponent {

    /** What the venue offers its components. */
    record Services(Vertx vertx, InstrumentCatalog catalog, EngineRuntime engine, Pool database,
                    MeterRegistry registry, HistoryWriter history) {
    }

    /**
     * The readers of durable results this component keeps a cursor for (e.g. settlement), with their cursors
     * read from {@code database}: called before the engine recovers, so that recovery can hand each the results
     * after its cursor. None by default.
     */
    default Future<List<DurableConsumer>> durableConsumers(Pool database) {
        return Future.succeededFuture(List.of());
    }

    /** Adds the component's operator endpoints, once it has started; none by default. */
    default void adminRoutes(AdminRoutes admin) {
    }

    /** Starts the component; the venue fails to start if this fails. */
    Future<Void> start(Services services);

    /** Stops the component while the engine still runs. */
    Future<Void> stop();

    /** Lines for the "where everything is" banner of {@code xex run}. */
    List<String> describe();
}
