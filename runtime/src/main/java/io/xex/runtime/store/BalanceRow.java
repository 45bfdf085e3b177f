package io.xex.runtime.store;

/**
 * An account's balance of one asset after the command at {@code sequence}, for table {@code balance_movements};
 * {@code index} orders the movements of one command.
 */
public record BalanceRow(long sequence, int index, long accountId, int asset, long available, long locked,
                         long timestampNs) {
}
