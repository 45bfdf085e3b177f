package io.xex.settlement;

import io.xex.runtime.config.ConfigSource;

/**
 * The deposit watcher's own setting ({@code settlement.deposits.*}); how deep and how often come from
 * {@link SettlementConfig#confirmations()} and {@link SettlementConfig#pollMs()}.
 *
 * @param enabled      whether deposits are watched at all (a test that credits by hand turns it off)
 * @param rescanBlocks every poll reads the vault's Deposit logs again from this many blocks below its cursor, so a
 *                     log moved by a reorg within that depth is still found
 */
public record DepositConfig(boolean enabled, int rescanBlocks) {
    public static final int DEFAULT_RESCAN_BLOCKS = 12;

    public static DepositConfig from(ConfigSource config) {
        boolean enabled = config.find("settlement.deposits.enabled") == null || config.bool("settlement.deposits.enabled");
        return config.find("settlement.deposits.rescanBlocks") == null ? new DepositConfig(enabled, DEFAULT_RESCAN_BLOCKS)
            : new DepositConfig(enabled, config.intValue("settlement.deposits.rescanBlocks", 0, 100_000));
    }
}
