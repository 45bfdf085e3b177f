package io.xex.gateway.ws;

import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.xex.gateway.GatewayError;
import io.xex.gateway.market.MarketData;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * One WebSocket connection: who it is logged on as, what it subscribed to, when it last sent anything, and
 * its slow-reader state.
 *
 * <p>Slow readers: market data is written only while the connection's write queue has room. When it is
 * full the session is marked slow; book, ticker and status messages it misses are replaced, once it has
 * caught up, by a fresh snapshot of each, and missed trades by a {@code gap} notice with their count.
 * Private executions and balances are always written. A session still slow after the configured time is
 * closed with {@link GatewayError#SESSION_SLOW_READER}.
 *
 * <p>Confined to the gateway's context.
 */
final class Session {
    /** WebSocket close status for the gateway's own reasons: 4000 + the error code (RFC 6455 private range). */
    static short closeStatus(GatewayError error) {
        return (short) (4000 + error.code());
    }

    static String closeReason(GatewayError error) {
        return error.code() + " " + error.text();
    }

    final long id;
    final ServerWebSocket socket;
    final String address;
    final Set<String> channels = new LinkedHashSet<>();
    long accountId = -1;
    long lastReceivedMs;
    /** Balance updates at or below this sequence are in the snapshot this session was sent; MAX while it waits. */
    long balancesAfter = Long.MAX_VALUE;
    boolean closed;

    private boolean slow;
    private long slowTimer = -1;
    private final Set<String> stale = new LinkedHashSet<>();
    private final Map<String, Integer> missedTrades = new HashMap<>();

    Session(long id, ServerWebSocket socket, String address, long nowMs) {
        this.id = id;
        this.socket = socket;
        this.address = address;
        this.lastReceivedMs = nowMs;
    }

    boolean loggedOn() {
        return accountId >= 0;
    }

    boolean slow() {
        return slow;
    }

    /** A response or a private message: always written. */
    void send(String text) {
        if (!closed) {
            socket.writeTextMessage(text);
        }
    }

    /**
     * A market-data message: written if the connection keeps up, otherwise remembered as missed (see
     * {@link #becomeSlowIfFull}). Returns whether it was written.
     */
    boolean sendMarketData(String channel, String text) {
        if (closed) {
            return false;
        }
        if (slow || socket.writeQueueFull()) {
            missed(channel);
            return false;
        }
        socket.writeTextMessage(text);
        return true;
    }

    private void missed(String channel) {
        if (channel.startsWith(MarketData.TRADES)) {
            missedTrades.merge(channel, 1, Integer::sum);
        } else {
            stale.add(channel);
        }
    }

    /**
     * Marks the session slow if its queue is full; returns whether it just became slow. The gateway then
     * arms the disconnect timer and the drain handler.
     */
    boolean becomeSlowIfFull() {
        if (slow || closed || !socket.writeQueueFull()) {
            return false;
        }
        slow = true;
        return true;
    }

    void slowTimer(long timerId) {
        this.slowTimer = timerId;
    }

    /** Caught up: returns the channels to resend as snapshots and the trades missed per channel, and clears them. */
    CatchUp caughtUp(Vertx vertx) {
        slow = false;
        if (slowTimer >= 0) {
            vertx.cancelTimer(slowTimer);
            slowTimer = -1;
        }
        CatchUp catchUp = new CatchUp(Set.copyOf(stale), Map.copyOf(missedTrades));
        stale.clear();
        missedTrades.clear();
        return catchUp;
    }

    record CatchUp(Set<String> snapshots, Map<String, Integer> missedTrades) {
    }

    /** Closes with a reason the client can read: the close status 4000 + code and the text. */
    void close(GatewayError error) {
        close(closeStatus(error), closeReason(error));
    }

    void close(short status, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        socket.close(status, reason);
    }
}
