package io.xex.gateway.market;

import io.vertx.core.json.JsonObject;

/** Where market data and account events go: the sessions subscribed to them. Called on the gateway's context. */
public interface Outbox {
    /** A public channel's message ({@code type}: snapshot, delta, update) to everyone subscribed to it. */
    void toChannel(String channel, String type, JsonObject data);

    /**
     * Whether any session of the account listens to a private channel: messages nobody receives are not
     * built (most orders' events have no listener).
     */
    boolean wants(long accountId, String channel);

    /** A private channel's message (executions, balances) caused by command {@code sequence} to an account. */
    void toAccount(long accountId, String channel, long sequence, JsonObject data);
}
