package io.xex.loadtests.ws;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.http.WebSocketClient;
import io.xex.loadtests.Harness;
import io.xex.loadtests.journal.Usage;
import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * One run at one offered rate against one server, open model without coordinated omission (the way of
 * {@code journal.CommandLoad#offeredRate}): fresh connections (logged on, for the gateway), then request {@code i} is
 * due at {@code t0 + i / rate} and goes out on connection {@code i % connections}; a generator thread wakes every
 * tick and tells each connection with something newly due to send everything due by then, however far behind.
 * Latency is the answer's arrival minus the request's due time, so a late send counts against the server, never in
 * its favour. Requests due in the warm-up are sent and answered but not measured; the run ends when every request is
 * answered or the drain time is over; then the connections close.
 *
 * <p>Its methods block: called from the main thread only.
 */
final class OpenLoad {
    static final String GENERATOR_THREAD = "ws-bench-generator";
    static final String SAMPLER_THREAD = "ws-bench-sampler";
    private static final long CONNECT_TIMEOUT_S = 30;
    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(50);

    /** How every run goes. */
    record Settings(int connections, long warmupNs, long measureNs, long tickNs, long drainNs, int restingCap) {
    }

    /**
     * One run. Of the {@code offered} requests due in the measured window, {@code ok} were answered with status 200
     * (their latencies are in {@code latencyNs}) and {@code errors} with another; {@code unanswered} requests of the
     * whole run had no answer by the end of the drain; {@code okInWindow} 200-answers (to any request) arrived within
     * the window: the achieved rate.
     */
    record Result(String system, int rate, long offered, long ok, long errors, long errorsOutsideWindow, long unanswered,
                  long okInWindow, long measureNs, Histogram latencyNs, Histogram lagNs, Map<String, Long> errorCodes,
                  String firstError, long cancels, long cancelErrors, long unexpected, Usage.Between usage) {
        double achievedPerSecond() {
            return okInWindow * 1e9 / measureNs;
        }

        double achievedShare() {
            return achievedPerSecond() / rate;
        }
    }

    private final WebSocketClient client;
    private final List<Context> contexts;
    private final OrderTexts texts;
    private final Settings settings;
    private final Supplier<Usage.Sample> sampler;

    /** @param contexts where the connections live, connection {@code c} on {@code contexts[c % size]} */
    OpenLoad(WebSocketClient client, List<Context> contexts, OrderTexts texts, Settings settings,
             Supplier<Usage.Sample> sampler) {
        this.client = client;
        this.contexts = contexts;
        this.texts = texts;
        this.settings = settings;
        this.sampler = sampler;
    }

    /**
     * Connects {@link Settings#connections} connections to {@code port}, each first sending {@code logon.apply(c)}
     * when {@code logon} is given (and failing unless it is answered with 200).
     */
    List<Connection> connect(int port, IntFunction<String> logon) {
        List<Connection> connections = new ArrayList<>();
        try {
            for (int c = 0; c < settings.connections(); c++) {
                Connection connection = Harness.await(Connection.open(client, contexts.get(c % contexts.size()), port, c, texts,
                    texts.flow() == OrderTexts.Flow.REST ? settings.restingCap() : 0), CONNECT_TIMEOUT_S);
                connections.add(connection);
                if (logon != null) {
                    String answer = Harness.await(connection.request(logon.apply(c)), CONNECT_TIMEOUT_S);
                    if (Responses.longAfter(answer, Responses.STATUS, 0) != 200) {
                        throw new IllegalStateException("logon of connection " + c + " refused: " + answer);
                    }
                }
            }
        } catch (RuntimeException e) {
            close(connections);
            throw e;
        }
        return connections;
    }

    /** Offers {@code rate} requests per second to {@code port} on fresh connections. */
    Result run(String system, int rate, int port, IntFunction<String> logon) {
        List<Connection> connections = connect(port, logon);
        long startNs = System.nanoTime() + START_DELAY_NS;
        Schedule schedule = Schedule.of(rate, startNs, settings.warmupNs(), settings.measureNs(), connections.size());
        connections.forEach(c -> c.start(schedule));
        Usage.Sample[] samples = new Usage.Sample[2];
        Thread samplerThread = new Thread(() -> {
            sleepUntil(schedule.measureStartNs());
            samples[0] = sampler.get();
            sleepUntil(schedule.measureEndNs());
            samples[1] = sampler.get();
        }, SAMPLER_THREAD);
        Thread generator = new Thread(() -> generate(schedule, connections), GENERATOR_THREAD);
        samplerThread.setDaemon(true);
        generator.setDaemon(true);
        samplerThread.start();
        generator.start();
        long runNs = schedule.measureEndNs() - System.nanoTime();
        try {
            Future.all(connections.stream().map(Connection::done).toList()).toCompletionStage().toCompletableFuture()
                .get(runNs + settings.drainNs(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            // counted below as unanswered
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().toString(), e.getCause());
        }
        join(generator);
        join(samplerThread);
        List<Connection.Tally> tallies = new ArrayList<>();
        for (Connection connection : connections) {
            tallies.add(Harness.await(connection.tally(), CONNECT_TIMEOUT_S));
        }
        if (texts.flow() == OrderTexts.Flow.REST && logon != null) {
            // What rests is the accounts' own and outlives the connections: clear it for the next run.
            for (Connection connection : connections) {
                Harness.await(connection.request(OrderTexts.cancelAll(Connection.SINGLE_ID)), CONNECT_TIMEOUT_S);
            }
        }
        close(connections);
        return merge(system, rate, schedule, tallies, new Usage.Between(samples[0], samples[1]));
    }

    /** The generator thread: each tick, tells every connection with a request newly due to send. */
    private void generate(Schedule schedule, List<Connection> connections) {
        int n = connections.size();
        long posted = 0;
        while (posted < schedule.total()) {
            long due = schedule.dueBy(System.nanoTime());
            if (due > posted) {
                if (due - posted >= n) {
                    connections.forEach(Connection::post);
                } else {
                    for (long i = posted; i < due; i++) {
                        connections.get((int) (i % n)).post();
                    }
                }
                posted = due;
            }
            LockSupport.parkNanos(settings.tickNs());
        }
    }

    private static Result merge(String system, int rate, Schedule schedule, List<Connection.Tally> tallies,
                                Usage.Between usage) {
        Histogram latency = new Histogram(Connection.HIGHEST_NS, 3);
        Histogram lag = new Histogram(Connection.HIGHEST_NS, 3);
        Map<String, Long> codes = new HashMap<>();
        long offered = 0;
        long ok = 0;
        long errors = 0;
        long errorsOutside = 0;
        long unanswered = 0;
        long okInWindow = 0;
        long cancels = 0;
        long cancelErrors = 0;
        long unexpected = 0;
        String firstError = null;
        for (Connection.Tally t : tallies) {
            latency.add(t.latencyNs());
            lag.add(t.lagNs());
            t.errorCodes().forEach((code, count) -> codes.merge(code, count, Long::sum));
            offered += t.offered();
            ok += t.ok();
            errors += t.errors();
            errorsOutside += t.errorsOutsideWindow();
            unanswered += t.sent() - t.answered();
            okInWindow += t.okInWindow();
            cancels += t.cancels();
            cancelErrors += t.cancelErrors();
            unexpected += t.unexpected();
            firstError = firstError != null ? firstError : t.firstError();
        }
        unanswered += schedule.total() - tallies.stream().mapToLong(Connection.Tally::sent).sum();
        return new Result(system, rate, offered, ok, errors, errorsOutside, unanswered, okInWindow, schedule.measureNs(),
            latency, lag, Map.copyOf(codes), firstError, cancels, cancelErrors, unexpected, usage);
    }

    static void close(List<Connection> connections) {
        for (Connection connection : connections) {
            try {
                Harness.await(connection.close(), CONNECT_TIMEOUT_S);
            } catch (RuntimeException e) {
                // closing anyway
            }
        }
    }

    private static void sleepUntil(long nanoTime) {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(TimeUnit.SECONDS.toMillis(CONNECT_TIMEOUT_S));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

}
