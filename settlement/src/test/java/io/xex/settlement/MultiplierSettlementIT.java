package io.xex.settlement;

import io.xex.matching.Command;
import io.xex.matching.Side;
import io.xex.matching.StpMode;
import io.xex.matching.TimeInForce;
import io.xex.runtime.Venue;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;
import io.xex.settlement.chain.ChainClient;
import io.xex.settlement.chain.SettlementVault;
import io.xex.settlement.chain.XStockToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A whole venue settling to a real anvil chain across corporate actions: the issuer schedules the token's new
 * multiplier ahead of its activation, the engine applies the same ratio ({@code ApplyMultiplier}), trading goes on
 * before and after the activation, and every batch is CONFIRMED at the multiplier of its sequences; after each, every
 * account's vault shares cover what the engine says it holds ({@code ⌊B × k / M⌋}) within less than one engine
 * unit's worth of dust, the fee account's too. The dividend also has a withdrawal and a deposit of an odd number of
 * shares after it, credited by the deposit watcher at the new multiplier.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MultiplierSettlementIT extends AnvilVenueFixture {
    private static final String BOB_WALLET = "0x0000000000000000000000000000000000000b0b";
    private static final BigInteger K = BigInteger.TEN.pow(28);

    /** The issuer's and a second vault operator's key: the venue counts the operator key's nonces itself. */
    ChainClient issuer;

    @BeforeEach
    void issuer() throws Exception {
        issuer = anvil.client(2);
        tsla.grantRole(XStockToken.ISSUER_ROLE, issuer.address());
        vault.grantOperator(issuer.address());
    }

    @AfterEach
    void closeIssuer() {
        if (issuer != null) {
            issuer.close();
        }
    }

    @Test
    void aTwoForOneSplitIsSettledInSharesBeforeAndAfterItsActivation() throws Exception {
        SettlementComponent settlement = SettlementComponent.from(config(anvil.rpcUrl()));
        Venue venue = await(Venue.start(config(anvil.rpcUrl()), List.of(settlement)));
        try {
            fundAccounts(venue);
            long first = tradeAtReference(venue);
            awaitTrue("the first trades confirmed", () -> settlement.verticle().confirmedThrough() >= first);

            BigInteger split = XStockToken.ONE.multiply(BigInteger.TWO);
            XStockToken.at(issuer, tsla.address()).scheduleMultiplier(split, chainTime() + 600);
            CommandResult action = submit(venue, new Command.ApplyMultiplier(TSLA, 2, 1));
            assertAccepted(action);
            long pending = tradeAtReference(venue);
            awaitTrue("the trades after the engine's split confirmed while the token's is pending",
                () -> settlement.verticle().confirmedThrough() >= pending);
            assertEquals(XStockToken.ONE, tsla.multiplier());
            assertCovered(venue, split);

            anvil.increaseTime(1_200);
            anvil.mine();
            assertEquals(split, tsla.multiplier(), "the split is active on chain");
            long after = tradeAtReference(venue);
            awaitTrue("the trades after the activation confirmed", () -> settlement.verticle().confirmedThrough() >= after);
            assertEquals(0, settlement.verticle().batches(BatchStatus.FAILED));
            assertCovered(venue, split);
            assertEquals(settlement.verticle().batches(BatchStatus.CONFIRMED), vault.lastBatchId());
        } finally {
            await(venue.stop());
        }
        assertEquals(Collections.nCopies((int) vault.lastBatchId(), "CONFIRMED"), batchStatuses());
        assertEquals(List.of("1:2000000000000000000"), strings("SELECT asset || ':' || multiplier FROM"
            + " settlement_multipliers ORDER BY from_seq"), "the new multiplier stored once");
    }

    @Test
    void aDividendIsSettledWithAWithdrawalAndADepositAfterIt() throws Exception {
        Map<String, String> env = environment(anvil.rpcUrl(), 1);
        env.put("XEX_SETTLEMENT_DEPOSITS_ENABLED", "true");
        SettlementComponent settlement = SettlementComponent.from(ConfigSource.load(null, env));
        Venue venue = await(Venue.start(ConfigSource.load(null, env), List.of(settlement)));
        try {
            submit(venue, new Command.CreateAccount(ALICE, 10, 20, StpMode.NONE));
            submit(venue, new Command.CreateAccount(BOB, 10, 20, StpMode.NONE));
            awaitTrue("the deposits credited by the watcher", () -> total(venue, ALICE, USDT) == ALICE_USDT
                && total(venue, BOB, TSLA) == BOB_TSLA);
            long first = tradeAtReference(venue);
            awaitTrue("the first trades confirmed", () -> settlement.verticle().confirmedThrough() >= first);

            BigInteger dividend = BigInteger.valueOf(10_123).multiply(BigInteger.TEN.pow(14));
            XStockToken.at(issuer, tsla.address()).scheduleMultiplier(dividend, chainTime() + 600);
            assertAccepted(submit(venue, new Command.ApplyMultiplier(TSLA, 10_123, 10_000)));
            anvil.increaseTime(1_200);
            anvil.mine();
            assertEquals(dividend, tsla.multiplier());
            long traded = tradeAtReference(venue);

            SettlementVault.at(issuer, vault.address()).setWithdrawalAddress(BOB, BOB_WALLET);
            long withdraws = 1_000_000_007L;
            CommandResult withdrawn = submit(venue, new Command.Withdraw(BOB, TSLA, withdraws));
            assertAccepted(withdrawn);

            BigInteger shares = BigInteger.valueOf(5).multiply(XStockToken.ONE).add(BigInteger.valueOf(123_456_789_123L));
            XStockToken.at(issuer, tsla.address()).mintShares(wallet.address(), shares);
            XStockToken.at(wallet, tsla.address()).approve(vault.address(), shares.multiply(BigInteger.TWO));
            long aliceBefore = total(venue, ALICE, TSLA);
            SettlementVault.at(wallet, vault.address()).deposit(ALICE, TSLA, shares);
            long credited = shares.multiply(dividend).divide(K).longValueExact();
            awaitTrue("the deposit credited at the new multiplier", () -> total(venue, ALICE, TSLA) == aliceBefore + credited);
            long last = await(venue.runtime().proxy().status()).sequence();
            awaitTrue("everything confirmed", () -> settlement.verticle().confirmedThrough() >= Math.max(last,
                Math.max(traded, withdrawn.sequence())));

            assertEquals(BigInteger.valueOf(withdraws).multiply(K).divide(dividend), tsla.sharesOf(BOB_WALLET),
                "the withdrawal paid ⌊w × k / M⌋ shares");
            assertEquals(0, settlement.verticle().batches(BatchStatus.FAILED));
            assertCovered(venue, dividend);
            assertEquals(settlement.verticle().batches(BatchStatus.CONFIRMED), vault.lastBatchId());
        } finally {
            await(venue.stop());
        }
        assertEquals(Collections.nCopies((int) vault.lastBatchId(), "CONFIRMED"), batchStatuses());
    }

    /**
     * Every account's vault balance against the engine's: USDT equal; TSLAx shares at least {@code ⌊B × k / M⌋}, and
     * for the traders less than one engine unit's worth above it (the fee account holds the rounding dust).
     */
    private void assertCovered(Venue venue, BigInteger multiplier) throws Exception {
        for (long account : ACCOUNTS) {
            assertEquals(BigInteger.valueOf(total(venue, account, USDT)), vault.balanceOf(account, USDT),
                "USDT of account " + account);
            BigInteger floor = BigInteger.valueOf(total(venue, account, TSLA)).multiply(K).divide(multiplier);
            BigInteger shares = vault.balanceOf(account, TSLA);
            assertTrue(shares.compareTo(floor) >= 0, "account " + account + " holds " + shares + " shares, below "
                + floor);
            if (account != FEE_ACCOUNT) {
                BigInteger dust = shares.subtract(floor);
                assertTrue(dust.compareTo(K.divide(multiplier).add(BigInteger.ONE)) <= 0,
                    "account " + account + " holds " + dust + " shares above the engine's");
            }
            BigInteger tokens = shares.multiply(multiplier).divide(XStockToken.ONE);
            BigInteger engineTokens = BigInteger.valueOf(total(venue, account, TSLA)).multiply(BigInteger.TEN.pow(10));
            assertTrue(tokens.compareTo(engineTokens.subtract(BigInteger.ONE)) >= 0, "account " + account + ": "
                + tokens + " tokens in the vault for the engine's " + engineTokens);
        }
    }

    /** Bob sells and Alice buys three times at the engine's reference price; the last sequence. */
    private static long tradeAtReference(Venue venue) throws Exception {
        long price = await(venue.runtime().proxy().query(e -> e.referencePrice(TSLAX))).value();
        List<CommandResult> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            results.add(submit(venue, Command.PlaceOrder.limit(BOB, 1, TSLAX, Side.SELL, TimeInForce.GTC, price, 1_500)));
            results.add(submit(venue, Command.PlaceOrder.limit(ALICE, 1, TSLAX, Side.BUY, TimeInForce.GTC, price,
                1_000 + 7 * i)));
        }
        assertTrue(results.stream().anyMatch(r -> r.events().stream().anyMatch(EngineEvent.Trade.class::isInstance)),
            "a trade at " + price + ": " + results);
        return results.getLast().sequence();
    }

    private long chainTime() throws Exception {
        return operator.web3j().ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameterName.LATEST, false)
            .send().getBlock().getTimestamp().longValueExact();
    }

    private static long total(Venue venue, long account, int asset) {
        try {
            return await(venue.runtime().proxy().query(e -> e.hasAccount(account)
                ? e.available(account, asset) + e.locked(account, asset) : 0)).value();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void assertAccepted(CommandResult result) {
        assertFalse(result.events().stream().anyMatch(EngineEvent.Rejected.class::isInstance), result.toString());
    }
}
