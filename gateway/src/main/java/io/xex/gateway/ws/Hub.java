package io.xex.gateway.ws;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.xex.gateway.GatewayError;
import io.xex.gateway.market.MarketData;
import io.xex.gateway.market.Outbox;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Who receives what: public channels to their subscribers, private channels to the logged-on sessions of
 * an account that subscribed to them. A message is encoded once and written to every receiver; the
 * slow-reader policy of {@link Session} applies to market data.
 *
 * <p>Confined to the gateway's context.
 */
final class Hub implements Outbox {
    private final Vertx vertx;
    private final long slowReaderTimeoutMs;
    /** The current snapshot of a public channel, for a session catching up. */
    private final Function<String, JsonObject> snapshotOf;
    private final Map<String, Set<Session>> byChannel = new HashMap<>();
    private final Map<Long, Set<Session>> byAccount = new HashMap<>();
    private long slowDisconnects;
    private long conflatedMessages;

    Hub(Vertx vertx, long slowReaderTimeoutMs, Function<String, JsonObject> snapshotOf) {
        this.vertx = vertx;
        this.slowReaderTimeoutMs = slowReaderTimeoutMs;
        this.snapshotOf = snapshotOf;
    }

    void subscribe(Session session, String channel) {
        session.channels.add(channel);
        if (isPrivate(channel)) {
            byAccount.computeIfAbsent(session.accountId, a -> new LinkedHashSet<>()).add(session);
        } else {
            byChannel.computeIfAbsent(channel, c -> new LinkedHashSet<>()).add(session);
        }
    }

    void unsubscribe(Session session, String channel) {
        session.channels.remove(channel);
        if (!isPrivate(channel)) {
            Set<Session> sessions = byChannel.get(channel);
            if (sessions != null && sessions.remove(session) && sessions.isEmpty()) {
                byChannel.remove(channel);
            }
        } else if (!session.channels.contains(MarketData.EXECUTIONS) && !session.channels.contains(MarketData.BALANCES)) {
            removeFromAccount(session);
        }
    }

    void removed(Session session) {
        for (String channel : Set.copyOf(session.channels)) {
            unsubscribe(session, channel);
        }
        removeFromAccount(session);
    }

    private void removeFromAccount(Session session) {
        Set<Session> sessions = byAccount.get(session.accountId);
        if (sessions != null && sessions.remove(session) && sessions.isEmpty()) {
            byAccount.remove(session.accountId);
        }
    }

    static boolean isPrivate(String channel) {
        return channel.equals(MarketData.EXECUTIONS) || channel.equals(MarketData.BALANCES);
    }

    static String message(String channel, String type, JsonObject data) {
        return new JsonObject().put("channel", channel).put("type", type).put("data", data).encode();
    }

    @Override
    public void toChannel(String channel, String type, JsonObject data) {
        Set<Session> sessions = byChannel.get(channel);
        if (sessions == null) {
            return;
        }
        String text = message(channel, type, data);
        for (Session session : sessions) {
            if (!session.sendMarketData(channel, text)) {
                conflatedMessages++;
            }
            watch(session);
        }
    }

    @Override
    public boolean wants(long accountId, String channel) {
        Set<Session> sessions = byAccount.get(accountId);
        if (sessions != null) {
            for (Session session : sessions) {
                if (session.channels.contains(channel)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void toAccount(long accountId, String channel, long sequence, JsonObject data) {
        Set<Session> sessions = byAccount.get(accountId);
        if (sessions == null) {
            return;
        }
        String text = null;
        for (Session session : sessions) {
            if (!session.channels.contains(channel)
                || channel.equals(MarketData.BALANCES) && sequence <= session.balancesAfter) {
                continue;
            }
            if (text == null) {
                text = message(channel, "update", data);
            }
            session.send(text);
            watch(session);
        }
    }

    /** Sends a snapshot of a public channel to one session (on subscribe and after catching up). */
    void sendSnapshot(Session session, String channel) {
        session.send(message(channel, "snapshot", snapshotOf.apply(channel)));
    }

    /** If the session's queue just filled: wait for it to drain, and disconnect it if it does not in time. */
    private void watch(Session session) {
        if (!session.becomeSlowIfFull()) {
            return;
        }
        session.slowTimer(vertx.setTimer(slowReaderTimeoutMs, t -> {
            if (session.slow() && !session.closed) {
                slowDisconnects++;
                session.close(GatewayError.SESSION_SLOW_READER);
            }
        }));
        session.socket.drainHandler(v -> catchUp(session));
    }

    private void catchUp(Session session) {
        if (session.closed || !session.slow()) {
            return;
        }
        Session.CatchUp catchUp = session.caughtUp(vertx);
        for (String channel : catchUp.snapshots()) {
            if (session.channels.contains(channel)) {
                sendSnapshot(session, channel);
            }
        }
        catchUp.missedTrades().forEach((channel, missed) -> {
            if (session.channels.contains(channel)) {
                session.send(message(channel, "gap", new JsonObject()
                    .put("symbol", channel.substring(MarketData.TRADES.length())).put("missedMessages", missed)));
            }
        });
        watch(session);
    }

    long slowDisconnects() {
        return slowDisconnects;
    }

    long conflatedMessages() {
        return conflatedMessages;
    }
}
