package io.xex.settlement;

import io.xex.runtime.Venue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A venue refuses to start when its settlement table and the vault's last batch id cannot both be true: a database
 * reset against a vault that has settled batches, and a chain reset (the same contracts deployed again at the same
 * addresses on a fresh anvil) under a database that has batches CONFIRMED.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class VaultMismatchIT extends AnvilVenueFixture {

    @Test
    void aDatabaseResetAgainstAUsedVaultIsRefused() throws Exception {
        settleOneRound();
        deleteDatabase();

        SettlementComponent again = SettlementComponent.from(config(anvil.rpcUrl()));
        String message = refusal(again);
        assertTrue(message.contains("has settled batch " + vault.lastBatchId() + " but the database records batches"
            + " only up to 0"), message);
    }

    @Test
    void aChainResetUnderAKeptDatabaseIsRefused() throws Exception {
        String before = vault.address();
        long settled = settleOneRound();
        stopChain();
        deployContracts();
        assertEquals(before, vault.address(), "a fresh chain deploys the vault at the same address");
        assertEquals(0, vault.lastBatchId());

        SettlementComponent again = SettlementComponent.from(config(anvil.rpcUrl()));
        String message = refusal(again);
        assertTrue(message.contains("has batch " + settled + " CONFIRMED but the vault"), message);
    }

    /** Funds the accounts, trades and waits until it settles; the vault's last batch id. */
    private long settleOneRound() throws Exception {
        SettlementComponent settlement = SettlementComponent.from(config(anvil.rpcUrl()));
        Venue venue = await(Venue.start(config(anvil.rpcUrl()), List.of(settlement)));
        try {
            fundAccounts(venue);
            long last = trade(venue, 0);
            awaitTrue("the trades confirmed", () -> settlement.verticle().confirmedThrough() >= last);
        } finally {
            await(venue.stop());
        }
        long settled = vault.lastBatchId();
        assertTrue(settled >= 1, "a batch settled");
        return settled;
    }

    private String refusal(SettlementComponent settlement) {
        ExecutionException failure = assertThrows(ExecutionException.class,
            () -> await(Venue.start(config(anvil.rpcUrl()), List.of(settlement))));
        Throwable cause = failure.getCause();
        assertTrue(cause instanceof VaultMismatchException, "refused for the mismatch: " + cause);
        return cause.getMessage();
    }

    private void deleteDatabase() throws Exception {
        try (Stream<Path> files = Files.walk(dir.resolve("pg"))) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
