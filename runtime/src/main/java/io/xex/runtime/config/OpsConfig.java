package io.xex.runtime.config;

/**
 * The operations HTTP server: {@code /metrics} for Prometheus and {@code /admin/*} for operators.
 *
 * @param host       address to listen on; loopback by default
 * @param port       0 picks a free port
 * @param adminToken bearer token for {@code /admin/*}; {@code null} makes a random one at start
 */
public record OpsConfig(String host, int port, String adminToken) {
    public static OpsConfig from(ConfigSource config) {
        return new OpsConfig(config.string("ops.host"), config.intValue("ops.port", 0, 65_535),
            config.optionalString("ops.adminToken"));
    }
}
