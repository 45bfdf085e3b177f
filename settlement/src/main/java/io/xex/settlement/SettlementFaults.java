package io.xex.settlement;

/**
 * The moments of a batch's way to the chain at which a crash is hardest on exactly-once settlement, named so that a
 * test can stop the process there: {@code SettlementKillIT} installs a hook (through
 * {@link SettlementComponent#faults}) in a child venue that blocks at one point, and kills the child with SIGKILL.
 * The venue itself only ever has {@link #NONE}, which does nothing; no configuration key selects another.
 *
 * <p>{@link #reached} is called on the settlement verticle's event-loop context, at most three times per batch.
 */
@FunctionalInterface
interface SettlementFaults {
    /** The default: nothing happens at any point. */
    SettlementFaults NONE = (point, batchId) -> {
    };

    /** Where a batch is when the hook is called. */
    enum Point {
        /** The batch (OPEN) and the cursor are committed in PostgreSQL; nothing of it is signed or sent. */
        AFTER_RECORD,
        /** Its transaction is stored SUBMITTED with hash and nonce and the node took it; no receipt looked for yet. */
        AFTER_BROADCAST,
        /**
         * The chain shows it settled deep enough (its receipt on the canonical chain, or the vault's last batch id);
         * it is not yet stored CONFIRMED.
         */
        AFTER_RECEIPT
    }

    void reached(Point point, long batchId);
}
