package io.xex.settlement;

/**
 * One recorded batch of one chain: every durable result from {@code firstSequence} to {@code lastSequence}, its
 * encoded legs and withdrawals ({@link io.xex.settlement.chain.LegCodec}, in the vault's units) and where it is.
 * Immutable; a transition makes a new value.
 *
 * @param txHash the last transaction that carried it, or null
 * @param nonce  that transaction's nonce, or -1
 * @param reason why it failed, or null
 */
record SettlementBatch(long chainId, long batchId, long firstSequence, long lastSequence, byte[] legs,
                       byte[] withdrawals, BatchStatus status, String txHash, long nonce, String reason) {

    static SettlementBatch open(long chainId, long batchId, long firstSequence, long lastSequence, byte[] legs,
                                byte[] withdrawals) {
        return new SettlementBatch(chainId, batchId, firstSequence, lastSequence, legs, withdrawals, BatchStatus.OPEN,
            null, -1, null);
    }

    SettlementBatch submitted(String hash, long usedNonce) {
        return new SettlementBatch(chainId, batchId, firstSequence, lastSequence, legs, withdrawals,
            BatchStatus.SUBMITTED, hash, usedNonce, null);
    }

    SettlementBatch confirmed() {
        return new SettlementBatch(chainId, batchId, firstSequence, lastSequence, legs, withdrawals,
            BatchStatus.CONFIRMED, txHash, nonce, null);
    }

    /** OPEN again (an operator's retry of a FAILED batch): signed anew with a fresh nonce. */
    SettlementBatch reopened() {
        return new SettlementBatch(chainId, batchId, firstSequence, lastSequence, legs, withdrawals, BatchStatus.OPEN,
            null, -1, null);
    }

    SettlementBatch failed(String why) {
        return new SettlementBatch(chainId, batchId, firstSequence, lastSequence, legs, withdrawals, BatchStatus.FAILED,
            txHash, nonce, why);
    }

    @Override
    public String toString() {
        return "batch " + batchId + " of chain " + chainId + " (results " + firstSequence + ".." + lastSequence + ", "
            + legs.length / 18 + " legs, " + status + (txHash == null ? "" : " " + txHash) + ")";
    }
}
