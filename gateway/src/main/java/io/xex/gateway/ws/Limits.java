package io.xex.gateway.ws;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.HashMap;
import java.util.Map;

/**
 * Rate limits in fixed one-second windows (aligned to the clock's seconds): orders per account, requests
 * per client address; and open connections per address. Every response reports the counts that apply to
 * it, so a client can pace itself before it is refused.
 *
 * <p>Confined to the gateway's context.
 */
final class Limits {
    static final long WINDOW_MS = 1_000;

    private static final class Window {
        long second;
        int count;
    }

    private final int ordersPerSecond;
    private final int requestsPerSecondPerIp;
    private final int connectionsPerIp;
    private final Map<Long, Window> orders = new HashMap<>();
    private final Map<String, Window> requests = new HashMap<>();
    private final Map<String, Integer> connections = new HashMap<>();

    Limits(int ordersPerSecond, int requestsPerSecondPerIp, int connectionsPerIp) {
        this.ordersPerSecond = ordersPerSecond;
        this.requestsPerSecondPerIp = requestsPerSecondPerIp;
        this.connectionsPerIp = connectionsPerIp;
    }

    /** Counts a connection from {@code address}; false (and not counted) if it has as many as allowed. */
    boolean connect(String address) {
        int open = connections.getOrDefault(address, 0);
        if (open >= connectionsPerIp) {
            return false;
        }
        connections.put(address, open + 1);
        return true;
    }

    void disconnect(String address) {
        connections.computeIfPresent(address, (a, n) -> n > 1 ? n - 1 : null);
    }

    /** Counts a request; false if the address is over its limit this second. */
    boolean request(String address, long nowMs) {
        return count(requests.computeIfAbsent(address, a -> new Window()), nowMs) <= requestsPerSecondPerIp;
    }

    /** Counts an order; false if the account is over its limit this second. */
    boolean order(long accountId, long nowMs) {
        return count(orders.computeIfAbsent(accountId, a -> new Window()), nowMs) <= ordersPerSecond;
    }

    private static int count(Window window, long nowMs) {
        long second = Math.floorDiv(nowMs, WINDOW_MS);
        if (window.second != second) {
            window.second = second;
            window.count = 0;
        }
        return ++window.count;
    }

    /** Where a session stands: requests of its address, and orders of its account when logged on. */
    JsonArray report(String address, long accountId, long nowMs) {
        JsonArray out = new JsonArray().add(entry("REQUESTS", "IP", requestsPerSecondPerIp,
            current(requests.get(address), nowMs)));
        if (accountId >= 0) {
            out.add(entry("ORDERS", "ACCOUNT", ordersPerSecond, current(orders.get(accountId), nowMs)));
        }
        return out;
    }

    private static int current(Window window, long nowMs) {
        return window == null || window.second != Math.floorDiv(nowMs, WINDOW_MS) ? 0 : window.count;
    }

    private static JsonObject entry(String type, String scope, int limit, int count) {
        return new JsonObject().put("type", type).put("scope", scope).put("intervalMs", WINDOW_MS)
            .put("limit", limit).put("count", count);
    }

    /** Forgets windows that ended before the current second. */
    void forgetOld(long nowMs) {
        long second = Math.floorDiv(nowMs, WINDOW_MS);
        orders.values().removeIf(w -> w.second < second);
        requests.values().removeIf(w -> w.second < second);
    }
}
