package io.xex.gateway;

import io.xex.runtime.calendar.CalendarConfig;
import io.xex.runtime.calendar.MarketCalendar;
import io.xex.runtime.config.ConfigSource;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * The trader gateway's settings ({@code gateway.*} in xex-defaults.properties), validated before anything
 * starts.
 *
 * @param host                   address the WebSocket and REST server listens on
 * @param port                   its port; 0 picks a free one
 * @param maxRequestBytes        a request larger than this is answered with an error (the connection stays)
 * @param maxFrameBytes          a WebSocket frame or message larger than this closes the connection with 1009
 * @param pingIntervalMs         how often the server pings every connection
 * @param idleTimeoutMs          a connection silent (no frame, no pong) for this long is closed
 * @param ordersPerSecond        per account: order.place and order.amend in one second
 * @param requestsPerSecondPerIp per client address: requests in one second, over all its connections
 * @param connectionsPerIp       per client address: open WebSocket connections
 * @param writeQueueBytes        a connection whose unsent bytes pass this is a slow reader: market data is
 *                               conflated until it catches up
 * @param slowReaderTimeoutMs    a slow reader that has not caught up after this long is disconnected
 * @param maxSubscriptions       channels per connection
 * @param recentTrades           trades kept per symbol for the trades snapshot and REST
 * @param tickerIntervalMs       how often a changed ticker is pushed
 * @param maxCancelAfterMs       the longest dead-man switch a client may set
 * @param reconnectAfterMs       told to clients in the serverShutdown notice
 * @param demoAccounts           demo accounts created at start when missing (0: none)
 * @param demoQuoteDeposit       USDT given to each new demo account
 * @param demoBaseDeposit        units of each xStock given to each new demo account
 * @param demoFunding            how those are given: straight into the engine, or through the chain's vault
 * @param calendar               the underlying market's calendar ({@code calendar.*}), for {@code /api/v1/market-status}
 */
public record GatewayConfig(String host, int port, int maxRequestBytes, int maxFrameBytes, long pingIntervalMs,
                            long idleTimeoutMs, int ordersPerSecond, int requestsPerSecondPerIp,
                            int connectionsPerIp, int writeQueueBytes, long slowReaderTimeoutMs,
                            int maxSubscriptions, int recentTrades, long tickerIntervalMs, long maxCancelAfterMs,
                            long reconnectAfterMs, int demoAccounts, BigDecimal demoQuoteDeposit,
                            BigDecimal demoBaseDeposit, DemoFunding demoFunding, MarketCalendar calendar) {

    /** How the demo accounts get their deposits ({@code gateway.demo.funding}). */
    public enum DemoFunding {
        /** Deposit commands straight into the engine, when the accounts are created: a venue that does not settle. */
        ENGINE,
        /**
         * Through the chain: the gateway only creates the accounts, and the deposits are made into the vault (by
         * {@code settlement.localChain}) and credited by the deposit watcher, so that engine and vault agree.
         */
        CHAIN
    }

    public static GatewayConfig from(ConfigSource config) {
        int maxFrameBytes = config.intValue("gateway.maxFrameBytes", 1024, 16 << 20);
        int maxRequestBytes = config.intValue("gateway.maxRequestBytes", 256, maxFrameBytes);
        long pingIntervalMs = config.longValue("gateway.pingIntervalMs", 10, 3_600_000);
        return new GatewayConfig(
            config.string("gateway.host"),
            config.intValue("gateway.port", 0, 65_535),
            maxRequestBytes,
            maxFrameBytes,
            pingIntervalMs,
            config.longValue("gateway.idleTimeoutMs", pingIntervalMs, 86_400_000),
            config.intValue("gateway.limits.ordersPerSecond", 1, 1_000_000),
            config.intValue("gateway.limits.requestsPerSecondPerIp", 1, 1_000_000),
            config.intValue("gateway.limits.connectionsPerIp", 1, 100_000),
            config.intValue("gateway.slowReader.writeQueueBytes", 4096, 1 << 30),
            config.longValue("gateway.slowReader.timeoutMs", 1, 3_600_000),
            config.intValue("gateway.maxSubscriptions", 1, 10_000),
            config.intValue("gateway.recentTrades", 1, 100_000),
            config.longValue("gateway.tickerIntervalMs", 10, 3_600_000),
            config.longValue("gateway.maxCancelAfterMs", 1_000, 86_400_000),
            config.longValue("gateway.shutdown.reconnectAfterMs", 0, 3_600_000),
            config.intValue("gateway.demo.accounts", 0, 1_000),
            nonNegative(config, "gateway.demo.quoteDeposit"),
            nonNegative(config, "gateway.demo.baseDeposit"),
            demoFunding(config),
            new MarketCalendar(CalendarConfig.from(config)));
    }

    private static DemoFunding demoFunding(ConfigSource config) {
        String value = config.string("gateway.demo.funding");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "engine" -> DemoFunding.ENGINE;
            case "chain" -> DemoFunding.CHAIN;
            default -> throw config.invalid("gateway.demo.funding", value, "engine or chain");
        };
    }

    private static BigDecimal nonNegative(ConfigSource config, String key) {
        BigDecimal value = config.decimal(key);
        if (value.signum() < 0) {
            throw config.invalid(key, value.toPlainString(), "zero or more");
        }
        return value;
    }
}
