package io.xex.runtime.config;

/**
 * The command journal's group commit.
 *
 * @param maxBatch       commands written in one statement at most
 * @param maxWritesInFlight journal writes sent and not yet committed at most; acknowledgements stay in order
 * @param maxPending     commands applied but not yet durable; past it new commands are refused
 * @param retryInitialMs first delay before writing again after a failure
 * @param retryMaxMs     longest delay between attempts
 */
public record JournalConfig(int maxBatch, int maxWritesInFlight, int maxPending, long retryInitialMs, long retryMaxMs) {
    public static final int DEFAULT_MAX_BATCH = 4096;
    public static final int DEFAULT_MAX_PENDING = 50_000;

    public JournalConfig {
        if (maxBatch <= 0 || maxPending < maxBatch || retryInitialMs <= 0 || retryMaxMs < retryInitialMs
            || maxWritesInFlight < 1) {
            throw new ConfigException("journal: need batch.max > 0, writes.max > 0, pending.max >= batch.max, "
                + "0 < retry.initialMs <= retry.maxMs");
        }
    }

    public static JournalConfig from(ConfigSource config) {
        return new JournalConfig(config.intValue("journal.batch.max", 1, 1 << 20),
            config.intValue("journal.writes.max", 1, 16),
            config.intValue("journal.pending.max", 1, 1 << 26),
            config.longValue("journal.retry.initialMs", 1, 60_000), config.longValue("journal.retry.maxMs", 1, 600_000));
    }
}
