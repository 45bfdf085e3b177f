package io.xex.runtime.config;

/**
 * The history writer: orders, trades and balance movements for queries, written behind the journal.
 *
 * @param maxBatch   events' rows written in one transaction at most
 * @param retryMaxMs longest delay between attempts while the database is away
 */
public record HistoryConfig(int maxBatch, long retryMaxMs) {
    public static HistoryConfig from(ConfigSource config) {
        return new HistoryConfig(config.intValue("history.batch.max", 1, 1 << 20),
            config.longValue("history.retry.maxMs", 1, 600_000));
    }
}
