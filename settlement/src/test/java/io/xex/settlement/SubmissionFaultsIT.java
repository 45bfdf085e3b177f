package io.xex.settlement;

import io.xex.runtime.Venue;
import io.xex.settlement.chain.SettlementVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Chain faults while batches are in flight, each ending with every batch settled exactly once (the vault's last
 * batch id, one {@code BatchSettled} per id) and every vault balance equal to the engine's: a transaction dropped
 * from the node's pool is signed again with its nonce and sent; a block holding a batch removed before it was deep
 * enough sends the batch again.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SubmissionFaultsIT extends AnvilVenueFixture {

    @Test
    void aTransactionDroppedFromThePoolIsSentAgain() throws Exception {
        SettlementComponent settlement = SettlementComponent.from(config(anvil.rpcUrl()));
        Venue venue = await(Venue.start(config(anvil.rpcUrl()), List.of(settlement)));
        try {
            fundAccounts(venue);
            anvil.rpc("evm_setAutomine", false);
            long last = trade(venue, 0);
            awaitTrue("a batch waiting in the pool", this::somethingPending);
            // Pipelined: the round may have made more than one batch, all sent.
            assertTrue(settlement.verticle().batches(BatchStatus.SUBMITTED) >= 1);

            anvil.rpc("anvil_dropAllTransactions");
            awaitTrue("the batch sent again", this::somethingPending);
            assertEquals(0, vault.lastBatchId(), "nothing mined while automine is off");

            anvil.rpc("evm_setAutomine", true);
            anvil.mine();
            awaitTrue("every result in a confirmed batch", () -> settlement.verticle().confirmedThrough() >= last);
            assertSettledExactlyOnce(settlement.verticle().batches(BatchStatus.CONFIRMED));
            assertBalancesEqual(venue, settlement.config());
        } finally {
            await(venue.stop());
        }
    }

    @Test
    void aBatchWhoseBlockIsReorganisedAwayBeforeItIsDeepEnoughIsSentAgain() throws Exception {
        int confirmations = 3;
        SettlementComponent settlement = SettlementComponent.from(config(anvil.rpcUrl(), confirmations));
        Venue venue = await(Venue.start(config(anvil.rpcUrl(), confirmations), List.of(settlement)));
        try {
            fundAccounts(venue);
            Object snapshot = anvil.rpc("evm_snapshot");
            BigInteger before = operator.blockNumber();
            long last = trade(venue, 0);
            awaitTrue("the first batch mined, not yet deep enough", () -> lastBatchId() >= 1);
            assertTrue(settlement.verticle().batches(BatchStatus.SUBMITTED) >= 1);

            assertEquals(Boolean.TRUE, anvil.rpc("evm_revert", snapshot));
            assertEquals(before, operator.blockNumber(), "the batch's block is gone");
            assertEquals(0, vault.lastBatchId());

            awaitTrue("the batch mined again and every result confirmed", () -> {
                mineWhenSettledOnTop();
                return settlement.verticle().confirmedThrough() >= last;
            });
            assertSettledExactlyOnce(settlement.verticle().batches(BatchStatus.CONFIRMED));
            assertBalancesEqual(venue, settlement.config());
        } finally {
            await(venue.stop());
        }
        assertEquals(Collections.nCopies((int) vault.lastBatchId(), "CONFIRMED"), batchStatuses());
    }

    /** Deepens the chain by a block while the vault's newest batch sits on top, so that it becomes confirmed. */
    private void mineWhenSettledOnTop() {
        try {
            if (lastBatchId() >= 1) {
                anvil.mine();
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private void assertSettledExactlyOnce(long confirmed) throws Exception {
        assertTrue(confirmed >= 1, "trades moved something");
        assertEquals(confirmed, vault.lastBatchId());
        List<SettlementVault.BatchSettledEvent> settled = vault.batchesSettled(BigInteger.ZERO, operator.blockNumber());
        assertEquals(confirmed, settled.size(), "one BatchSettled per batch");
        for (int i = 0; i < settled.size(); i++) {
            assertEquals(i + 1, settled.get(i).batchId());
        }
    }

    private boolean somethingPending() {
        try {
            return operator.pendingNonce().compareTo(operator.minedNonce()) > 0;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private long lastBatchId() {
        try {
            return vault.lastBatchId();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
