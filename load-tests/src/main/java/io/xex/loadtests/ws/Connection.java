package io.xex.loadtests.ws;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import org.HdrHistogram.Histogram;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client WebSocket connection of the harness, on one event-loop context of the client's own Vert.x. It sends
 * its share of a {@link Schedule} (requests {@code i} with {@code i % connections == index}) when the generator
 * tells it that some are due, and times every answer against the request's due time, found from the id alone. In
 * the {@link OrderTexts.Flow#REST} flow each order past the resting cap goes out with the cancel of an older one.
 * Outside a run it sends single requests and waits for their answer ({@link #request}): the logon, the clean-up.
 *
 * <p>Confined to its context; the generator thread only calls {@link #post}.
 */
final class Connection {
    static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);
    /** The id of single requests ({@link #request}); orders are {@code >= 0}, the cancel of order {@code i} is -2-i. */
    static final long SINGLE_ID = -1;

    /** What a connection counted over one run; merged by {@link OpenLoad}. */
    record Tally(long sent, long answered, long offered, long ok, long errors, long errorsOutsideWindow, long okInWindow,
                 long cancels, long cancelErrors, long unexpected, Histogram latencyNs, Histogram lagNs,
                 Map<String, Long> errorCodes, String firstError) {
    }

    final int index;
    final Context context;
    private final WebSocket socket;
    private final OrderTexts texts;
    private final int restingCap;
    private final AtomicBoolean posted = new AtomicBoolean();
    private final Promise<Void> done = Promise.promise();

    // Confined to the context:
    private Promise<String> waiting;
    private Schedule schedule;
    private long sentK;
    private long ownTotal;
    private boolean allSent;
    private long sent;
    private long answered;
    private long cancelsInFlight;
    private long offered;
    private long ok;
    private long errors;
    private long errorsOutsideWindow;
    private long okInWindow;
    private long cancels;
    private long cancelErrors;
    private long unexpected;
    private String firstError;
    private final Map<String, Long> errorCodes = new HashMap<>();
    private final Histogram latencyNs = new Histogram(HIGHEST_NS, 3);
    private final Histogram lagNs = new Histogram(HIGHEST_NS, 3);

    private Connection(int index, Context context, WebSocket socket, OrderTexts texts, int restingCap) {
        this.index = index;
        this.context = context;
        this.socket = socket;
        this.texts = texts;
        this.restingCap = restingCap;
        socket.textMessageHandler(this::received);
        socket.closeHandler(v -> done.tryComplete());
    }

    /** Connects from {@code context}, so that the socket lives there. */
    static Future<Connection> open(WebSocketClient client, Context context, int port, int index, OrderTexts texts,
                                   int restingCap) {
        Promise<Connection> opened = Promise.promise();
        context.runOnContext(v -> client.connect(new WebSocketConnectOptions().setHost(WsBenchmark.LOOPBACK).setPort(port)
                .setURI(WsBenchmark.WS_PATH))
            .map(socket -> new Connection(index, context, socket, texts, restingCap))
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

    /** Takes part in {@code schedule} from now on; call before its start time. */
    void start(Schedule schedule) {
        context.runOnContext(v -> {
            this.schedule = schedule;
            this.ownTotal = schedule.total() > index ? (schedule.total() - index + schedule.connections() - 1)
                / schedule.connections() : 0;
            if (ownTotal == 0) {
                allSent = true;
                maybeDone();
            }
        });
    }

    /** Completes when every request of the schedule is sent and answered (or the socket closed). */
    Future<Void> done() {
        return done.future();
    }

    /** From the generator thread: something of this connection's is due; posts one sending task unless one waits. */
    void post() {
        if (posted.compareAndSet(false, true)) {
            context.runOnContext(v -> sendDue());
        }
    }

    /** Sends every request of this connection that is due by now, however far behind. */
    private void sendDue() {
        posted.set(false);
        if (allSent) {
            return;
        }
        long nowNs = System.nanoTime();
        long dueGlobal = schedule.dueBy(nowNs);
        int n = schedule.connections();
        long dueK = Math.min(ownTotal, dueGlobal <= index ? 0 : (dueGlobal - index + n - 1) / n);
        for (long k = sentK; k < dueK; k++) {
            long id = k * n + index;
            long dueNs = schedule.dueNs(id);
            if (schedule.measured(dueNs)) {
                offered++;
                lagNs.recordValue(Math.min(Math.max(0, System.nanoTime() - dueNs), HIGHEST_NS));
            }
            sent++;
            socket.writeTextMessage(texts.place(id, k));
            if (restingCap > 0 && k >= restingCap) {
                // Right behind the order, so the engine takes it after it: open orders stay at the cap, whatever
                // the latency.
                long old = (k - restingCap) * n + index;
                cancelsInFlight++;
                socket.writeTextMessage(OrderTexts.cancel(SINGLE_ID - 1 - old, old));
            }
        }
        sentK = Math.max(sentK, dueK);
        if (sentK == ownTotal) {
            allSent = true;
            maybeDone();
        }
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
        if (schedule == null || id == Responses.ABSENT) {
            unexpected++;
            return;
        }
        long status = Responses.longAfter(text, Responses.STATUS, 0);
        if (id < 0) {
            cancelsInFlight--;
            cancels++;
            if (status != 200) {
                cancelErrors++;
                noteError(text, status);
            }
            maybeDone();
            return;
        }
        answered++;
        long dueNs = schedule.dueNs(id);
        boolean measured = schedule.measured(dueNs);
        if (status == 200) {
            if (schedule.measured(nowNs)) {
                okInWindow++;
            }
            if (measured) {
                ok++;
                latencyNs.recordValue(Math.min(Math.max(0, nowNs - dueNs), HIGHEST_NS));
            }
        } else {
            if (measured) {
                errors++;
            } else {
                errorsOutsideWindow++;
            }
            noteError(text, status);
        }
        maybeDone();
    }

    private void noteError(String text, long status) {
        long code = Responses.longAfter(text, Responses.CODE, 0);
        errorCodes.merge(status + "/" + (code == Responses.ABSENT ? "-" : Long.toString(code)), 1L, Long::sum);
        if (firstError == null) {
            firstError = text.length() > 300 ? text.substring(0, 300) + "..." : text;
        }
    }

    private void maybeDone() {
        if (allSent && answered == sent && cancelsInFlight == 0) {
            done.tryComplete();
        }
    }

    /** What this connection counted so far, read on its context. */
    Future<Tally> tally() {
        Promise<Tally> tally = Promise.promise();
        context.runOnContext(v -> tally.complete(new Tally(sent, answered, offered, ok, errors, errorsOutsideWindow,
            okInWindow, cancels, cancelErrors, unexpected, latencyNs.copy(), lagNs.copy(), Map.copyOf(errorCodes),
            firstError)));
        return tally.future();
    }

    Future<Void> close() {
        Promise<Void> closed = Promise.promise();
        context.runOnContext(v -> socket.close().onComplete(closed));
        return closed.future();
    }
}
