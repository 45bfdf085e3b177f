package io.xex.gateway.ws;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.xex.gateway.GatewayConfig;
import io.xex.gateway.GatewayError;
import io.xex.gateway.GatewayMetric;
import io.xex.gateway.Listings;
import io.xex.gateway.auth.ApiKeyStore;
import io.xex.gateway.auth.Authenticator;
import io.xex.gateway.history.TradeHistory;
import io.xex.gateway.market.MarketData;
import io.xex.runtime.engine.EngineRuntime;
import io.xex.runtime.issuer.PrimaryMarket;
import io.xex.runtime.wallet.WithdrawalGate;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The trader gateway: one HTTP server with the WebSocket API at {@value #WS_PATH} and the REST API under
 * {@code /api/v1}, the market data, sessions, limits, and the periodic pings and ticker pushes.
 *
 * <p>One instance, and everything it holds is confined to its context: sessions, subscriptions, rate
 * windows, replay protection, the book mirrors. The engine is reached only through the runtime's proxy
 * (commands, queries) and adapter (durable results).
 */
public final class GatewayVerticle extends VerticleBase {
    public static final String WS_PATH = "/ws";
    private static final long NS_PER_MS = 1_000_000L;
    private static final long TICKER_SEED_MS = TimeUnit.HOURS.toMillis(24);
    private static final int TICKER_SEED_TRADES = 50_000;

    private final GatewayConfig config;
    private final Listings listings;
    private final EngineRuntime engine;
    private final TradeHistory history;
    private final ApiKeyStore keys;
    private final MeterRegistry registry;
    private final WithdrawalGate withdrawals;
    private final PrimaryMarket primaryMarket;
    private final LongSupplier clockMs;

    // Confined to this verticle's context:
    private final Map<Long, Session> sessions = new LinkedHashMap<>();
    private final Map<Integer, Counter> errorCounters = new ConcurrentHashMap<>();
    private Hub hub;
    private MarketData market;
    private Requests requests;
    private Authenticator authenticator;
    private Limits limits;
    private HttpServer server;
    private long nextSessionId = 1;
    private long housekeepingTimer = -1;
    private long tickerTimer = -1;
    private volatile int port;
    private volatile int openSessions;
    private long idleDisconnects;
    private long refusedConnections;
    private Counter requestsOk;
    private Counter requestsFailed;
    private Timer orderAck;

    public GatewayVerticle(GatewayConfig config, Listings listings, EngineRuntime engine, TradeHistory history,
                           ApiKeyStore keys, MeterRegistry registry, WithdrawalGate withdrawals,
                           PrimaryMarket primaryMarket, LongSupplier clockMs) {
        this.config = config;
        this.listings = listings;
        this.engine = engine;
        this.history = history;
        this.keys = keys;
        this.registry = registry;
        this.withdrawals = withdrawals;
        this.primaryMarket = primaryMarket;
        this.clockMs = clockMs;
    }

    @Override
    public Future<?> start() {
        limits = new Limits(config.ordersPerSecond(), config.requestsPerSecondPerIp(), config.connectionsPerIp());
        hub = new Hub(vertx, config.slowReaderTimeoutMs(), channel -> requests.snapshotOf(channel));
        market = new MarketData(listings, hub, config.recentTrades(), clockMs);
        // One authenticator for WebSocket logons and signed REST requests: a signature accepted by either is
        // refused by both afterwards.
        authenticator = new Authenticator(keys::find, clockMs);
        requests = new Requests(vertx, config, listings, engine.proxy(), market, hub, authenticator, limits, history,
            withdrawals, primaryMarket, clockMs);
        registerMeters();
        // Subscribe first, then read the seed: every result after the seed's sequence arrives after it.
        engine.events().subscribe(market::onResults);
        return market.start(engine.proxy())
            .compose(this::seedTrades)
            .compose(v -> listen())
            .onSuccess(v -> {
                housekeepingTimer = vertx.setPeriodic(config.pingIntervalMs(), t -> housekeeping());
                tickerTimer = vertx.setPeriodic(config.tickerIntervalMs(), t -> market.pushTickers());
            });
    }

    private Future<Void> seedTrades(long sequence) {
        long sinceNs = (clockMs.getAsLong() - TICKER_SEED_MS) * NS_PER_MS;
        List<Future<List<TradeHistory.TradeRecord>>> reads = new ArrayList<>();
        for (Listings.Listing listing : listings.all()) {
            reads.add(history.recent(listing.id(), sequence, sinceNs, Math.max(TICKER_SEED_TRADES, config.recentTrades())));
        }
        return Future.all(reads).map(all -> {
            for (Future<List<TradeHistory.TradeRecord>> read : reads) {
                for (TradeHistory.TradeRecord t : read.result()) {
                    market.addPastTrade(t.instrumentId(), t.tradeId(), t.timestampNs(), t.price(), t.quantity(), t.takerSide());
                }
            }
            return null;
        });
    }

    private Future<HttpServer> listen() {
        HttpServerOptions options = new HttpServerOptions()
            .setHost(config.host())
            .setPort(config.port())
            .setMaxWebSocketFrameSize(config.maxFrameBytes())
            .setMaxWebSocketMessageSize(config.maxFrameBytes())
            .setRegisterWebSocketWriteHandlers(false);
        Router router = Router.router(vertx);
        new RestRoutes(requests, limits, history, listings, authenticator, config.calendar(), clockMs,
            this::countError).mount(router);
        server = vertx.createHttpServer(options)
            .webSocketHandshakeHandler(handshake -> {
                if (WS_PATH.equals(handshake.path())) {
                    handshake.accept();
                } else {
                    handshake.reject(404);
                }
            })
            .webSocketHandler(this::connected)
            .requestHandler(router);
        return server.listen().onSuccess(s -> port = s.actualPort());
    }

    /** The port the server listens on (after start). */
    public int port() {
        return port;
    }

    // ---------------------------------------------------------------------------------------------
    // Connections

    private void connected(ServerWebSocket socket) {
        String address = socket.remoteAddress() == null ? "unknown" : socket.remoteAddress().hostAddress();
        if (!limits.connect(address)) {
            refusedConnections++;
            socket.writeTextMessage(errorMessage(null, RequestException.of(GatewayError.LIMIT_CONNECTIONS)));
            socket.close(Session.closeStatus(GatewayError.LIMIT_CONNECTIONS), Session.closeReason(GatewayError.LIMIT_CONNECTIONS));
            return;
        }
        socket.setWriteQueueMaxSize(config.writeQueueBytes());
        Session session = new Session(nextSessionId++, socket, address, clockMs.getAsLong());
        sessions.put(session.id, session);
        openSessions = sessions.size();
        socket.textMessageHandler(text -> received(session, text));
        socket.binaryMessageHandler(bytes -> {
            session.lastReceivedMs = clockMs.getAsLong();
            session.send(errorMessage(null, RequestException.of(GatewayError.REQUEST_BINARY_FRAME)));
        });
        socket.pongHandler(data -> session.lastReceivedMs = clockMs.getAsLong());
        socket.exceptionHandler(e -> tooBig(session, e));
        socket.closeHandler(v -> closed(session));
    }

    /**
     * A frame or a message over {@code gateway.maxFrameBytes}: closed with 1009 and a reason. (Vert.x reports
     * both as exceptions; left alone, it drops an oversized frame's connection without a close frame and
     * silently discards an oversized message made of small frames.)
     */
    private void tooBig(Session session, Throwable e) {
        if (e instanceof CorruptedWebSocketFrameException corrupted) {
            session.close((short) corrupted.closeStatus().code(), "frame larger than " + config.maxFrameBytes() + " bytes");
        } else if (e instanceof IllegalStateException && String.valueOf(e.getMessage()).contains("max message size")) {
            session.close((short) WebSocketCloseStatus.MESSAGE_TOO_BIG.code(),
                "message larger than " + config.maxFrameBytes() + " bytes");
        }
    }

    private void closed(Session session) {
        session.closed = true;
        if (sessions.remove(session.id) != null) {
            limits.disconnect(session.address);
            hub.removed(session);
        }
        openSessions = sessions.size();
    }

    private void received(Session session, String text) {
        long now = clockMs.getAsLong();
        session.lastReceivedMs = now;
        // Counted before anything else, malformed requests included: a flood costs its sender, not the venue.
        boolean withinLimit = limits.request(session.address, now);
        if (text.length() > config.maxRequestBytes()
            || text.length() * 3L > config.maxRequestBytes()
            && text.getBytes(StandardCharsets.UTF_8).length > config.maxRequestBytes()) {
            fail(session, null, withinLimit ? new RequestException(GatewayError.REQUEST_TOO_LARGE,
                "at most " + config.maxRequestBytes() + " bytes") : RequestException.of(GatewayError.LIMIT_REQUEST_RATE));
            return;
        }
        JsonObject request;
        try {
            request = new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            fail(session, null, withinLimit ? RequestException.of(GatewayError.REQUEST_MALFORMED)
                : RequestException.of(GatewayError.LIMIT_REQUEST_RATE));
            return;
        }
        Object id = request.getValue("id");
        if (id != null && !(id instanceof String) && !(id instanceof Integer) && !(id instanceof Long)) {
            fail(session, null, new RequestException(GatewayError.REQUEST_INVALID_PARAMETER, "id: a string or a whole number"));
            return;
        }
        if (!withinLimit) {
            fail(session, id, RequestException.of(GatewayError.LIMIT_REQUEST_RATE));
            return;
        }
        Object method = request.getValue("method");
        if (!(method instanceof String name)) {
            fail(session, id, new RequestException(GatewayError.REQUEST_MISSING_PARAMETER, "method"));
            return;
        }
        Object params = request.getValue("params");
        if (params != null && !(params instanceof JsonObject)) {
            fail(session, id, new RequestException(GatewayError.REQUEST_INVALID_PARAMETER, "params: an object"));
            return;
        }
        long startNs = System.nanoTime();
        requests.handle(session, name, params == null ? new JsonObject() : (JsonObject) params).onComplete(ar -> {
            if (ar.succeeded()) {
                requestsOk.increment();
                session.send(new JsonObject().put("id", id).put("status", 200).put("result", ar.result())
                    .put("rateLimits", limits.report(session.address, session.accountId, clockMs.getAsLong())).encode());
                if (name.equals("order.place")) {
                    orderAck.record(System.nanoTime() - startNs, TimeUnit.NANOSECONDS);
                }
            } else {
                fail(session, id, ar.cause());
            }
        });
    }

    private void fail(Session session, Object id, Throwable cause) {
        session.send(errorMessage(id, cause, limits.report(session.address, session.accountId, clockMs.getAsLong())));
    }

    private String errorMessage(Object id, Throwable cause) {
        return errorMessage(id, cause, null);
    }

    private String errorMessage(Object id, Throwable cause, io.vertx.core.json.JsonArray rateLimits) {
        RequestException error = asRequestException(cause);
        requestsFailed.increment();
        countError(error.code);
        JsonObject message = new JsonObject().put("id", id).put("status", error.status).put("error", error.error());
        if (rateLimits != null) {
            message.put("rateLimits", rateLimits);
        }
        return message.encode();
    }

    static RequestException asRequestException(Throwable cause) {
        if (cause instanceof RequestException e) {
            return e;
        }
        System.err.println("xex: gateway: internal error answering a request: " + cause);
        return new RequestException(GatewayError.INTERNAL, null);
    }

    private void countError(int code) {
        errorCounters.computeIfAbsent(code, c -> Counter.builder(GatewayMetric.ERRORS.meterName())
            .description(GatewayMetric.ERRORS.description()).tag("code", Integer.toString(c)).register(registry))
            .increment();
    }

    /** Pings every connection, closes the silent ones, forgets old rate windows. */
    private void housekeeping() {
        long now = clockMs.getAsLong();
        for (Session session : List.copyOf(sessions.values())) {
            if (session.closed) {
                continue;
            }
            if (now - session.lastReceivedMs >= config.idleTimeoutMs()) {
                idleDisconnects++;
                session.close(GatewayError.SESSION_IDLE);
            } else {
                session.socket.writePing(Buffer.buffer("xex"));
            }
        }
        limits.forgetOld(now);
    }

    /**
     * Before a planned stop: tells every connection with a {@code serverShutdown} message (when to
     * reconnect) and closes it with 1001; then stops listening.
     */
    public Future<Void> shutdown() {
        Promise<Void> promise = Promise.promise();
        context.runOnContext(v -> {
            try {
                shutdownOnContext().onComplete(promise);
            } catch (RuntimeException | Error e) {
                // A shutdown that throws must still end, or the venue's stop waits for ever.
                promise.tryFail(e);
            }
        });
        return promise.future();
    }

    private Future<Void> shutdownOnContext() {
        Future<Void> done = Future.succeededFuture();
        if (housekeepingTimer >= 0) {
            vertx.cancelTimer(housekeepingTimer);
            vertx.cancelTimer(tickerTimer);
        }
        requests.cancelTimers();
        String notice = new JsonObject().put("channel", "serverShutdown").put("type", "notice")
            .put("data", new JsonObject().put("code", GatewayError.SESSION_SERVER_SHUTDOWN.code())
                .put("msg", GatewayError.SESSION_SERVER_SHUTDOWN.text())
                .put("reconnectAfterMs", config.reconnectAfterMs())).encode();
        for (Session session : List.copyOf(sessions.values())) {
            session.send(notice);
            session.close((short) 1001, Session.closeReason(GatewayError.SESSION_SERVER_SHUTDOWN));
        }
        return server == null ? done : server.close();
    }

    private void registerMeters() {
        Gauge.builder(GatewayMetric.SESSIONS.meterName(), this, g -> g.openSessions)
            .description(GatewayMetric.SESSIONS.description()).register(registry);
        requestsOk = Counter.builder(GatewayMetric.REQUESTS.meterName()).description(GatewayMetric.REQUESTS.description())
            .tag("outcome", "ok").register(registry);
        requestsFailed = Counter.builder(GatewayMetric.REQUESTS.meterName()).description(GatewayMetric.REQUESTS.description())
            .tag("outcome", "error").register(registry);
        orderAck = Timer.builder(GatewayMetric.ORDER_ACK.meterName()).description(GatewayMetric.ORDER_ACK.description())
            .publishPercentiles(0.5, 0.99, 0.999).register(registry);
        FunctionCounter.builder(GatewayMetric.SLOW_DISCONNECTS.meterName(), this, g -> g.hub.slowDisconnects())
            .description(GatewayMetric.SLOW_DISCONNECTS.description()).register(registry);
        FunctionCounter.builder(GatewayMetric.CONFLATED.meterName(), this, g -> g.hub.conflatedMessages())
            .description(GatewayMetric.CONFLATED.description()).register(registry);
        FunctionCounter.builder(GatewayMetric.CONNECTIONS_REFUSED.meterName(), this, g -> g.refusedConnections)
            .description(GatewayMetric.CONNECTIONS_REFUSED.description()).register(registry);
        FunctionCounter.builder(GatewayMetric.IDLE_DISCONNECTS.meterName(), this, g -> g.idleDisconnects)
            .description(GatewayMetric.IDLE_DISCONNECTS.description()).register(registry);
    }
}
