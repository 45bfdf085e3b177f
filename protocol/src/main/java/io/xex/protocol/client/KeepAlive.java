package io.xex.protocol.client;

/**
 * The keep-alive rule of an established connection, on a monotonic clock in nanoseconds: a heartbeat is due
 * when nothing was sent for one interval; the connection is lost when nothing was received for two.
 *
 * <p>Pure logic without a clock of its own. Not thread-safe: confined to the client's context.
 */
final class KeepAlive {
    private long intervalNs;
    private long lastSentNs;
    private long lastReceivedNs;

    /** Starts over for a connection established at {@code nowNs} with this interval. */
    void start(long intervalMs, long nowNs) {
        this.intervalNs = intervalMs * 1_000_000L;
        this.lastSentNs = nowNs;
        this.lastReceivedNs = nowNs;
    }

    void onSent(long nowNs) {
        lastSentNs = nowNs;
    }

    void onReceived(long nowNs) {
        lastReceivedNs = nowNs;
    }

    boolean heartbeatDue(long nowNs) {
        return nowNs - lastSentNs >= intervalNs;
    }

    boolean lapsed(long nowNs) {
        return nowNs - lastReceivedNs >= 2 * intervalNs;
    }

    /** How often to check: a quarter of the interval, so a heartbeat goes out at most 25% late. */
    static long checkPeriodMs(long intervalMs) {
        return Math.max(1, intervalMs / 4);
    }
}
