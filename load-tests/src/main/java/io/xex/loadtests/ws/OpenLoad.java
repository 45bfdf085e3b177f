package io.xex.loadtests.ws;

import io.vertx.core.Context;
import io.vertx.core.http.WebSocketClient;
import io.xex.loadtests.Harness;
import io.xex.loadtests.journal.Usage;
import io.xex.loadtests.roundtrip.LoadRun;
import io.xex.loadtests.roundtrip.RunResult;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * One run at one offered rate against one WebSocket server ({@link LoadRun}: open model, latency from each request's
 * due time): fresh connections (logged on, for the gateway), the run, in the {@link OrderTexts.Flow#REST} flow a
 * cancel of what still rests, then the connections close.
 *
 * <p>Its methods block: called from the main thread only.
 */
final class OpenLoad {
    private static final long CONNECT_TIMEOUT_S = 30;

    /** How every run goes. */
    record Settings(int connections, LoadRun.Timing timing, int restingCap) {
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
            LoadRun.close(connections);
            throw e;
        }
        return connections;
    }

    /** Offers {@code rate} requests per second to {@code port} on fresh connections. */
    RunResult run(String system, int rate, int port, IntFunction<String> logon) {
        List<Connection> connections = connect(port, logon);
        try {
            RunResult result = LoadRun.run(system, rate, connections, settings.timing(), sampler);
            if (texts.flow() == OrderTexts.Flow.REST && logon != null) {
                // What rests is the accounts' own and outlives the connections: clear it for the next run.
                for (Connection connection : connections) {
                    Harness.await(connection.request(OrderTexts.cancelAll(Connection.SINGLE_ID)), CONNECT_TIMEOUT_S);
                }
            }
            return result;
        } finally {
            LoadRun.close(connections);
        }
    }
}
