package io.xex.loadtests.ws;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.xex.loadtests.roundtrip.GatewayVenue;
import io.xex.loadtests.roundtrip.LoadConnection;

/**
 * One client WebSocket connection of the harness: request {@code id} of the schedule is {@code order.place} with
 * that id, and the answer's id says which request it answers. In the {@link OrderTexts.Flow#REST} flow each order
 * past the resting cap goes out with the cancel of an older one (an extra request). Outside a run it sends single
 * requests and waits for their answer ({@link #request}): the logon, the clean-up.
 *
 * <p>Confined to its context; the generator thread only calls {@link #post}.
 */
final class Connection extends LoadConnection {
    /** The id of single requests ({@link #request}); orders are {@code >= 0}, the cancel of order {@code i} is -2-i. */
    static final long SINGLE_ID = -1;

    private final WebSocket socket;
    private final OrderTexts texts;
    private final int restingCap;

    // Confined to the context:
    private Promise<String> waiting;

    private Connection(int index, Context context, WebSocket socket, OrderTexts texts, int restingCap) {
        super(index, context);
        this.socket = socket;
        this.texts = texts;
        this.restingCap = restingCap;
    }

    /** Connects from {@code context}, so that the socket lives there. */
    static Future<Connection> open(WebSocketClient client, Context context, int port, int index, OrderTexts texts,
                                   int restingCap) {
        Promise<Connection> opened = Promise.promise();
        context.runOnContext(v -> client.connect(new WebSocketConnectOptions().setHost(GatewayVenue.LOOPBACK).setPort(port)
                .setURI(WsBenchmark.WS_PATH))
            .map(socket -> {
                Connection connection = new Connection(index, context, socket, texts, restingCap);
                socket.textMessageHandler(connection::received);
                socket.closeHandler(closed -> connection.connectionClosed());
                return connection;
            })
            .onComplete(opened));
        return opened.future();
    }

    /** Sends one request with id {@link #SINGLE_ID} and completes with its answer; one at a time, before a run. */
    Future<String> request(String text) {
        Promise<String> answer = Promise.promise();
        context.runOnContext(v -> {
            waiting = answer;
            socket.writeTextMessage(text);
        });
        return answer.future();
    }

    @Override
    protected boolean send(long id, long k) {
        socket.writeTextMessage(texts.place(id, k));
        if (restingCap > 0 && k >= restingCap) {
            // Right behind the order, so the engine takes it after it: open orders stay at the cap, whatever the
            // latency.
            long old = requestOf(k - restingCap);
            extraSent();
            socket.writeTextMessage(OrderTexts.cancel(SINGLE_ID - 1 - old, old));
        }
        return true;
    }

    private void received(String text) {
        long nowNs = System.nanoTime();
        long id = Responses.longAfter(text, Responses.ID, 0);
        if (id == SINGLE_ID && waiting != null) {
            Promise<String> answer = waiting;
            waiting = null;
            answer.complete(text);
            return;
        }
        if (!running() || id == Responses.ABSENT) {
            unexpected();
            return;
        }
        long status = Responses.longAfter(text, Responses.STATUS, 0);
        if (id < 0) {
            extraAnswered(status == 200, errorCode(text, status), text);
        } else if (status == 200) {
            answered(id, nowNs);
        } else {
            failed(id, errorCode(text, status), text);
        }
    }

    /** {@code status/code} of an answer; built for errors only. */
    private static String errorCode(String text, long status) {
        if (status == 200) {
            return "";
        }
        long code = Responses.longAfter(text, Responses.CODE, 0);
        return status + "/" + (code == Responses.ABSENT ? "-" : Long.toString(code));
    }

    @Override
    public Future<Void> close() {
        Promise<Void> closed = Promise.promise();
        context.runOnContext(v -> socket.close().onComplete(closed));
        return closed.future();
    }
}
