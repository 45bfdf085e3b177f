package io.xex.gateway.ws;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xex.gateway.GatewayConfig;
import io.xex.gateway.GatewayError;
import io.xex.gateway.Listings;
import io.xex.gateway.Listings.Listing;
import io.xex.gateway.Messages;
import io.xex.gateway.auth.Authenticator;
import io.xex.gateway.history.TradeHistory;
import io.xex.gateway.market.MarketData;
import io.xex.matching.Command;
import io.xex.matching.DoneReason;
import io.xex.matching.MatchingEngine;
import io.xex.matching.OrderType;
import io.xex.matching.RejectReason;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;
import io.xex.runtime.engine.CommandRefusedException;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;
import io.xex.runtime.engine.EngineEvent.OrderState;
import io.xex.runtime.engine.EngineProxy;
import io.xex.runtime.issuer.PrimaryMarket;
import io.xex.runtime.wallet.WithdrawalGate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The WebSocket methods: parameters checked and turned into engine commands or queries, outcomes turned
 * into results. A failed future carries a {@link RequestException}.
 *
 * <p>Confined to the gateway's context.
 */
final class Requests {
    static final int DEFAULT_DEPTH = 100;
    static final int MAX_DEPTH = 5_000;
    static final int DEFAULT_TRADES = 100;
    static final int MAX_TRADES = 1_000;
    /** Placeholder order id: the runtime gives every order the sequence number of its command. */
    private static final long ASSIGNED_BY_RUNTIME = 1;
    private static final long CANCEL_ALL_RETRY_MS = 100;

    private final Vertx vertx;
    private final GatewayConfig config;
    private final Listings listings;
    private final EngineProxy engine;
    private final MarketData market;
    private final Hub hub;
    private final Authenticator authenticator;
    private final Limits limits;
    private final TradeHistory history;
    private final WithdrawalGate withdrawals;
    private final PrimaryMarket primaryMarket;
    private final LongSupplier clockMs;
    /** Dead-man switches: account → timer. They outlive the connection that set them, on purpose. */
    private final Map<Long, Long> cancelAfterTimers = new HashMap<>();

    Requests(Vertx vertx, GatewayConfig config, Listings listings, EngineProxy engine, MarketData market, Hub hub,
             Authenticator authenticator, Limits limits, TradeHistory history, WithdrawalGate withdrawals,
             PrimaryMarket primaryMarket, LongSupplier clockMs) {
        this.vertx = vertx;
        this.config = config;
        this.listings = listings;
        this.engine = engine;
        this.market = market;
        this.hub = hub;
        this.authenticator = authenticator;
        this.limits = limits;
        this.history = history;
        this.withdrawals = withdrawals;
        this.primaryMarket = primaryMarket;
        this.clockMs = clockMs;
    }

    Future<JsonObject> handle(Session session, String method, JsonObject params) {
        try {
            return switch (method) {
                case "session.logon" -> logon(session, params);
                case "order.place" -> place(ordering(session), params);
                case "order.amend" -> amend(ordering(session), params);
                case "order.cancel" -> cancel(account(session), params);
                case "order.cancelAll" -> cancelAll(account(session), params);
                case "order.cancelAllAfter" -> cancelAllAfter(account(session), params);
                case "account.balances" -> balancesNow(account(session));
                case "account.orders" -> orders(account(session), params);
                case "account.trades" -> trades(account(session), params);
                case "wallet.withdraw" -> withdraw(account(session), params);
                case "issuer.mint" -> primary(account(session), PrimaryMarket.Side.MINT, params);
                case "issuer.redeem" -> primary(account(session), PrimaryMarket.Side.REDEEM, params);
                case "reserves" -> primaryMarket.reserves().map(PrimaryMarket::reservesJson)
                    .recover(e -> Future.failedFuture(new RequestException(GatewayError.ISSUER_UNAVAILABLE,
                        "the reserves cannot be read now: " + e.getMessage())));
                case "instruments" -> Future.succeededFuture(new JsonObject().put("instruments", instruments()));
                case "depth" -> Future.succeededFuture(market.book(listing(params), depth(params)));
                case "trades" -> Future.succeededFuture(market.trades(listing(params),
                    (int) optionalLong(params, "limit", DEFAULT_TRADES, 1, MAX_TRADES)));
                case "ticker" -> Future.succeededFuture(market.ticker(listing(params)));
                case "time" -> Future.succeededFuture(new JsonObject().put("serverTime", clockMs.getAsLong()));
                case "status" -> Future.succeededFuture(status(params));
                case "subscribe" -> subscribe(session, params);
                case "unsubscribe" -> unsubscribe(session, params);
                case "ping" -> Future.succeededFuture(new JsonObject().put("pong", clockMs.getAsLong()));
                default -> Future.failedFuture(new RequestException(GatewayError.REQUEST_UNKNOWN_METHOD, method));
            };
        } catch (RequestException e) {
            return Future.failedFuture(e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Session

    private Future<JsonObject> logon(Session session, JsonObject params) {
        if (session.loggedOn()) {
            throw RequestException.of(GatewayError.AUTH_ALREADY_LOGGED_ON);
        }
        Map<String, String> signed = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : params) {
            Object value = entry.getValue();
            if (value instanceof String || value instanceof Integer || value instanceof Long) {
                signed.put(entry.getKey(), value.toString());
            } else {
                throw new RequestException(GatewayError.REQUEST_INVALID_PARAMETER,
                    entry.getKey() + ": strings or whole numbers only");
            }
        }
        return switch (authenticator.authenticate(signed)) {
            case Authenticator.Result.Refused refused -> throw new RequestException(refused.error(), refused.detail());
            case Authenticator.Result.Authenticated ok -> {
                session.accountId = ok.accountId();
                yield Future.succeededFuture(new JsonObject().put("accountId", ok.accountId())
                    .put("apiKey", ok.keyId()).put("serverTime", clockMs.getAsLong()));
            }
        };
    }

    private static long account(Session session) {
        if (!session.loggedOn()) {
            throw RequestException.of(GatewayError.AUTH_REQUIRED);
        }
        return session.accountId;
    }

    /** The account, after counting an order against its rate limit. */
    private long ordering(Session session) {
        long account = account(session);
        if (!limits.order(account, clockMs.getAsLong())) {
            throw RequestException.of(GatewayError.LIMIT_ORDER_RATE);
        }
        return account;
    }

    // ---------------------------------------------------------------------------------------------
    // Orders

    private Future<JsonObject> place(long account, JsonObject params) {
        Listing listing = listing(params);
        Side side = enumValue(params, "side", Side.class, null);
        OrderType type = enumValue(params, "type", OrderType.class, OrderType.LIMIT);
        TimeInForce tif = enumValue(params, "timeInForce", TimeInForce.class,
            type == OrderType.MARKET ? TimeInForce.IOC : TimeInForce.GTC);
        long price = 0;
        if (type == OrderType.LIMIT) {
            price = amount(params, "price", listing::parsePrice, "a positive multiple of " + listing.instrument().tickSize().toPlainString());
        } else if (params.containsKey("price")) {
            throw new RequestException(GatewayError.REQUEST_INVALID_PARAMETER, "price: not for MARKET orders");
        }
        long quantity = 0;
        long quoteBudget = 0;
        if (params.containsKey("quoteBudget")) {
            if (type != OrderType.MARKET || side != Side.BUY || params.containsKey("quantity")) {
                throw new RequestException(GatewayError.REQUEST_INVALID_PARAMETER,
                    "quoteBudget: only for a MARKET BUY, instead of quantity");
            }
            quoteBudget = amount(params, "quoteBudget", listing::parseQuote, "a positive quote amount");
        } else {
            quantity = amount(params, "quantity", listing::parseQuantity,
                "a positive multiple of " + listing.instrument().lotSize().toPlainString());
        }
        String clientOrderId = optionalString(params, "clientOrderId");
        Command.PlaceOrder command = new Command.PlaceOrder(account, ASSIGNED_BY_RUNTIME, clientOrderId, listing.id(),
            side, type, tif, price, quantity, quoteBudget);
        return submit(command).map(result -> outcome(result, result.sequence()));
    }

    private Future<JsonObject> amend(long account, JsonObject params) {
        long orderId = optionalLong(params, "orderId", 0, 1, Long.MAX_VALUE);
        String clientOrderId = optionalString(params, "clientOrderId");
        requireOrderRef(orderId, clientOrderId);
        Listing listing = listing(params);
        long price = amount(params, "price", listing::parsePrice, "a positive multiple of " + listing.instrument().tickSize().toPlainString());
        long quantity = amount(params, "quantity", listing::parseQuantity,
            "the new total quantity, a positive multiple of " + listing.instrument().lotSize().toPlainString());
        return submit(new Command.AmendOrder(account, orderId, clientOrderId, price, quantity))
            .map(result -> outcome(result, firstOrderId(result)));
    }

    private Future<JsonObject> cancel(long account, JsonObject params) {
        long orderId = optionalLong(params, "orderId", 0, 1, Long.MAX_VALUE);
        String clientOrderId = optionalString(params, "clientOrderId");
        requireOrderRef(orderId, clientOrderId);
        return submit(new Command.CancelOrder(account, orderId, clientOrderId))
            .map(result -> outcome(result, firstOrderId(result)));
    }

    private Future<JsonObject> cancelAll(long account, JsonObject params) {
        int instrument = params.containsKey("symbol") ? listing(params).id() : Command.CancelAll.ALL_INSTRUMENTS;
        return submit(new Command.CancelAll(account, instrument)).map(result -> {
            JsonArray cancelled = new JsonArray();
            for (EngineEvent event : result.events()) {
                if (event instanceof EngineEvent.OrderDone done) {
                    cancelled.add(Messages.order(listings, done.order(), done.reason()));
                }
            }
            return new JsonObject().put("cancelled", cancelled).put("updateId", result.sequence());
        });
    }

    /**
     * The dead-man switch: unless called again within {@code timeoutMs}, every order of the account is
     * cancelled. 0 turns it off. It belongs to the account, not the connection: it fires even if the
     * connection that set it is gone, which is its point.
     */
    private Future<JsonObject> cancelAllAfter(long account, JsonObject params) {
        long timeoutMs = requiredLong(params, "timeoutMs", 0, config.maxCancelAfterMs());
        Long previous = cancelAfterTimers.remove(account);
        if (previous != null) {
            vertx.cancelTimer(previous);
        }
        JsonObject result = new JsonObject().put("timeoutMs", timeoutMs);
        if (timeoutMs == 0) {
            return Future.succeededFuture(result.putNull("triggerTime"));
        }
        long deadline = clockMs.getAsLong() + timeoutMs;
        long[] timer = new long[1];
        timer[0] = vertx.setTimer(timeoutMs, t -> {
            if (cancelAfterTimers.remove(account, timer[0])) {
                triggerCancelAll(account);
            }
        });
        cancelAfterTimers.put(account, timer[0]);
        return Future.succeededFuture(result.put("triggerTime", deadline));
    }

    /** Fires a dead-man switch; while the runtime refuses (busy, database away) it tries again. */
    private void triggerCancelAll(long account) {
        engine.submit(new Command.CancelAll(account, Command.CancelAll.ALL_INSTRUMENTS)).onFailure(e -> {
            if (e instanceof CommandRefusedException refused
                && refused.refusal() != io.xex.runtime.engine.Refusal.RUNTIME_SHUTTING_DOWN
                && refused.refusal() != io.xex.runtime.engine.Refusal.RUNTIME_ENGINE_FAILED) {
                vertx.setTimer(CANCEL_ALL_RETRY_MS, t -> triggerCancelAll(account));
            }
        });
    }

    void cancelTimers() {
        cancelAfterTimers.values().forEach(vertx::cancelTimer);
        cancelAfterTimers.clear();
    }

    private Future<CommandResult> submit(Command command) {
        return engine.submit(command).transform(ar -> {
            if (ar.failed()) {
                return Future.failedFuture(ar.cause() instanceof CommandRefusedException refused
                    ? RequestException.refused(refused.refusal()) : ar.cause());
            }
            for (EngineEvent event : ar.result().events()) {
                if (event instanceof EngineEvent.Rejected rejected) {
                    return Future.failedFuture(RequestException.rejected(rejected.reason()));
                }
            }
            return Future.succeededFuture(ar.result());
        });
    }

    private static long firstOrderId(CommandResult result) {
        for (EngineEvent event : result.events()) {
            OrderState order = orderOf(event);
            if (order != null) {
                return order.orderId();
            }
        }
        return 0;
    }

    private static OrderState orderOf(EngineEvent event) {
        return switch (event) {
            case EngineEvent.OrderAccepted e -> e.order();
            case EngineEvent.OrderRested e -> e.order();
            case EngineEvent.OrderReduced e -> e.order();
            case EngineEvent.OrderAmended e -> e.order();
            case EngineEvent.OrderDone e -> e.order();
            default -> null;
        };
    }

    /** The order's state after the command, with the fills it took part in. */
    private JsonObject outcome(CommandResult result, long orderId) {
        OrderState last = null;
        DoneReason done = null;
        JsonArray fills = new JsonArray();
        long timeMs = Messages.millis(result.timestampNs());
        for (EngineEvent event : result.events()) {
            if (event instanceof EngineEvent.Trade trade) {
                if (trade.taker().orderId() == orderId) {
                    last = trade.taker();
                    fills.add(Messages.fill(listings, trade, true, timeMs));
                } else if (trade.maker().orderId() == orderId) {
                    last = trade.maker();
                    fills.add(Messages.fill(listings, trade, false, timeMs));
                }
                continue;
            }
            OrderState order = orderOf(event);
            if (order != null && order.orderId() == orderId) {
                last = order;
                if (event instanceof EngineEvent.OrderDone d) {
                    done = d.reason();
                }
            }
        }
        if (last == null) {
            throw new IllegalStateException("no event for order " + orderId + " in " + result);
        }
        return Messages.order(listings, last, done).put("fills", fills).put("updateId", result.sequence());
    }

    // ---------------------------------------------------------------------------------------------
    // Account

    /** The account's balances with the sequence they were read at ({@code updateId}). */
    Future<JsonObject> balancesNow(long account) {
        int assets = listings.assets().size();
        return accountQuery(account, e -> {
            long[][] out = new long[assets][2];
            for (int a = 0; a < assets; a++) {
                out[a][0] = e.available(account, a);
                out[a][1] = e.locked(account, a);
            }
            return out;
        }, (values, sequence) -> {
            JsonArray balances = new JsonArray();
            for (int a = 0; a < assets; a++) {
                balances.add(Messages.balance(listings, a, values[a][0], values[a][1]));
            }
            return new JsonObject().put("balances", balances).put("updateId", sequence);
        });
    }

    private Future<JsonObject> orders(long account, JsonObject params) {
        int instrument = params.containsKey("symbol") ? listing(params).id() : -1;
        return accountQuery(account, e -> {
            List<OrderState> out = new ArrayList<>();
            e.forEachOrderOf(account, o -> {
                if (instrument < 0 || o.instrumentId() == instrument) {
                    out.add(new OrderState(o.orderId(), o.accountId(), o.clientOrderId(), o.instrumentId(), o.side(),
                        o.type(), o.timeInForce(), o.price(), o.quantity(), o.remaining(), o.quoteBudget()));
                }
            });
            return out;
        }, (found, sequence) -> {
            JsonArray orders = new JsonArray();
            for (OrderState order : found.reversed()) {
                orders.add(Messages.order(listings, order, null));
            }
            return new JsonObject().put("orders", orders).put("updateId", sequence);
        });
    }

    private interface Render<T> {
        JsonObject render(T value, long sequence);
    }

    /** Reads an account's state on the matching thread; an unknown account is the engine's reject 102. */
    private <T> Future<JsonObject> accountQuery(long account, Function<MatchingEngine, T> question, Render<T> render) {
        return engine.query(e -> e.hasAccount(account) ? question.apply(e) : null).transform(ar -> {
            if (ar.failed()) {
                return Future.failedFuture(refusedOr(ar.cause()));
            }
            if (ar.result().value() == null) {
                return Future.failedFuture(RequestException.rejected(RejectReason.REQUEST_UNKNOWN_ACCOUNT));
            }
            return Future.succeededFuture(render.render(ar.result().value(), ar.result().sequence()));
        });
    }

    private Future<JsonObject> trades(long account, JsonObject params) {
        int instrument = params.containsKey("symbol") ? listing(params).id() : -1;
        long fromTradeId = optionalLong(params, "fromTradeId", 0, 0, Long.MAX_VALUE);
        int limit = (int) optionalLong(params, "limit", DEFAULT_TRADES, 1, MAX_TRADES);
        return history.ofAccount(account, instrument, fromTradeId, 0, Long.MAX_VALUE, limit).map(records -> {
            JsonArray trades = new JsonArray();
            for (TradeHistory.TradeRecord t : records) {
                if (t.takerAccountId() == account) {
                    trades.add(ownTrade(t, true));
                }
                if (t.makerAccountId() == account) {
                    trades.add(ownTrade(t, false));
                }
            }
            return new JsonObject().put("trades", trades);
        });
    }

    private JsonObject ownTrade(TradeHistory.TradeRecord t, boolean taker) {
        Listing listing = listings.byId(t.instrumentId());
        Side side = taker ? t.takerSide() : t.takerSide().opposite();
        return new JsonObject()
            .put("tradeId", t.tradeId())
            .put("orderId", taker ? t.takerOrderId() : t.makerOrderId())
            .put("symbol", listing.symbol())
            .put("side", side.name())
            .put("price", listing.price(t.price()))
            .put("quantity", listing.quantity(t.quantity()))
            .put("fee", listing.quote(taker ? t.takerFee() : t.makerFee()))
            .put("feeAsset", listings.assets().get(listing.spec().quoteAsset()).symbol())
            .put("liquidity", taker ? "TAKER" : "MAKER")
            .put("time", Messages.millis(t.timestampNs()));
    }

    // ---------------------------------------------------------------------------------------------
    // Wallet

    /**
     * Debits the available balance at once with a {@code Withdraw} command; the next settlement batch pays it to the
     * account's whitelisted address. The gate is asked first: the vault would refuse a whole batch holding a
     * withdrawal of an account without an address, so none is submitted for one. Answered once the command is
     * durable; its sequence is the withdrawal's id.
     */
    private Future<JsonObject> withdraw(long account, JsonObject params) {
        String symbol = requiredString(params, "asset");
        int asset = listings.assetId(symbol);
        if (asset < 0) {
            throw RequestException.rejected(RejectReason.REQUEST_UNKNOWN_ASSET, symbol);
        }
        long units = amount(params, "amount", text -> listings.parseAmount(asset, text),
            "a positive multiple of " + listings.unit(asset).toPlainString());
        return withdrawals.check(account, asset).compose(decision -> switch (decision) {
            case WithdrawalGate.Decision.Refused refused -> Future.failedFuture(new RequestException(
                refused.reason() == WithdrawalGate.Reason.NO_ADDRESS ? GatewayError.WITHDRAWAL_NO_ADDRESS
                    : GatewayError.WITHDRAWALS_UNAVAILABLE, refused.detail()));
            case WithdrawalGate.Decision.Allowed allowed -> submit(new Command.Withdraw(account, asset, units))
                .map(result -> new JsonObject()
                    .put("withdrawalId", result.sequence())
                    .put("asset", symbol)
                    .put("amount", listings.amount(asset, units))
                    .put("status", "accepted")
                    .put("to", allowed.address())
                    .put("updateId", result.sequence()));
        });
    }

    // ---------------------------------------------------------------------------------------------
    // The issuer's primary market

    /**
     * A mint or redeem with the issuer: {@code symbol} (an xStock, {@code TSLAx}), {@code quantity} (a decimal string
     * of tokens) and, optionally, {@code queue: true} to wait for the open of a closed underlying market. Answered
     * once the issuer has executed, queued or refused it; every refusal is an error with its own code, a closed market
     * with the next open ({@code nextOpen}, epoch ms).
     */
    private Future<JsonObject> primary(long account, PrimaryMarket.Side side, JsonObject params) {
        String symbol = requiredString(params, "symbol");
        int asset = listings.assetId(symbol);
        if (asset < 0) {
            throw new RequestException(GatewayError.REQUEST_UNKNOWN_SYMBOL, symbol);
        }
        long units = amount(params, "quantity", text -> listings.parseAmount(asset, text),
            "a positive multiple of " + listings.unit(asset).toPlainString());
        Object queue = params.getValue("queue");
        if (queue != null && !(queue instanceof Boolean)) {
            throw new RequestException(GatewayError.REQUEST_INVALID_PARAMETER, "queue: true or false");
        }
        int quote = listings.assetId("USDT");
        return primaryMarket.request(new PrimaryMarket.Request(account, side, asset, units, Boolean.TRUE.equals(queue)))
            .compose(answer -> switch (answer) {
                case PrimaryMarket.Answer.Executed e -> Future.succeededFuture(new JsonObject()
                    .put("requestId", e.requestId())
                    .put("side", side.name().toLowerCase(java.util.Locale.ROOT))
                    .put("symbol", symbol)
                    .put("quantity", listings.amount(asset, e.quantity()))
                    .put("price", listings.amount(quote, e.price() == 0 ? 0 : priceUnits(asset, e.price())))
                    .put("usdt", listings.amount(quote, e.usdt()))
                    .put("fee", listings.amount(quote, e.fee()))
                    .put("status", side == PrimaryMarket.Side.MINT ? "paid" : "filled"));
                case PrimaryMarket.Answer.Queued q -> Future.succeededFuture(new JsonObject()
                    .put("requestId", q.requestId())
                    .put("side", side.name().toLowerCase(java.util.Locale.ROOT))
                    .put("symbol", symbol)
                    .put("quantity", listings.amount(asset, units))
                    .put("status", "queued")
                    .put("executeAt", q.executeAtMs()));
                case PrimaryMarket.Answer.Refused r -> {
                    RequestException e = new RequestException(switch (r.refusal()) {
                        case UNAVAILABLE -> GatewayError.ISSUER_UNAVAILABLE;
                        case NOT_AN_XSTOCK -> GatewayError.ISSUER_NOT_AN_XSTOCK;
                        case NOT_ONBOARDED -> GatewayError.ISSUER_NOT_ONBOARDED;
                        case US_PERSON -> GatewayError.ISSUER_US_PERSON;
                        case RESTRICTED_JURISDICTION -> GatewayError.ISSUER_RESTRICTED_JURISDICTION;
                        case WALLET_NOT_WHITELISTED -> GatewayError.ISSUER_WALLET_NOT_WHITELISTED;
                        case BELOW_MINIMUM -> GatewayError.ISSUER_BELOW_MINIMUM;
                        case MARKET_CLOSED -> GatewayError.ISSUER_MARKET_CLOSED;
                        case NO_REFERENCE_PRICE -> GatewayError.ISSUER_NO_REFERENCE_PRICE;
                        case INSUFFICIENT_FUNDS -> GatewayError.ISSUER_INSUFFICIENT_FUNDS;
                    }, r.detail());
                    if (r.refusal() == PrimaryMarket.Refusal.MARKET_CLOSED) {
                        e.with("nextOpen", r.nextOpenMs());
                    }
                    yield Future.failedFuture(e);
                }
            });
    }

    /** A reference price in ticks of the xStock's instrument as USDT units per token. */
    private long priceUnits(int asset, long ticks) {
        for (Listing listing : listings.all()) {
            if (listing.spec().baseAsset() == asset && listing.spec().quoteAsset() == listings.assetId("USDT")) {
                return ticks * listing.spec().tickSize();
            }
        }
        return 0;
    }

    private static Throwable refusedOr(Throwable cause) {
        return cause instanceof CommandRefusedException refused ? RequestException.refused(refused.refusal()) : cause;
    }

    // ---------------------------------------------------------------------------------------------
    // Public

    JsonArray instruments() {
        JsonArray out = new JsonArray();
        for (Listing listing : listings.all()) {
            var spec = listing.spec();
            out.add(new JsonObject()
                .put("symbol", listing.symbol())
                .put("securityId", listing.id())
                .put("base", listing.instrument().base())
                .put("quote", listing.instrument().quote())
                .put("underlying", listing.instrument().underlying())
                .put("exchange", listing.instrument().exchange())
                .put("tickSize", listing.instrument().tickSize().toPlainString())
                .put("lotSize", listing.instrument().lotSize().toPlainString())
                .put("minQuantity", listing.quantity(spec.minQuantity()))
                .put("maxQuantity", listing.quantity(spec.maxQuantity()))
                .put("minNotional", listing.quote(spec.minNotional()))
                .put("maxPrice", listing.price(spec.maxPrice()))
                .put("state", market.status(listing).getString("state")));
        }
        return out;
    }

    private JsonObject status(JsonObject params) {
        if (params.containsKey("symbol")) {
            return market.status(listing(params));
        }
        JsonArray all = new JsonArray();
        listings.all().forEach(l -> all.add(market.status(l)));
        return new JsonObject().put("symbols", all);
    }

    // ---------------------------------------------------------------------------------------------
    // Subscriptions

    private Future<JsonObject> subscribe(Session session, JsonObject params) {
        List<String> channels = channels(params);
        for (String channel : channels) {
            checkChannel(session, channel);
        }
        long adding = channels.stream().filter(c -> !session.channels.contains(c)).distinct().count();
        if (session.channels.size() + adding > config.maxSubscriptions()) {
            throw new RequestException(GatewayError.REQUEST_TOO_MANY_SUBSCRIPTIONS, "at most " + config.maxSubscriptions());
        }
        // After the response: subscribe and send each snapshot in one go, so that no update precedes it.
        Context context = vertx.getOrCreateContext();
        context.runOnContext(v -> {
            for (String channel : channels) {
                if (session.closed || session.channels.contains(channel)) {
                    continue;
                }
                hub.subscribe(session, channel);
                if (channel.equals(MarketData.BALANCES)) {
                    session.balancesAfter = Long.MAX_VALUE;
                    balancesNow(session.accountId).onSuccess(snapshot -> {
                        if (session.channels.contains(MarketData.BALANCES)) {
                            session.balancesAfter = snapshot.getLong("updateId");
                            session.send(Hub.message(MarketData.BALANCES, "snapshot", snapshot));
                        }
                    });
                } else if (!channel.equals(MarketData.EXECUTIONS)) {
                    hub.sendSnapshot(session, channel);
                }
            }
        });
        return Future.succeededFuture(new JsonObject().put("subscribed", new JsonArray(channels)));
    }

    private Future<JsonObject> unsubscribe(Session session, JsonObject params) {
        List<String> channels = channels(params);
        for (String channel : channels) {
            hub.unsubscribe(session, channel);
        }
        return Future.succeededFuture(new JsonObject().put("unsubscribed", new JsonArray(channels)));
    }

    private static List<String> channels(JsonObject params) {
        Object value = params.getValue("channels");
        if (value == null) {
            throw new RequestException(GatewayError.REQUEST_MISSING_PARAMETER, "channels");
        }
        if (!(value instanceof JsonArray array) || array.isEmpty()) {
            throw new RequestException(GatewayError.REQUEST_INVALID_PARAMETER, "channels: a non-empty list of names");
        }
        List<String> out = new ArrayList<>();
        for (Object channel : array) {
            if (!(channel instanceof String name)) {
                throw new RequestException(GatewayError.REQUEST_INVALID_PARAMETER, "channels: names are strings");
            }
            if (!out.contains(name)) {
                out.add(name);
            }
        }
        return out;
    }

    private void checkChannel(Session session, String channel) {
        if (Hub.isPrivate(channel)) {
            account(session);
            return;
        }
        for (String prefix : List.of(MarketData.BOOK, MarketData.TRADES, MarketData.TICKER, MarketData.STATUS)) {
            if (channel.startsWith(prefix)) {
                if (listings.bySymbol(channel.substring(prefix.length())) == null) {
                    throw new RequestException(GatewayError.REQUEST_UNKNOWN_SYMBOL, channel.substring(prefix.length()));
                }
                return;
            }
        }
        throw new RequestException(GatewayError.REQUEST_UNKNOWN_CHANNEL, channel);
    }

    /** The current snapshot of a public channel. */
    JsonObject snapshotOf(String channel) {
        int dot = channel.indexOf('.');
        Listing listing = listings.bySymbol(channel.substring(dot + 1));
        return switch (channel.substring(0, dot + 1)) {
            case MarketData.BOOK -> market.book(listing, 0);
            case MarketData.TRADES -> market.trades(listing, 50);
            case MarketData.TICKER -> market.ticker(listing);
            case MarketData.STATUS -> market.status(listing);
            default -> throw new IllegalArgumentException(channel);
        };
    }

    // ---------------------------------------------------------------------------------------------
    // Parameters

    private Listing listing(JsonObject params) {
        String symbol = requiredString(params, "symbol");
        Listing listing = listings.bySymbol(symbol);
        if (listing == null) {
            throw new RequestException(GatewayError.REQUEST_UNKNOWN_SYMBOL, symbol);
        }
        return listing;
    }

    private static int depth(JsonObject params) {
        return (int) optionalLong(params, "limit", DEFAULT_DEPTH, 1, MAX_DEPTH);
    }

    private static void requireOrderRef(long orderId, String clientOrderId) {
        if (orderId == 0 && clientOrderId == null) {
            throw new RequestException(GatewayError.REQUEST_MISSING_PARAMETER, "orderId or clientOrderId");
        }
    }

    private static String requiredString(JsonObject params, String name) {
        String value = optionalString(params, name);
        if (value == null) {
            throw new RequestException(GatewayError.REQUEST_MISSING_PARAMETER, name);
        }
        return value;
    }

    private static String optionalString(JsonObject params, String name) {
        Object value = params.getValue(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw new RequestException(GatewayError.REQUEST_INVALID_PARAMETER, name + ": a string");
        }
        return text;
    }

    private static <E extends Enum<E>> E enumValue(JsonObject params, String name, Class<E> type, E fallback) {
        String text = fallback == null ? requiredString(params, name) : optionalString(params, name);
        if (text == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new RequestException(GatewayError.REQUEST_INVALID_PARAMETER,
                name + ": one of " + java.util.Arrays.toString(type.getEnumConstants()));
        }
    }

    private interface Parser {
        long parse(String text);
    }

    private static long amount(JsonObject params, String name, Parser parser, String expected) {
        Object value = params.getValue(name);
        if (value == null) {
            throw new RequestException(GatewayError.REQUEST_MISSING_PARAMETER, name);
        }
        if (!(value instanceof String text)) {
            throw new RequestException(GatewayError.REQUEST_INVALID_PARAMETER, name + ": decimal amounts are strings");
        }
        long units = parser.parse(text);
        if (units <= 0) {
            throw new RequestException(GatewayError.REQUEST_INVALID_PARAMETER, name + ": " + expected);
        }
        return units;
    }

    private static long requiredLong(JsonObject params, String name, long min, long max) {
        if (params.getValue(name) == null) {
            throw new RequestException(GatewayError.REQUEST_MISSING_PARAMETER, name);
        }
        return optionalLong(params, name, 0, min, max);
    }

    /** A whole number (JSON number or digits in a string) in {@code min..max}. */
    private static long optionalLong(JsonObject params, String name, long fallback, long min, long max) {
        Object value = params.getValue(name);
        if (value == null) {
            return fallback;
        }
        long number;
        if (value instanceof Integer || value instanceof Long) {
            number = ((Number) value).longValue();
        } else if (value instanceof String text && text.matches("[0-9]{1,19}")) {
            try {
                number = Long.parseLong(text);
            } catch (NumberFormatException e) {
                number = -1;
            }
        } else {
            number = Long.MIN_VALUE;
        }
        if (number < min || number > max) {
            throw new RequestException(GatewayError.REQUEST_INVALID_PARAMETER,
                name + ": a whole number in " + min + ".." + max);
        }
        return number;
    }
}
