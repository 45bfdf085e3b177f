package io.xex.settlement;

/** Where a settlement batch is: recorded, sent, settled K blocks deep, or refused by the vault (docs/settlement.md). */
public enum BatchStatus {
    /** Recorded with its legs; not yet sent (or sent by a process that died before storing the hash). */
    OPEN,
    /** Sent with the stored nonce and transaction hash; waiting for its receipt to be deep enough. */
    SUBMITTED,
    /** Settled on chain, its receipt at least {@code confirmations} blocks deep. */
    CONFIRMED,
    /** Refused by the vault for {@code reason}; the chain's later batches wait for an operator. */
    FAILED
}
