package io.xex.gateway.binary;

/** For tests: the binary gateway's meters in their Prometheus spelling, to read with {@link io.xex.gateway.OpsMetrics}. */
final class Meters {
    static final String CONNECTIONS = "xex_gateway_binary_connections";
    static final String SESSIONS_ESTABLISHED = "xex_gateway_binary_established";
    static final String MALFORMED_FRAMES = "xex_gateway_binary_malformed_total";

    private Meters() {
    }
}
