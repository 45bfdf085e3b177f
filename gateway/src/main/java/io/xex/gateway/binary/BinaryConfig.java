package io.xex.gateway.binary;

import io.xex.runtime.config.ConfigSource;

/**
 * The binary gateway's settings ({@code binary.*} in xex-defaults.properties), validated before anything
 * starts.
 *
 * @param host                    address the TCP server listens on
 * @param port                    its port; 0 picks a free one
 * @param messagesPerSecond       per session, application messages in a one-second window
 * @param retransmitMax           the most reports one RetransmitRequest may ask for
 * @param dedupOrders             per account, recent client order ids remembered for idempotent resends
 * @param reportsInMemory         per account with a session, recent reports kept for retransmission
 * @param keepAliveMinMs          the shortest keep-alive interval a client may ask for
 * @param keepAliveMaxMs          the longest
 * @param codGraceMaxMs           the longest cancel-on-disconnect grace window
 * @param timestampWindowMs       how far a Negotiate's or Establish's timestamp may be from the server's clock
 * @param handshakeTimeoutMs      how long a connection may take to establish a session
 * @param writeQueueBytes         unsent bytes above which a connection is a slow consumer
 * @param slowConsumerTimeoutMs   how long a slow consumer has to catch up before it is terminated
 */
public record BinaryConfig(String host, int port, int messagesPerSecond, int retransmitMax, int dedupOrders,
                           int reportsInMemory, long keepAliveMinMs, long keepAliveMaxMs, long codGraceMaxMs,
                           long timestampWindowMs, long handshakeTimeoutMs, int writeQueueBytes,
                           long slowConsumerTimeoutMs) {

    public static BinaryConfig from(ConfigSource config) {
        long keepAliveMinMs = config.longValue("binary.keepAlive.minMs", 10, 3_600_000);
        return new BinaryConfig(
            config.string("binary.host"),
            config.intValue("binary.port", 0, 65_535),
            config.intValue("binary.messagesPerSecond", 1, 10_000_000),
            config.intValue("binary.retransmitMax", 1, 100_000),
            config.intValue("binary.dedupOrders", 0, 10_000_000),
            config.intValue("binary.reportsInMemory", 0, 10_000_000),
            keepAliveMinMs,
            config.longValue("binary.keepAlive.maxMs", keepAliveMinMs, 3_600_000),
            config.longValue("binary.codGrace.maxMs", 0, 3_600_000),
            config.longValue("binary.timestampWindowMs", 1, 3_600_000),
            config.longValue("binary.handshakeTimeoutMs", 1, 3_600_000),
            config.intValue("binary.slowConsumer.writeQueueBytes", 4096, 1 << 30),
            config.longValue("binary.slowConsumer.timeoutMs", 1, 3_600_000));
    }
}
