package io.xex.settlement;

import io.vertx.core.json.JsonObject;
import io.xex.runtime.Venue;
import io.xex.settlement.chain.Anvil;
import io.xex.settlement.chain.ChainClient;
import io.xex.settlement.chain.XStockToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import io.vertx.core.json.JsonObject;

import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole venue settling to a real anvil chain: trades become batches that the vault settles, after which every
 * account's vault balance equals its engine balance; a batch recorded while the chain was unreachable is sent once
 * by the next run.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SettlementIT extends AnvilVenueFixture {
    @Test
    void tradesAreSettledAndEveryVaultBalanceEqualsTheEngines() throws Exception {
        SettlementComponent settlement = SettlementComponent.from(config(anvil.rpcUrl()));
        Venue venue = await(Venue.start(config(anvil.rpcUrl()), List.of(settlement)));
        try {
            fundAccounts(venue);
            long last = trade(venue, 0);
            awaitTrue("every result in a confirmed batch", () -> settlement.verticle().confirmedThrough() >= last);
            assertBalancesEqual(venue, settlement.config());
            long batches = settlement.verticle().batches(BatchStatus.CONFIRMED);
            assertEquals(vault.lastBatchId(), batches);
            assertTrue(batches >= 1, "trades moved something");

            long more = trade(venue, 1);
            awaitTrue("the next batch confirmed", () -> settlement.verticle().confirmedThrough() >= more);
            assertBalancesEqual(venue, settlement.config());
            assertEquals(vault.lastBatchId(), settlement.verticle().batches(BatchStatus.CONFIRMED));
        } finally {
            await(venue.stop());
        }
        List<String> statuses = batchStatuses();
        assertEquals(vault.lastBatchId(), statuses.size());
        statuses.forEach(status -> assertEquals("CONFIRMED", status));
    }

    @Test
    void aBatchRecordedWhileTheChainWasUnreachableIsSentOnceByTheNextRun() throws Exception {
        String unreachable = "http://127.0.0.1:" + Anvil.freePort();
        SettlementComponent first = SettlementComponent.from(config(unreachable));
        Venue venue = await(Venue.start(config(unreachable), List.of(first)));
        try {
            fundAccounts(venue);
            long last = trade(venue, 0);
            awaitTrue("every trade recorded in an OPEN batch", () -> first.verticle().batches(BatchStatus.OPEN) >= 1
                && first.verticle().backlog() == 0 && first.verticle().lag() >= last);
        } finally {
            await(venue.stop());
        }
        assertEquals(0, vault.lastBatchId());
        List<String> recorded = batchStatuses();
        recorded.forEach(status -> assertEquals("OPEN", status));
        long batches = recorded.size();

        SettlementComponent second = SettlementComponent.from(config(anvil.rpcUrl()));
        Venue again = await(Venue.start(config(anvil.rpcUrl()), List.of(second)));
        try {
            awaitTrue("the open batches confirmed", () -> second.verticle().batches(BatchStatus.CONFIRMED) == batches);
            assertEquals(batches, vault.lastBatchId());
            assertEquals(batches, vault.batchesSettled(BigInteger.ZERO, operator.blockNumber()).size(), "each once");
            assertBalancesEqual(again, second.config());
        } finally {
            await(again.stop());
        }
        assertEquals(Collections.nCopies((int) batches, "CONFIRMED"), batchStatuses());
    }

    /**
     * The token's 2-for-1 change becomes active while the engine never applies it: the engine's batch, converted at
     * multiplier 1, is one the token disagrees with, so it is FAILED rather than settled against a token whose holders
     * the engine does not know of (MultiplierSettlementIT settles the change applied on both sides).
     */
    @Test
    void aBatchWhoseMultiplierTheTokenDoesNotHaveIsFailedAndTheOperatorRetriesIt() throws Exception {
        // The issuer's change comes from another key: the venue counts the operator key's nonces itself.
        tsla.grantRole(XStockToken.ISSUER_ROLE, anvil.client(2).address());
        SettlementComponent settlement = SettlementComponent.from(config(anvil.rpcUrl()));
        Venue venue = await(Venue.start(config(anvil.rpcUrl()), List.of(settlement)));
        try {
            fundAccounts(venue);
            long first = trade(venue, 0);
            awaitTrue("the first trades confirmed", () -> settlement.verticle().confirmedThrough() >= first);
            long settled = vault.lastBatchId();

            try (ChainClient issuer = anvil.client(2)) {
                XStockToken.at(issuer, tsla.address()).scheduleMultiplier(XStockToken.ONE.multiply(BigInteger.TWO),
                    System.currentTimeMillis() / 1000 + 60);
            }
            anvil.increaseTime(3_600);
            anvil.mine();
            assertEquals(XStockToken.ONE.multiply(BigInteger.TWO), tsla.multiplier(), "a 2-for-1 split is active");

            long second = trade(venue, 1);
            awaitTrue("the next batch refused", () -> settlement.verticle().batches(BatchStatus.FAILED) == 1);
            assertEquals(settled, vault.lastBatchId(), "nothing settled while engine and token disagree");

            // The operator sees why, deals with it (the issuer undoes the change), and retries the batch.
            JsonObject chain = admin(venue, "GET", "settlement", null).getJsonArray("chains").getJsonObject(0);
            JsonObject failed = chain.getJsonArray("unfinished").getJsonObject(0);
            assertEquals("FAILED", failed.getString("status"));
            assertTrue(failed.getString("reason").contains("multiplier"), failed.encode());
            long batchId = failed.getLong("batchId");
            assertEquals(409, adminStatus(venue, "settlement/retry", new JsonObject().put("batchId", batchId + 1)),
                "only the FAILED batch can be retried");
            try (ChainClient issuer = anvil.client(2)) {
                XStockToken.at(issuer, tsla.address()).scheduleMultiplier(XStockToken.ONE,
                    System.currentTimeMillis() / 1000 + 3_660);
            }
            anvil.increaseTime(3_600);
            anvil.mine();
            assertEquals(XStockToken.ONE, tsla.multiplier());
            JsonObject retried = admin(venue, "POST", "settlement/retry", new JsonObject().put("batchId", batchId));
            assertEquals("OPEN", retried.getString("status"));
            awaitTrue("the retried batch confirmed", () -> settlement.verticle().confirmedThrough() >= second);
            assertTrue(vault.lastBatchId() >= batchId, "the retried batch settled, and any behind it");
            assertEquals(settlement.verticle().batches(BatchStatus.CONFIRMED), vault.lastBatchId());
            assertBalancesEqual(venue, settlement.config());
        } finally {
            await(venue.stop());
        }
        assertEquals(Collections.nCopies((int) vault.lastBatchId(), "CONFIRMED"), batchStatuses());
    }

    private static JsonObject admin(Venue venue, String method, String path, JsonObject body) throws Exception {
        HttpResponse<String> response = adminRequest(venue, method, path, body);
        assertEquals(200, response.statusCode(), response.body());
        return new JsonObject(response.body());
    }

    private static int adminStatus(Venue venue, String path, JsonObject body) throws Exception {
        return adminRequest(venue, "POST", path, body).statusCode();
    }

    private static HttpResponse<String> adminRequest(Venue venue, String method, String path, JsonObject body)
        throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + venue.opsPort() + "/admin/" + path))
                .header("Authorization", "Bearer " + venue.adminToken()).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.encode()))
                .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        }
    }
}
