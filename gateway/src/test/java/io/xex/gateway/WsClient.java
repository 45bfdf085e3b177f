package io.xex.gateway;

import io.xex.runtime.Conditions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.xex.gateway.auth.ApiKey;
import io.xex.gateway.auth.CanonicalParameters;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * For tests: a WebSocket client of the trader API over a real socket, on its own Vert.x. Requests block
 * until their response (bounded); pushed messages are kept in arrival order; the close status and reason
 * are recorded.
 */
public final class WsClient implements AutoCloseable {
    public static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final Vertx vertx;
    /** Held for the client's lifetime: Vert.x closes a client that is no longer referenced when it is collected. */
    private final WebSocketClient client;
    private final ClientWebSocket socket;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Object, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    /** Every frame received, responses included, in order. */
    public final List<JsonObject> received = new CopyOnWriteArrayList<>();
    /** Pushed messages only (those with a channel). */
    public final List<JsonObject> pushed = new CopyOnWriteArrayList<>();
    public volatile Short closeStatus;
    public volatile String closeReason;
    public final CompletableFuture<Void> closed = new CompletableFuture<>();

    private WsClient(Vertx vertx, WebSocketClient client) {
        this.vertx = vertx;
        this.client = client;
        this.socket = client.webSocket();
        socket.textMessageHandler(text -> {
            JsonObject message = new JsonObject(text);
            received.add(message);
            if (message.containsKey("channel")) {
                pushed.add(message);
            } else {
                CompletableFuture<JsonObject> waiting = message.getValue("id") == null ? null
                    : pending.remove(key(message.getValue("id")));
                if (waiting != null) {
                    waiting.complete(message);
                }
            }
        });
        socket.closeHandler(v -> {
            closeStatus = socket.closeStatusCode();
            closeReason = socket.closeReason();
            closed.complete(null);
        });
    }

    public static WsClient connect(int port) throws Exception {
        return connect(port, new WebSocketClientOptions());
    }

    /** Connects with the handlers set first, so that nothing the server sends right after the handshake is missed. */
    public static WsClient connect(int port, WebSocketClientOptions options) throws Exception {
        Vertx vertx = Vertx.vertx();
        WsClient client = new WsClient(vertx,
            vertx.createWebSocketClient(options.setMaxFrameSize(16 << 20).setMaxMessageSize(16 << 20)));
        client.socket.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws"))
            .toCompletionStage().toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        return client;
    }

    private static Object key(Object id) {
        return id instanceof Number n ? (Object) n.longValue() : id;
    }

    /** Sends {@code {"id", "method", "params"}} and waits for the response with that id. */
    public JsonObject request(String method, JsonObject params) throws Exception {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonObject> response = new CompletableFuture<>();
        pending.put(id, response);
        sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode());
        return response.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Sends a request without waiting; its response arrives in {@link #received}. */
    public CompletableFuture<JsonObject> requestAsync(String method, JsonObject params) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonObject> response = new CompletableFuture<>();
        pending.put(id, response);
        sendText(new JsonObject().put("id", id).put("method", method).put("params", params).encode());
        return response;
    }

    public void sendText(String text) {
        vertx.runOnContext(v -> socket.writeTextMessage(text));
    }

    public void sendBinary(byte[] bytes) {
        vertx.runOnContext(v -> socket.writeBinaryMessage(Buffer.buffer(bytes)));
    }

    /** The next received frame (response or push) after {@code index} matching {@code match}. */
    public JsonObject awaitReceived(Predicate<JsonObject> match, String what) {
        JsonObject[] found = new JsonObject[1];
        Conditions.awaitTrue(TIMEOUT, () -> what + "; received " + received, () -> {
            for (JsonObject message : received) {
                if (match.test(message)) {
                    found[0] = message;
                    return true;
                }
            }
            return false;
        });
        return found[0];
    }

    /** Pushed messages on one channel so far. */
    public List<JsonObject> on(String channel) {
        List<JsonObject> out = new ArrayList<>();
        for (JsonObject message : pushed) {
            if (channel.equals(message.getString("channel"))) {
                out.add(message);
            }
        }
        return out;
    }

    /** Logs on with an HMAC key at the client's current time. */
    public JsonObject logonHmac(String keyId, String secret, long timestampMs) throws Exception {
        return request("session.logon", signedHmac(keyId, secret, timestampMs, Map.of()));
    }

    /** Logon parameters signed with an HMAC secret (plus any extra parameters, signed too). */
    public static JsonObject signedHmac(String keyId, String secret, long timestampMs, Map<String, String> extra) {
        Map<String, String> params = new TreeMap<>(extra);
        params.put("apiKey", keyId);
        params.put("timestamp", Long.toString(timestampMs));
        params.put("signature", ApiKey.Hmac.sign(secret.getBytes(StandardCharsets.UTF_8), CanonicalParameters.of(params)));
        JsonObject json = new JsonObject();
        params.forEach(json::put);
        return json;
    }

    /** Stops reading from the socket (TCP back-pressure reaches the server), or starts again. */
    public void pauseReading(boolean paused) {
        vertx.runOnContext(v -> {
            if (paused) {
                socket.pause();
            } else {
                socket.resume();
            }
        });
    }

    public Vertx vertx() {
        return vertx;
    }

    @Override
    public void close() {
        try {
            if (!closed.isDone()) {
                socket.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            // already closing
        }
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("client Vert.x did not close", e);
        }
    }
}
