package io.xex.loadtests.ws;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.xex.loadtests.roundtrip.GatewayVenue;

/**
 * The baseline: a bare Vert.x WebSocket server in one verticle (one event loop, as the gateway), which answers every
 * text frame at once with one text frame of a fixed size, that of a real order acknowledgement, carrying the
 * request's {@code id} so that the same client harness measures it. It parses nothing but the id (a scan for
 * {@code "id":}), keeps no state and touches nothing else: what any WebSocket request/response costs on this machine
 * with this client, the floor under the gateway.
 *
 * <p>Confined to its context.
 */
final class EchoServer extends VerticleBase {
    static final String THREAD_NAME = "ws-echo-server";
    private static final String PREFIX = "{\"id\":";
    private static final String MIDDLE = ",\"status\":200,\"result\":{\"echo\":\"";
    private static final String SUFFIX = "\"}}";

    private final int answerChars;
    private final String padding;
    private HttpServer server;
    private volatile int port;

    /** @param answerChars the size of every answer, in characters (bytes: the answer is ASCII) */
    EchoServer(int answerChars) {
        this.answerChars = answerChars;
        this.padding = "x".repeat(Math.max(0, answerChars));
    }

    @Override
    public Future<?> start() {
        Thread.currentThread().setName(THREAD_NAME);
        server = vertx.createHttpServer(new HttpServerOptions().setHost(GatewayVenue.LOOPBACK).setPort(0)
                .setRegisterWebSocketWriteHandlers(false))
            .webSocketHandler(this::connected);
        return server.listen().onSuccess(s -> port = s.actualPort());
    }

    private void connected(ServerWebSocket socket) {
        socket.textMessageHandler(text -> socket.writeTextMessage(answer(text)));
    }

    /** {@code {"id":<the request's id>,"status":200,"result":{"echo":"xxx…"}}}, {@link #answerChars} long. */
    String answer(String request) {
        String id = Responses.idText(request);
        int pad = answerChars - PREFIX.length() - id.length() - MIDDLE.length() - SUFFIX.length();
        return new StringBuilder(answerChars).append(PREFIX).append(id).append(MIDDLE)
            .append(padding, 0, Math.max(0, pad)).append(SUFFIX).toString();
    }

    int port() {
        return port;
    }
}
