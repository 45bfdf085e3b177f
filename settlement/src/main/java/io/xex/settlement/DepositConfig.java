package io.xex.settlement;

import io.xex.runtime.config.ConfigSource;

/**
 * The deposit watcher's own setting ({@code settlement.deposits.*}); how deep and how often come from
 * {@link SettlementConfig#confirmations()} and {@link SettlementConfig#pollMs()}.
 *
 * @param enabled      whether deposits are watched at all (a test that credits by hand turns it off)
 * @param rescanBlocks every poll reads the vault's Deposit logs again from this many blocks below its cursor, so a
 *                     log moved by a reorg within that depth is still found
 * @param startBlock   the first block read when no cursor is saved yet (the vault's deployment block: a public
 *                     chain's history before it holds no Deposit and is too long to scan)
 */
public record DepositConfig(boolean enabled, int rescanBlocks, long startBlock) {
    public static final int DEFAULT_RESCAN_BLOCKS = 12;

    public static DepositConfig from(ConfigSource config) {
        boolean enabled = config.find("settlement.deposits.enabled") == null || config.bool("settlement.deposits.enabled");
        int rescan = config.find("settlement.deposits.rescanBlocks") == null ? DEFAULT_RESCAN_BLOCKS
            : config.intValue("settlement.deposits.rescanBlocks", 0, 100_000);
        long start = config.find("settlement.deposits.startBlock") == null ? 0
            : config.longValue("settlement.deposits.startBlock", 0, Long.MAX_VALUE);
        return new DepositConfig(enabled, rescan, start);
    }
}
