package io.xex.loadtests.binary;

import io.vertx.core.Future;
import io.xex.gateway.auth.ApiKeyStore;
import io.xex.loadtests.Harness;
import io.xex.loadtests.journal.Usage;
import io.xex.loadtests.roundtrip.ClientLoops;
import io.xex.loadtests.roundtrip.Comparison;
import io.xex.loadtests.roundtrip.GatewayVenue;
import io.xex.loadtests.roundtrip.LoadRun;
import io.xex.loadtests.roundtrip.RunResult;
import io.xex.protocol.client.BinaryClientConfig;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One run at one offered rate against one binary server ({@link LoadRun}: open model, latency from each order's due
 * time): fresh sessions, session {@code c} on the client's context {@code c}; for xex a new session of demo account
 * {@code c + 1} through the client library ({@link ClientSession}: Negotiate, Establish; at the end Terminate), for the
 * echo a raw connection ({@link RawSession}); the run; then they close. Each run has its own number, which every
 * clOrdId and session uuid carries, so both stay unique across runs.
 *
 * <p>Its methods block: called from the main thread only.
 */
final class BinaryLoad {
    private static final long CONNECT_TIMEOUT_S = 30;

    private final ClientLoops loops;
    private final List<ApiKeyStore.Created> keys;
    private final int securityId;
    private final boolean batching;
    private final Supplier<Usage.Sample> sampler;
    private int runs;

    /** @param keys an HMAC key per session, of a demo account each */
    BinaryLoad(ClientLoops loops, List<ApiKeyStore.Created> keys, int securityId, boolean batching,
               Supplier<Usage.Sample> sampler) {
        this.loops = loops;
        this.keys = keys;
        this.securityId = securityId;
        this.batching = batching;
        this.sampler = sampler;
    }

    /** Offers {@code rate} orders per second to {@code port} over {@code sessions} fresh sessions. */
    RunResult run(String system, int rate, int port, int sessions, LoadRun.Timing timing) {
        int run = ++runs;
        List<OrderSession> open = new ArrayList<>();
        try {
            for (int c = 0; c < sessions; c++) {
                open.add(Harness.await(open(system, port, run, c), CONNECT_TIMEOUT_S));
            }
            return LoadRun.run(system, rate, open, timing, sampler);
        } finally {
            LoadRun.close(open);
        }
    }

    private Future<? extends OrderSession> open(String system, int port, int run, int c) {
        if (system.equals(Comparison.ECHO)) {
            return RawSession.open(loops.vertx(), loops.contexts().get(c), port, c, securityId, run, batching);
        }
        ApiKeyStore.Created key = keys.get(c);
        BinaryClientConfig config = BinaryClientConfig.of(GatewayVenue.LOOPBACK, port, uuid(run, c), key.keyId(),
                key.secret().getBytes(StandardCharsets.UTF_8))
            .withCancelOnDisconnect(false, 0)
            .withBatching(batching);
        return ClientSession.open(loops.vertx(), loops.contexts().get(c), config, c, securityId, run);
    }

    /** Session {@code c} of run {@code run}: never 0, never the same twice. */
    static long uuid(int run, int c) {
        return ((long) run << 20) + c + 1;
    }
}
