package io.xex.settlement;

import io.xex.runtime.Venue;
import io.xex.settlement.chain.Anvil;
import io.xex.settlement.chain.SettlementVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chain goes away under a running venue and comes back: anvil is stopped (its state dumped to a file, as a node
 * that is restarted keeps its chain), trading goes on and its batches are recorded, and once anvil is started again
 * on the same port from that state the backlog settles, each batch once.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ChainOutageIT extends AnvilVenueFixture {
    private int port;
    private Path state;

    @Override
    Anvil startAnvil() throws IOException {
        port = Anvil.freePort();
        state = dir.resolve("anvil-state.json");
        return restartAnvil();
    }

    private Anvil restartAnvil() throws IOException {
        return Anvil.start(Anvil.defaultBinary(), port, List.of("--state", state.toString()));
    }

    @Test
    void tradingGoesOnWhileTheChainIsDownAndTheBacklogSettlesOnceItIsBack() throws Exception {
        SettlementComponent settlement = SettlementComponent.from(config(anvil.rpcUrl()));
        Venue venue = await(Venue.start(config(anvil.rpcUrl()), List.of(settlement)));
        try {
            fundAccounts(venue);
            long before = trade(venue, 0);
            awaitTrue("the first trades confirmed", () -> settlement.verticle().confirmedThrough() >= before);
            long settledBefore = vault.lastBatchId();

            anvil.close();
            long during = 0;
            for (int round = 1; round <= 3; round++) {
                during = trade(venue, round);
            }
            long last = during;
            awaitTrue("the trades of the outage recorded in batches", () -> settlement.verticle().backlog() == 0
                && settlement.verticle().lag() >= last - before);
            assertTrue(settlement.verticle().batches(BatchStatus.OPEN) >= 1, "a batch waits for the chain");
            assertEquals(settledBefore, settlement.verticle().batches(BatchStatus.CONFIRMED),
                "nothing confirmed while the chain is down");

            anvil = restartAnvil();
            // The venue may send its backlog at once, so the batches settled before are a floor, not the count.
            assertTrue(SettlementVault.at(operator, vault.address()).lastBatchId() >= settledBefore,
                "the chain came back with its state");
            awaitTrue("the backlog settled", () -> settlement.verticle().confirmedThrough() >= last);
            long batches = settlement.verticle().batches(BatchStatus.CONFIRMED);
            assertTrue(batches > settledBefore, "the outage's trades moved something");
            assertEquals(batches, vault.lastBatchId());
            assertEquals(batches, vault.batchesSettled(BigInteger.ZERO, operator.blockNumber()).size(), "each once");
            assertBalancesEqual(venue, settlement.config());
        } finally {
            await(venue.stop());
        }
        assertEquals(Collections.nCopies((int) vault.lastBatchId(), "CONFIRMED"), batchStatuses());
    }
}
