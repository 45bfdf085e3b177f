package io.xex.settlement;

import io.xex.matching.Command;
import io.xex.matching.StpMode;
import io.xex.runtime.Venue;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;
import io.xex.runtime.wallet.WithdrawalGate;
import io.xex.runtime.wallet.WithdrawalGate.Decision;
import io.xex.settlement.DepositStore.Status;
import io.xex.settlement.chain.Anvil;
import io.xex.settlement.chain.ChainClient;
import io.xex.settlement.chain.SettlementVault;
import io.xex.settlement.chain.SettlementVault.WithdrawalEvent;
import io.xex.settlement.chain.XStockToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Withdrawals on a real anvil chain with a whole venue: an accepted {@code Withdraw} is paid by the next batch to the
 * account's whitelisted address; one the token refuses (a paused xStock) is put back in the vault's balance by the
 * vault ({@code WithdrawalFailed}) and credited back to the engine by the deposit watcher, once, and not again after
 * a restart; and the gate a gateway asks before a withdrawal answers with the vault's address.
 *
 * <p>The chain is changed during a run with a second operator key ({@code admin}): the venue's own key counts its
 * nonces itself.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WithdrawalIT extends AnvilVenueFixture {
    static final String ALICE_WALLET = "0x00000000000000000000000000000000000a11ce";
    static final String BOB_WALLET = "0x0000000000000000000000000000000000000b0b";
    /** 1,234.56789 USDT in micro-USDT. */
    static final long ALICE_WITHDRAWS = 1_234_567_890L;
    /** 10 TSLAx in the engine's 8 decimals. */
    static final long BOB_WITHDRAWS = 1_000_000_000L;

    ChainClient admin;
    SettlementVault adminVault;

    @BeforeEach
    void secondOperator() throws Exception {
        admin = anvil.client(2);
        vault.grantOperator(admin.address());
        tsla.grantRole(XStockToken.PAUSER_ROLE, admin.address());
        adminVault = SettlementVault.at(admin, vault.address());
    }

    @AfterEach
    void closeSecondOperator() {
        if (admin != null) {
            admin.close();
        }
    }

    @Test
    void aWithdrawalIsPaidToTheWhitelistedAddressByTheNextBatch() throws Exception {
        SettlementComponent settlement = SettlementComponent.from(config(anvil.rpcUrl()));
        Venue venue = await(Venue.start(config(anvil.rpcUrl()), List.of(settlement)));
        try {
            fundAccounts(venue);
            trade(venue, 0);
            adminVault.setWithdrawalAddress(ALICE, ALICE_WALLET);
            assertEquals(BigInteger.ZERO, usdt.balanceOf(ALICE_WALLET));
            long availableBefore = available(venue, ALICE, USDT);

            CommandResult withdrawn = submit(venue, new Command.Withdraw(ALICE, USDT, ALICE_WITHDRAWS));
            assertAccepted(withdrawn);
            assertEquals(availableBefore - ALICE_WITHDRAWS, available(venue, ALICE, USDT), "debited at once");

            awaitTrue("the withdrawal's batch confirmed",
                () -> settlement.verticle().confirmedThrough() >= withdrawn.sequence());
            assertEquals(BigInteger.valueOf(ALICE_WITHDRAWS), usdt.balanceOf(ALICE_WALLET),
                "paid exactly, to the address");
            List<WithdrawalEvent> events = vault.withdrawals(BigInteger.ZERO, operator.blockNumber());
            assertEquals(1, events.size());
            WithdrawalEvent paid = events.getFirst();
            assertTrue(paid.paid());
            assertEquals(ALICE, paid.accountId());
            assertEquals(USDT, paid.assetId());
            assertEquals(BigInteger.valueOf(ALICE_WITHDRAWS), paid.amount());
            assertEquals(ALICE_WALLET, paid.to().toLowerCase(Locale.ROOT));
            assertBalancesEqual(venue, settlement.config());
        } finally {
            await(venue.stop());
        }
        batchStatuses().forEach(status -> assertEquals("CONFIRMED", status));
    }

    @Test
    void aPayoutTheTokenRefusesIsCreditedBackOnceAndNotAgainAfterARestart() throws Exception {
        // The accounts exist before the deposit watcher first looks (it credits the fixture's deposits itself).
        Map<String, String> plain = environment(anvil.rpcUrl(), 1);
        plain.put("XEX_SETTLEMENT_ENABLED", "false");
        Venue accounts = await(Venue.start(ConfigSource.load(null, plain), List.of()));
        try {
            submit(accounts, new Command.CreateAccount(ALICE, 10, 20, StpMode.NONE));
            submit(accounts, new Command.CreateAccount(BOB, 10, 20, StpMode.NONE));
        } finally {
            await(accounts.stop());
        }

        SettlementComponent first = SettlementComponent.from(watching());
        Venue venue = await(Venue.start(watching(), List.of(first)));
        try {
            awaitTrue("both deposits credited by the watcher",
                () -> first.depositWatcher().deposits(Status.CREDITED) == 2);
            trade(venue, 0);
            adminVault.setWithdrawalAddress(BOB, BOB_WALLET);
            XStockToken.at(admin, tsla.address()).pause();
            long availableBefore = available(venue, BOB, TSLA);

            CommandResult withdrawn = submit(venue, new Command.Withdraw(BOB, TSLA, BOB_WITHDRAWS));
            assertAccepted(withdrawn);
            assertEquals(availableBefore - BOB_WITHDRAWS, available(venue, BOB, TSLA), "debited at once");

            awaitTrue("the withdrawal's batch confirmed",
                () -> first.verticle().confirmedThrough() >= withdrawn.sequence());
            List<WithdrawalEvent> events = vault.withdrawals(BigInteger.ZERO, operator.blockNumber());
            assertEquals(1, events.size());
            WithdrawalEvent failed = events.getFirst();
            assertFalse(failed.paid(), "the paused token refused the payout");
            assertEquals(BOB, failed.accountId());
            assertEquals(tslaOnChain(BOB_WITHDRAWS), failed.amount());
            assertEquals(BigInteger.ZERO, tsla.balanceOf(BOB_WALLET), "nothing paid");

            awaitTrue("the failed withdrawal credited back",
                () -> first.depositWatcher().deposits(Status.CREDITED) == 3);
            assertEquals(availableBefore, available(venue, BOB, TSLA), "as before the withdrawal");
            assertBalancesEqual(venue, first.config());

            anvil.mine();
            anvil.mine();
            long head = operator.blockNumber().longValueExact();
            awaitTrue("later scans done", () -> first.depositWatcher().cursorBlock() >= head);
            assertEquals(availableBefore, available(venue, BOB, TSLA), "credited back once");
            assertEquals(3, first.depositWatcher().deposits(Status.CREDITED));
            assertBalancesEqual(venue, first.config());
        } finally {
            await(venue.stop());
        }

        SettlementComponent second = SettlementComponent.from(watching());
        Venue again = await(Venue.start(watching(), List.of(second)));
        try {
            anvil.mine();
            long head = operator.blockNumber().longValueExact();
            awaitTrue("a scan over the re-scan window done", () -> second.depositWatcher().cursorBlock() >= head);
            assertEquals(3, second.depositWatcher().deposits(Status.CREDITED));
            assertEquals(0, second.depositWatcher().deposits(Status.PENDING));
            assertBalancesEqual(again, second.config());
        } finally {
            await(again.stop());
        }
        assertEquals(List.of("CREDITED", "CREDITED", "CREDITED"),
            strings("SELECT status FROM credited_deposits ORDER BY block, log_index"));
    }

    @Test
    void theGateAnswersWithTheVaultsAddressAndRefusesWithoutOne() throws Exception {
        Map<String, String> off = environment(anvil.rpcUrl(), 1);
        off.put("XEX_SETTLEMENT_ENABLED", "false");
        assertSame(WithdrawalGate.NO_SETTLEMENT,
            SettlementComponent.from(ConfigSource.load(null, off)).withdrawalGate());

        SettlementComponent settlement = SettlementComponent.from(config(anvil.rpcUrl()));
        WithdrawalGate gate = settlement.withdrawalGate();
        assertEquals(new Decision.Refused(WithdrawalGate.Reason.UNAVAILABLE, "settlement is not running"),
            await(gate.check(ALICE, USDT)), "before the venue starts");
        Venue venue = await(Venue.start(config(anvil.rpcUrl()), List.of(settlement)));
        try {
            assertRefused(WithdrawalGate.Reason.NO_ADDRESS, await(gate.check(ALICE, USDT)));
            adminVault.setWithdrawalAddress(ALICE, ALICE_WALLET);
            assertEquals(new Decision.Allowed(ALICE_WALLET), await(gate.check(ALICE, USDT)), "an unset answer is not cached");
            assertEquals(new Decision.Allowed(ALICE_WALLET), await(gate.check(ALICE, USDT)));
            assertRefused(WithdrawalGate.Reason.NO_ADDRESS, await(gate.check(BOB, USDT)));
            assertRefused(WithdrawalGate.Reason.NO_ADDRESS, await(gate.check(1L << 32, USDT)));
        } finally {
            await(venue.stop());
        }
        assertRefused(WithdrawalGate.Reason.UNAVAILABLE, await(gate.check(BOB, USDT)));

        String unreachable = "http://127.0.0.1:" + Anvil.freePort();
        SettlementComponent away = SettlementComponent.from(config(unreachable));
        Venue cut = await(Venue.start(config(unreachable), List.of(away)));
        try {
            assertEquals(new Decision.Refused(WithdrawalGate.Reason.UNAVAILABLE,
                "the settlement chain cannot be read, try again"), await(away.withdrawalGate().check(ALICE, USDT)));
        } finally {
            await(cut.stop());
        }
    }

    /** The fixture's venue with the deposit watcher on. */
    private ConfigSource watching() {
        Map<String, String> env = environment(anvil.rpcUrl(), 1);
        env.put("XEX_SETTLEMENT_DEPOSITS_ENABLED", "true");
        return ConfigSource.load(null, env);
    }

    private static long available(Venue venue, long account, int asset) throws Exception {
        return await(venue.runtime().proxy().query(e -> e.available(account, asset))).value();
    }

    private static void assertAccepted(CommandResult result) {
        for (EngineEvent event : result.events()) {
            assertFalse(event instanceof EngineEvent.Rejected, result.toString());
        }
    }

    private static void assertRefused(WithdrawalGate.Reason reason, Decision decision) {
        assertTrue(decision instanceof Decision.Refused refused && refused.reason() == reason, decision.toString());
    }
}
