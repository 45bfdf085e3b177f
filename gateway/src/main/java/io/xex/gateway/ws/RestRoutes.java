package io.xex.gateway.ws;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.xex.gateway.GatewayError;
import io.xex.gateway.Listings;
import io.xex.gateway.Listings.Listing;
import io.xex.gateway.auth.Authenticator;
import io.xex.gateway.history.TradeHistory;
import io.xex.matching.Side;
import io.xex.runtime.calendar.MarketCalendar;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;

/**
 * The REST API beside the WebSocket, under {@code /api/v1}: the public methods answered from the same
 * market data (so a depth snapshot carries the update id that WebSocket deltas continue from), the
 * market status, and a signed CSV export of an account's trades for tax records.
 *
 * <p>Handlers run on the gateway's context.
 */
final class RestRoutes {
    static final int MAX_EXPORT_ROWS = 100_000;
    private static final long NS_PER_MS = 1_000_000L;
    private static final String CSV_HEADER = "time_utc,venue,symbol,side,quantity,price,quote_amount,fee,fee_asset,"
        + "liquidity,trade_id,order_id,chain_id,tx_hash\n";

    private final Requests requests;
    private final Limits limits;
    private final TradeHistory history;
    private final Listings listings;
    private final Authenticator exportAuthenticator;
    private final MarketCalendar calendar;
    private final LongSupplier clockMs;
    private final IntConsumer errors;

    RestRoutes(Requests requests, Limits limits, TradeHistory history, Listings listings, Authenticator authenticator,
               MarketCalendar calendar, LongSupplier clockMs, IntConsumer errors) {
        this.requests = requests;
        this.limits = limits;
        this.history = history;
        this.listings = listings;
        this.exportAuthenticator = authenticator;
        this.calendar = calendar;
        this.clockMs = clockMs;
        this.errors = errors;
    }

    void mount(Router router) {
        router.get("/api/v1/instruments").handler(ctx -> publicMethod(ctx, "instruments"));
        router.get("/api/v1/depth").handler(ctx -> publicMethod(ctx, "depth"));
        router.get("/api/v1/trades").handler(ctx -> publicMethod(ctx, "trades"));
        router.get("/api/v1/ticker").handler(ctx -> publicMethod(ctx, "ticker"));
        router.get("/api/v1/status").handler(ctx -> publicMethod(ctx, "status"));
        router.get("/api/v1/time").handler(ctx -> publicMethod(ctx, "time"));
        router.get("/api/v1/market-status").handler(this::marketStatus);
        router.get("/api/v1/reserves").handler(ctx -> publicMethod(ctx, "reserves"));
        router.get("/api/v1/account/trades.csv").handler(this::export);
        router.route().last().handler(ctx -> error(ctx, 404, new RequestException(404,
            GatewayError.REQUEST_UNKNOWN_METHOD.code(), GatewayError.REQUEST_UNKNOWN_METHOD.text(), ctx.request().path())));
    }

    private boolean allowed(RoutingContext ctx) {
        if (limits.request(address(ctx), clockMs.getAsLong())) {
            return true;
        }
        error(ctx, 429, RequestException.of(GatewayError.LIMIT_REQUEST_RATE));
        return false;
    }

    private void publicMethod(RoutingContext ctx, String method) {
        if (!allowed(ctx)) {
            return;
        }
        JsonObject params = new JsonObject();
        ctx.queryParams().forEach(params::put);
        requests.handle(null, method, params).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.response().putHeader("content-type", "application/json").end(ar.result().encode());
            } else {
                RequestException e = GatewayVerticle.asRequestException(ar.cause());
                error(ctx, e.status, e);
            }
        });
    }

    /**
     * Per symbol: its trading state, and from the market calendar whether its underlying market is open now, the
     * underlying's next open and next close (milliseconds since the epoch, like {@code serverTime}) and why it is
     * closed all day today ({@code weekend}, a holiday's name, {@code special closure}; {@code null} on a trading
     * day). Every underlying follows the one US calendar. The state is the engine's, so it may be HALTED or
     * CANCEL_ONLY while the underlying is open.
     */
    private void marketStatus(RoutingContext ctx) {
        if (!allowed(ctx)) {
            return;
        }
        long nowMs = clockMs.getAsLong();
        Instant now = Instant.ofEpochMilli(nowMs);
        boolean open = calendar.isOpen(now);
        long nextOpen = calendar.nextOpen(now).toEpochMilli();
        long nextClose = calendar.nextClose(now).toEpochMilli();
        String closure = calendar.closure(now.atZone(MarketCalendar.ZONE).toLocalDate()).orElse(null);
        JsonArray out = new JsonArray();
        for (Listing listing : listings.all()) {
            JsonObject status = requests.snapshotOf("status." + listing.symbol());
            out.add(new JsonObject()
                .put("symbol", listing.symbol())
                .put("underlying", listing.instrument().underlying())
                .put("exchange", listing.instrument().exchange())
                .put("state", status.getString("state"))
                .put("underlyingOpen", open)
                .put("nextOpen", nextOpen)
                .put("nextClose", nextClose)
                .put("closure", closure));
        }
        ctx.response().putHeader("content-type", "application/json")
            .end(new JsonObject().put("serverTime", nowMs).put("symbols", out).encode());
    }

    /**
     * {@code GET /api/v1/account/trades.csv?apiKey=…&timestamp=…&signature=…[&recvWindow][&from][&to]}:
     * signed like {@code session.logon} over every query parameter; {@code from} and {@code to} are
     * milliseconds since the epoch (inclusive). One line per trade side of the account, oldest first.
     */
    private void export(RoutingContext ctx) {
        if (!allowed(ctx)) {
            return;
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        MultiMap query = ctx.queryParams();
        for (String name : query.names()) {
            if (query.getAll(name).size() != 1) {
                error(ctx, 400, new RequestException(GatewayError.REQUEST_INVALID_PARAMETER, name + ": given twice"));
                return;
            }
            parameters.put(name, query.get(name));
        }
        long account;
        switch (exportAuthenticator.authenticate(parameters)) {
            case Authenticator.Result.Refused refused -> {
                error(ctx, 401, new RequestException(refused.error(), refused.detail()));
                return;
            }
            case Authenticator.Result.Authenticated ok -> account = ok.accountId();
        }
        long fromNs;
        long toNs;
        try {
            fromNs = parameters.containsKey("from") ? startOfMs(Long.parseLong(parameters.get("from"))) : 0;
            toNs = parameters.containsKey("to") ? endOfMs(Long.parseLong(parameters.get("to"))) : Long.MAX_VALUE;
        } catch (NumberFormatException e) {
            error(ctx, 400, new RequestException(GatewayError.REQUEST_INVALID_PARAMETER, "from, to: milliseconds"));
            return;
        }
        Future<java.util.List<TradeHistory.TradeRecord>> rows = history.ofAccount(account, -1, 0, fromNs, toNs,
            MAX_EXPORT_ROWS);
        rows.onComplete(ar -> {
            if (ar.failed()) {
                error(ctx, 503, new RequestException(503, GatewayError.INTERNAL.code(), "history unavailable", null));
                return;
            }
            StringBuilder csv = new StringBuilder(CSV_HEADER);
            for (TradeHistory.TradeRecord t : ar.result()) {
                if (t.takerAccountId() == account) {
                    line(csv, t, true);
                }
                if (t.makerAccountId() == account) {
                    line(csv, t, false);
                }
            }
            ctx.response().putHeader("content-type", "text/csv; charset=utf-8")
                .putHeader("content-disposition", "attachment; filename=\"xex-trades-" + account + ".csv\"")
                .end(csv.toString());
        });
    }

    /** The first nanosecond of a millisecond, clamped to the representable range. */
    static long startOfMs(long ms) {
        return ms <= 0 ? 0 : ms >= Long.MAX_VALUE / NS_PER_MS ? Long.MAX_VALUE : ms * NS_PER_MS;
    }

    /** The last nanosecond of a millisecond (so that {@code to} is inclusive), clamped likewise. */
    static long endOfMs(long ms) {
        return ms < 0 ? -1 : ms >= (Long.MAX_VALUE - (NS_PER_MS - 1)) / NS_PER_MS ? Long.MAX_VALUE
            : ms * NS_PER_MS + NS_PER_MS - 1;
    }

    private void line(StringBuilder csv, TradeHistory.TradeRecord t, boolean taker) {
        Listing listing = listings.byId(t.instrumentId());
        Side side = taker ? t.takerSide() : t.takerSide().opposite();
        csv.append(Instant.ofEpochSecond(0, t.timestampNs())).append(',')
            .append("xex").append(',')
            .append(listing.symbol()).append(',')
            .append(side.name()).append(',')
            .append(listing.quantity(t.quantity())).append(',')
            .append(listing.price(t.price())).append(',')
            .append(listing.quote(listing.notional(t.price(), t.quantity()))).append(',')
            .append(listing.quote(taker ? t.takerFee() : t.makerFee())).append(',')
            .append(listings.assets().get(listing.spec().quoteAsset()).symbol()).append(',')
            .append(taker ? "TAKER" : "MAKER").append(',')
            .append(t.tradeId()).append(',')
            .append(taker ? t.takerOrderId() : t.makerOrderId()).append(',')
            // chain id and transaction hash: filled in once the trade's batch has settled (issue #6)
            .append(',')
            .append('\n');
    }

    private void error(RoutingContext ctx, int status, RequestException e) {
        errors.accept(e.code);
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json").end(e.error().encode());
    }

    private static String address(RoutingContext ctx) {
        return ctx.request().remoteAddress() == null ? "unknown" : ctx.request().remoteAddress().hostAddress();
    }
}
