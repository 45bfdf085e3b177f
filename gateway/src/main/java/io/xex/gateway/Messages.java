package io.xex.gateway;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xex.gateway.Listings.Listing;
import io.xex.matching.DoneReason;
import io.xex.runtime.engine.EngineEvent;
import io.xex.runtime.engine.EngineEvent.OrderState;

/**
 * How engine outcomes look on the wire: orders, fills, balances, as JSON with decimal strings. One place,
 * so that a response and a pushed event describe the same thing the same way.
 */
public final class Messages {
    private Messages() {
    }

    /** The state an order is in after an event. */
    public static String status(OrderState order, DoneReason done) {
        if (done != null) {
            return switch (done) {
                case FILLED -> "FILLED";
                case CANCELLED, CANCELLED_ALL, REDUCED_TO_ZERO -> "CANCELED";
                default -> "EXPIRED";
            };
        }
        return order.filled() > 0 ? "PARTIALLY_FILLED" : "NEW";
    }

    /** An order: ids, symbol, terms, progress, status (and why it ended, if it did). */
    public static JsonObject order(Listings listings, OrderState order, DoneReason done) {
        Listing listing = listings.byId(order.instrumentId());
        JsonObject json = new JsonObject()
            .put("orderId", order.orderId())
            .put("clientOrderId", order.clientOrderId())
            .put("symbol", listing.symbol())
            .put("side", order.side().name())
            .put("type", order.type().name())
            .put("timeInForce", order.timeInForce().name())
            .put("price", order.type() == io.xex.matching.OrderType.MARKET ? null : listing.price(order.price()))
            .put("quantity", listing.quantity(order.quantity()))
            .put("filled", listing.quantity(order.filled()))
            .put("remaining", listing.quantity(order.remaining()))
            .put("status", status(order, done));
        if (order.quoteBudget() > 0) {
            json.put("quoteBudget", listing.quote(order.quoteBudget()));
        }
        if (done != null) {
            json.put("reason", done.name());
        }
        return json;
    }

    /** One side of a trade as its owner sees it. */
    public static JsonObject fill(Listings listings, EngineEvent.Trade trade, boolean asTaker, long timeMs) {
        OrderState own = asTaker ? trade.taker() : trade.maker();
        Listing listing = listings.byId(own.instrumentId());
        return new JsonObject()
            .put("tradeId", trade.tradeId())
            .put("orderId", own.orderId())
            .put("clientOrderId", own.clientOrderId())
            .put("symbol", listing.symbol())
            .put("side", own.side().name())
            .put("price", listing.price(trade.price()))
            .put("quantity", listing.quantity(trade.quantity()))
            .put("fee", listing.quote(asTaker ? trade.takerFee() : trade.makerFee()))
            .put("feeAsset", listings.assets().get(listing.spec().quoteAsset()).symbol())
            .put("liquidity", asTaker ? "TAKER" : "MAKER")
            .put("time", timeMs);
    }

    /** A public trade: no accounts, no fees; {@code side} is the taker's. */
    public static JsonObject publicTrade(Listing listing, long tradeId, long price, long quantity, String takerSide,
                                         long timeMs) {
        return new JsonObject()
            .put("tradeId", tradeId)
            .put("price", listing.price(price))
            .put("quantity", listing.quantity(quantity))
            .put("side", takerSide)
            .put("time", timeMs);
    }

    public static JsonObject balance(Listings listings, int asset, long available, long locked) {
        return new JsonObject()
            .put("asset", listings.assets().get(asset).symbol())
            .put("available", listings.amount(asset, available))
            .put("locked", listings.amount(asset, locked));
    }

    /** {@code [low, high]} of a band in decimal prices; {@code null} where a side is unbounded. */
    public static JsonArray band(Listing listing, long low, long high) {
        return new JsonArray()
            .add(low <= 0 ? null : listing.price(low))
            .add(high == Long.MAX_VALUE ? null : listing.price(high));
    }

    public static long millis(long timestampNs) {
        return timestampNs / 1_000_000L;
    }
}
