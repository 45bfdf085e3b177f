package io.xex.runtime.ops;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.xex.matching.Command;
import io.xex.runtime.config.OpsConfig;
import io.xex.runtime.engine.CommandRefusedException;
import io.xex.runtime.engine.EngineProxy;
import io.xex.runtime.engine.Refusal;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The operations HTTP server:
 * <ul>
 *   <li>{@code GET /metrics}: Prometheus text, Vert.x's own meters and the runtime's;</li>
 *   <li>{@code GET /admin/engine}: {@code {"sequence", "durableSequence", "stateHash"}};</li>
 *   <li>{@code POST /admin/commands}: one engine command as JSON, answered once it is durable with its
 *       sequence number and events (503 with the refusal when the runtime refuses it). Until the trader
 *       and market-maker gateways exist this is how commands reach the venue; tests drive it too.</li>
 * </ul>
 * and what components add ({@link AdminRoutes}). {@code /admin/*} needs {@code Authorization: Bearer
 * <ops.adminToken>}. Listens on loopback by default.
 *
 * <p>Confined to its verticle's event-loop context.
 */
public final class OpsServer extends VerticleBase implements AdminRoutes {
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final OpsConfig config;
    private final String adminToken;
    private final EngineProxy engine;
    private final PrometheusMeterRegistry registry;
    private HttpServer server;
    private volatile Router router;

    public OpsServer(OpsConfig config, String adminToken, EngineProxy engine, PrometheusMeterRegistry registry) {
        this.config = config;
        this.adminToken = adminToken;
        this.engine = engine;
        this.registry = registry;
    }

    @Override
    public Future<?> start() {
        router = Router.router(vertx);
        router.get("/metrics").handler(rc -> rc.response()
            .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(registry.scrape()));
        router.get("/healthz").handler(rc -> rc.response().end("ok\n"));
        router.errorHandler(404, rc -> error(rc, 404, 404, "no such resource"));
        router.errorHandler(405, rc -> error(rc, 405, 405, "method not allowed"));
        router.errorHandler(413, rc -> error(rc, 413, 413, "body larger than " + MAX_BODY_BYTES + " bytes"));
        router.route("/admin/*").handler(this::authorize);
        router.get("/admin/engine").handler(this::engineStatus);
        router.post("/admin/commands").handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES)).handler(this::command);
        return vertx.createHttpServer().requestHandler(router).listen(config.port(), config.host())
            .onSuccess(s -> server = s);
    }

    @Override
    public void get(String path, Supplier<Future<JsonObject>> handler) {
        router.get("/admin/" + path).handler(rc -> answer(rc, handler.get()));
    }

    @Override
    public void post(String path, Function<JsonObject, Future<JsonObject>> handler) {
        router.post("/admin/" + path).handler(BodyHandler.create().setBodyLimit(MAX_BODY_BYTES)).handler(rc -> {
            JsonObject body;
            try {
                body = rc.body().asJsonObject();
            } catch (DecodeException | ClassCastException e) {
                body = null;
            }
            if (body == null) {
                error(rc, 400, 400, "the body must be a JSON object");
                return;
            }
            answer(rc, handler.apply(body));
        });
    }

    private static void answer(RoutingContext rc, Future<JsonObject> answer) {
        answer.onComplete(ar -> {
            if (ar.succeeded()) {
                json(rc, 200, ar.result());
            } else if (ar.cause() instanceof AdminException refused) {
                error(rc, refused.status(), refused.status(), refused.getMessage());
            } else {
                error(rc, 500, 500, "internal error: " + ar.cause());
            }
        });
    }

    /** The port listened on (the chosen one when configured as 0). */
    public int port() {
        return server.actualPort();
    }

    private void authorize(RoutingContext rc) {
        String header = rc.request().getHeader("Authorization");
        byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
        byte[] expected = ("Bearer " + adminToken).getBytes(StandardCharsets.UTF_8);
        if (MessageDigest.isEqual(given, expected)) {
            rc.next();
        } else {
            error(rc, 401, 401, "admin token missing or wrong");
        }
    }

    private void engineStatus(RoutingContext rc) {
        engine.status().onComplete(ar -> {
            if (ar.succeeded()) {
                json(rc, 200, new JsonObject().put("sequence", ar.result().sequence())
                    .put("durableSequence", ar.result().durableSequence()).put("stateHash", ar.result().stateHashHex()));
            } else {
                refused(rc, ar.cause());
            }
        });
    }

    private void command(RoutingContext rc) {
        Command command;
        try {
            JsonObject json = rc.body().asJsonObject();
            if (json == null) {
                error(rc, 400, 400, "malformed command: the body must be a JSON object");
                return;
            }
            command = RecordJson.decodeCommand(json);
        } catch (DecodeException | IllegalArgumentException | ClassCastException e) {
            error(rc, 400, 400, "malformed command: " + e.getMessage());
            return;
        }
        engine.submit(command).onComplete(ar -> {
            if (ar.succeeded()) {
                json(rc, 200, (JsonObject) RecordJson.encode(ar.result()));
            } else {
                refused(rc, ar.cause());
            }
        });
    }

    private static void refused(RoutingContext rc, Throwable cause) {
        if (cause instanceof CommandRefusedException refused) {
            int status = refused.refusal() == Refusal.RUNTIME_MALFORMED_COMMAND ? 400 : 503;
            error(rc, status, refused.refusal().code(), refused.refusal().text());
        } else {
            error(rc, 500, 500, "internal error: " + cause);
        }
    }

    private static void error(RoutingContext rc, int status, int code, String message) {
        json(rc, status, new JsonObject().put("error", new JsonObject().put("code", code).put("msg", message)));
    }

    private static void json(RoutingContext rc, int status, JsonObject body) {
        rc.response().setStatusCode(status).putHeader("content-type", "application/json").end(body.encode());
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }
}
