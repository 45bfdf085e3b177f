package io.xex.settlement.chain;

import io.xex.settlement.chain.LegCodec.Leg;
import io.xex.settlement.chain.LegCodec.Withdrawal;
import io.xex.settlement.chain.SettlementVault.AssetKind;
import io.xex.settlement.chain.SettlementVault.BatchSettledEvent;
import io.xex.settlement.chain.SettlementVault.DepositEvent;
import io.xex.settlement.chain.SettlementVault.ForcedWithdrawalEvent;
import io.xex.settlement.chain.SettlementVault.WithdrawalEvent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The settlement vault on a real anvil chain: deposits, batches, withdrawals, forced withdrawals. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SettlementVaultIT {
    static final int USDT = 0;
    static final int TSLA = 1;
    static final long FORCED_WITHDRAWAL_DELAY = 3_600;
    static final long FEE_ACCOUNT = 0;
    static final long ALICE = 1;
    static final long BOB = 2;
    static final long CAROL = 7;
    static final List<Long> ACCOUNTS = List.of(FEE_ACCOUNT, ALICE, BOB, CAROL);
    static final List<Integer> ASSETS = List.of(USDT, TSLA);

    static Anvil anvil;
    /** Admin and operator of the vault, owner of the USDT, issuer and pauser of the xStock. */
    static ChainClient operator;
    /** A trader's wallet that deposits. */
    static ChainClient trader;
    /** Carol's whitelisted withdrawal address. */
    static ChainClient carolWallet;

    TestUsdt usdt;
    XStockToken tsla;
    SettlementVault vault;

    @BeforeAll
    static void startChain() throws Exception {
        anvil = Anvil.start();
        operator = anvil.client(0);
        trader = anvil.client(1);
        carolWallet = anvil.client(2);
    }

    @AfterAll
    static void stopChain() {
        Deployment.closeAll(operator, trader, carolWallet, anvil);
    }

    /** Fresh contracts for each test; the trader holds 1,000,000 USDT and 1,000 TSLAx and approved the vault. */
    @BeforeEach
    void deploy() throws Exception {
        Deployment deployment = Deployment.deploy(operator, FORCED_WITHDRAWAL_DELAY);
        usdt = deployment.usdt();
        tsla = deployment.tsla();
        vault = deployment.vault();
        tsla.grantRole(XStockToken.PAUSER_ROLE, operator.address());
        deployment.fund(trader, usdt(1_000_000), shares(1_000));
    }

    @Test
    void depositIsCreditedOnceAndItsEventDecodes() throws Exception {
        BigInteger from = operator.blockNumber();
        TransactionReceipt receipt = deposit(CAROL, USDT, usdt(1_500));
        deposit(ALICE, TSLA, shares(3));

        assertEquals(usdt(1_500), vault.balanceOf(CAROL, USDT));
        assertEquals(shares(3), vault.balanceOf(ALICE, TSLA));
        assertEquals(usdt(1_500), usdt.balanceOf(vault.address()));
        assertEquals(shares(3), tsla.sharesOf(vault.address()));
        assertEquals(usdt(1_000_000 - 1_500), usdt.balanceOf(trader.address()));

        List<DepositEvent> fromReceipt = vault.logsOf(receipt, SettlementVault.DEPOSIT_TOPIC).stream()
            .map(SettlementVault::decodeDeposit).toList();
        assertEquals(1, fromReceipt.size());
        DepositEvent deposit = fromReceipt.getFirst();
        assertEquals(List.of(CAROL, (long) USDT, usdt(1_500), trader.address()),
            List.of(deposit.accountId(), (long) deposit.assetId(), deposit.amount(), deposit.depositor()));
        assertEquals(receipt.getTransactionHash(), deposit.position().transactionHash());
        assertEquals(receipt.getBlockNumber(), deposit.position().blockNumber());

        List<DepositEvent> fromLogs = vault.deposits(from, operator.blockNumber());
        assertEquals(List.of(List.of(CAROL, USDT, usdt(1_500)), List.of(ALICE, TSLA, shares(3))),
            fromLogs.stream().map(e -> List.<Object>of(e.accountId(), e.assetId(), e.amount())).toList());
        assertEquals(deposit, fromLogs.getFirst());
    }

    @Test
    void depositsOfUnknownAssetsOrNothingAreRefused() throws Exception {
        assertReverts("UnknownAsset", () -> deposit(ALICE, 9, usdt(1)));
        assertReverts("ZeroAmount", () -> deposit(ALICE, USDT, BigInteger.ZERO));
        assertReverts("TokenTransferFailed", () -> deposit(ALICE, USDT, usdt(2_000_000)));
        assertEquals(BigInteger.ZERO, vault.balanceOf(ALICE, USDT));
    }

    @Test
    void aBatchMovesEveryBalanceAndCommitsToItsLegs() throws Exception {
        deposit(ALICE, USDT, usdt(10_000));
        deposit(BOB, TSLA, shares(10));
        // Alice buys 2 TSLAx from Bob for 800 USDT and pays a 1 USDT fee; Bob pays 0.5 USDT.
        List<Leg> legs = List.of(
            new Leg(ALICE, USDT, usdt(-801)), new Leg(BOB, USDT, usdt(800).subtract(halfUsdt())),
            new Leg(FEE_ACCOUNT, USDT, usdt(1).add(halfUsdt())),
            new Leg(ALICE, TSLA, shares(2)), new Leg(BOB, TSLA, shares(-2)));
        byte[] encoded = LegCodec.encodeLegs(legs);
        TransactionReceipt receipt = vault.settle(1, encoded, new byte[0]);

        assertBalances(Map.of(
            key(FEE_ACCOUNT, USDT), usdt(1).add(halfUsdt()),
            key(ALICE, USDT), usdt(10_000 - 801), key(ALICE, TSLA), shares(2),
            key(BOB, USDT), usdt(800).subtract(halfUsdt()), key(BOB, TSLA), shares(8)));

        List<BatchSettledEvent> settled = vault.logsOf(receipt, SettlementVault.BATCH_SETTLED_TOPIC).stream()
            .map(SettlementVault::decodeBatchSettled).toList();
        assertEquals(1, settled.size());
        BatchSettledEvent event = settled.getFirst();
        assertEquals(1, event.batchId());
        assertEquals(Numeric.toHexString(LegCodec.hash(encoded)), event.legsHash());
        assertEquals(Numeric.toHexString(LegCodec.hash(new byte[0])), event.withdrawalsHash());
        assertEquals(5, event.legCount());
        assertEquals(0, event.withdrawalCount());
        assertEquals(List.of(event), vault.batchesSettled(receipt.getBlockNumber(), receipt.getBlockNumber()));
        assertEquals(1, vault.lastBatchId());
        assertEquals(blockTime(receipt), vault.lastSettledAt());
        assertEquals(blockTime(receipt) + FORCED_WITHDRAWAL_DELAY, vault.forcedWithdrawalFrom());
    }

    @Test
    void aResentBatchReverts() throws Exception {
        deposit(ALICE, USDT, usdt(100));
        byte[] legs = LegCodec.encodeLegs(List.of(new Leg(ALICE, USDT, usdt(-10)), new Leg(BOB, USDT, usdt(10))));
        vault.settle(5, legs, new byte[0]);

        assertReverts("BatchIdNotIncreasing", () -> vault.settle(5, legs, new byte[0]));
        assertReverts("BatchIdNotIncreasing", () -> vault.settle(4, legs, new byte[0]));
        // The same, mined: sent with a gas limit of its own rather than after an estimate, as the settlement
        // verticle sends; the receipt says it failed and nothing moved.
        String hash = operator.send(vault.address(), SettlementVault.settleData(5, legs, new byte[0]), operator.pendingNonce(),
            BigInteger.valueOf(200_000));
        assertFalse(operator.waitForReceipt(hash, ChainClient.DEFAULT_RECEIPT_TIMEOUT).isStatusOK());
        assertEquals(usdt(90), vault.balanceOf(ALICE, USDT));
        assertEquals(usdt(10), vault.balanceOf(BOB, USDT));
        assertEquals(5, vault.lastBatchId());

        vault.settle(6, legs, new byte[0]);
        assertEquals(usdt(80), vault.balanceOf(ALICE, USDT));
    }

    @Test
    void legsOfEachAssetMustSumToZero() throws Exception {
        deposit(ALICE, USDT, usdt(100));
        deposit(BOB, TSLA, shares(1));
        assertReverts("NotZeroSum", () -> vault.settle(1, LegCodec.encodeLegs(List.of(
            new Leg(ALICE, USDT, usdt(-10)), new Leg(BOB, USDT, usdt(9)))), new byte[0]));
        // Zero over both assets, not per asset.
        assertReverts("NotZeroSum", () -> vault.settle(1, LegCodec.encodeLegs(List.of(
            new Leg(ALICE, USDT, BigInteger.valueOf(-5)), new Leg(BOB, TSLA, BigInteger.valueOf(5)))), new byte[0]));
        assertReverts("NotZeroSum", () -> vault.settle(1, LegCodec.encodeLegs(List.of(
            new Leg(ALICE, USDT, usdt(-10)), new Leg(BOB, USDT, usdt(10)), new Leg(BOB, TSLA, BigInteger.ONE.negate()))),
            new byte[0]));
        assertEquals(usdt(100), vault.balanceOf(ALICE, USDT));
        assertEquals(0, vault.lastBatchId());
    }

    @Test
    void malformedOrUncoveredBatchesRevert() throws Exception {
        deposit(ALICE, USDT, usdt(100));
        byte[] legs = LegCodec.encodeLegs(List.of(new Leg(ALICE, USDT, usdt(-10)), new Leg(BOB, USDT, usdt(10))));
        byte[] swapped = new byte[legs.length];
        System.arraycopy(legs, LegCodec.LEG_BYTES, swapped, 0, LegCodec.LEG_BYTES);
        System.arraycopy(legs, 0, swapped, LegCodec.LEG_BYTES, LegCodec.LEG_BYTES);
        byte[] twice = new byte[legs.length * 2];
        System.arraycopy(legs, 0, twice, 0, LegCodec.LEG_BYTES);
        System.arraycopy(legs, 0, twice, LegCodec.LEG_BYTES, LegCodec.LEG_BYTES);

        assertReverts("LegsNotSorted", () -> vault.settle(1, swapped, new byte[0]));
        assertReverts("LegsNotSorted", () -> vault.settle(1, Arrays.copyOf(twice, 2 * LegCodec.LEG_BYTES), new byte[0]));
        assertReverts("MalformedLegs", () -> vault.settle(1, Arrays.copyOf(legs, legs.length - 1), new byte[0]));
        assertReverts("MalformedWithdrawals", () -> vault.settle(1, legs, new byte[5]));
        assertReverts("UnknownAsset", () -> vault.settle(1, LegCodec.encodeLegs(List.of(
            new Leg(ALICE, 3, BigInteger.ONE.negate()), new Leg(BOB, 3, BigInteger.ONE))), new byte[0]));
        assertReverts("InsufficientBalance", () -> vault.settle(1, LegCodec.encodeLegs(List.of(
            new Leg(ALICE, USDT, usdt(-101)), new Leg(BOB, USDT, usdt(101)))), new byte[0]));
        assertReverts("Unauthorized", () -> SettlementVault.at(trader, vault.address()).settle(1, legs, new byte[0]));
        assertEquals(usdt(100), vault.balanceOf(ALICE, USDT));
    }

    @Test
    void anEmptyBatchOnlyMovesTheBatchId() throws Exception {
        vault.settle(3, new byte[0], new byte[0]);
        assertEquals(3, vault.lastBatchId());
    }

    @Test
    void withdrawalsArePaidToTheWhitelistedAddress() throws Exception {
        deposit(CAROL, USDT, usdt(1_000));
        deposit(CAROL, TSLA, shares(5));
        assertEquals(java.util.Optional.empty(), vault.withdrawalAddress(CAROL));
        assertReverts("NoWithdrawalAddress", () -> vault.settle(1, new byte[0],
            LegCodec.encodeWithdrawals(List.of(new Withdrawal(CAROL, USDT, usdt(300))))));
        vault.setWithdrawalAddress(CAROL, carolWallet.address());
        assertEquals(java.util.Optional.of(carolWallet.address()), vault.withdrawalAddress(CAROL));
        assertReverts("Unauthorized", () -> SettlementVault.at(trader, vault.address()).setWithdrawalAddress(CAROL,
            trader.address()));

        // Carol sold 1 TSLAx to Alice for 400 USDT in the same batch.
        byte[] legs = LegCodec.encodeLegs(List.of(new Leg(CAROL, USDT, usdt(400)), new Leg(ALICE, USDT, usdt(-400)),
            new Leg(CAROL, TSLA, shares(-1)), new Leg(ALICE, TSLA, shares(1))));
        deposit(ALICE, USDT, usdt(400));
        byte[] withdrawals = LegCodec.encodeWithdrawals(List.of(new Withdrawal(CAROL, USDT, usdt(1_300)),
            new Withdrawal(CAROL, TSLA, shares(4))));
        TransactionReceipt receipt = vault.settle(1, legs, withdrawals);

        assertEquals(usdt(1_300), usdt.balanceOf(carolWallet.address()));
        assertEquals(shares(4), tsla.sharesOf(carolWallet.address()));
        assertBalances(Map.of(key(CAROL, USDT), usdt(100), key(ALICE, TSLA), shares(1)));
        assertEquals(List.of(List.of(1L, CAROL, USDT, usdt(1_300), carolWallet.address(), true),
                List.of(1L, CAROL, TSLA, shares(4), carolWallet.address(), true)),
            vault.withdrawals(receipt.getBlockNumber(), receipt.getBlockNumber()).stream().map(SettlementVaultIT::fields).toList());
        BatchSettledEvent settled = SettlementVault.decodeBatchSettled(
            vault.logsOf(receipt, SettlementVault.BATCH_SETTLED_TOPIC).getFirst());
        assertEquals(Numeric.toHexString(LegCodec.hash(withdrawals)), settled.withdrawalsHash());
        assertEquals(2, settled.withdrawalCount());

        assertReverts("InsufficientBalance", () -> vault.settle(2, new byte[0],
            LegCodec.encodeWithdrawals(List.of(new Withdrawal(CAROL, USDT, usdt(101))))));
    }

    @Test
    void aWithdrawalTheTokenRefusesIsCreditedBackAndTheBatchSettles() throws Exception {
        deposit(CAROL, TSLA, shares(5));
        deposit(CAROL, USDT, usdt(50));
        vault.setWithdrawalAddress(CAROL, carolWallet.address());
        tsla.pause();
        TransactionReceipt receipt = vault.settle(1, new byte[0], LegCodec.encodeWithdrawals(List.of(
            new Withdrawal(CAROL, TSLA, shares(2)), new Withdrawal(CAROL, USDT, usdt(50)))));

        assertEquals(List.of(List.of(1L, CAROL, TSLA, shares(2), carolWallet.address(), false),
                List.of(1L, CAROL, USDT, usdt(50), carolWallet.address(), true)),
            vault.withdrawals(receipt.getBlockNumber(), receipt.getBlockNumber()).stream().map(SettlementVaultIT::fields).toList());
        assertEquals(shares(5), vault.balanceOf(CAROL, TSLA));
        assertEquals(BigInteger.ZERO, tsla.sharesOf(carolWallet.address()));
        assertEquals(usdt(50), usdt.balanceOf(carolWallet.address()));
        assertEquals(1, vault.lastBatchId());
    }

    @Test
    void forcedWithdrawalOnlyOnceSettlementHasStoppedForTheDelay() throws Exception {
        deposit(CAROL, USDT, usdt(700));
        deposit(CAROL, TSLA, shares(3));
        vault.setWithdrawalAddress(CAROL, carolWallet.address());
        SettlementVault asCarol = SettlementVault.at(carolWallet, vault.address());
        SettlementVault asTrader = SettlementVault.at(trader, vault.address());

        assertReverts("SettlementActive", () -> asCarol.forceWithdraw(CAROL, USDT));
        anvil.increaseTime(FORCED_WITHDRAWAL_DELAY - 60);
        anvil.mine();
        assertReverts("SettlementActive", () -> asCarol.forceWithdraw(CAROL, USDT));

        anvil.increaseTime(60);
        anvil.mine();
        assertReverts("NotWithdrawalAddress", () -> asTrader.forceWithdraw(CAROL, USDT));
        TransactionReceipt receipt = asCarol.forceWithdraw(CAROL, USDT);
        assertEquals(usdt(700), usdt.balanceOf(carolWallet.address()));
        assertEquals(BigInteger.ZERO, vault.balanceOf(CAROL, USDT));
        ForcedWithdrawalEvent event = SettlementVault.decodeForcedWithdrawal(
            vault.logsOf(receipt, SettlementVault.FORCED_WITHDRAWAL_TOPIC).getFirst());
        assertEquals(List.of(CAROL, USDT, usdt(700), carolWallet.address()),
            List.of(event.accountId(), event.assetId(), event.amount(), event.to()));
        assertEquals(List.of(event), vault.forcedWithdrawals(receipt.getBlockNumber(), receipt.getBlockNumber()));
        assertReverts("ZeroAmount", () -> asCarol.forceWithdraw(CAROL, USDT));

        // The operator settles again: the window closes.
        vault.settle(1, new byte[0], new byte[0]);
        assertReverts("SettlementActive", () -> asCarol.forceWithdraw(CAROL, TSLA));
        assertEquals(shares(3), vault.balanceOf(CAROL, TSLA));
    }

    @Test
    void assetsAreRegisteredOnceByAnOperator() throws Exception {
        assertReverts("AssetAlreadyRegistered", () -> vault.registerAsset(USDT, tsla.address(), AssetKind.ERC20));
        assertReverts("NotAContract", () -> vault.registerAsset(5, trader.address(), AssetKind.ERC20));
        assertReverts("Unauthorized", () -> SettlementVault.at(trader, vault.address()).registerAsset(5, usdt.address(),
            AssetKind.ERC20));
    }

    // ---- helpers

    interface ChainAction {
        Object run() throws ChainException;
    }

    static void assertReverts(String error, ChainAction action) {
        ContractRevertException e = assertThrows(ContractRevertException.class, action::run);
        assertEquals(error, e.errorName(), e.getMessage());
    }

    TransactionReceipt deposit(long account, int asset, BigInteger amount) throws ChainException {
        return SettlementVault.at(trader, vault.address()).deposit(account, asset, amount);
    }

    /** Every account's balance of every asset: those in {@code expected}, zero for the others. */
    void assertBalances(Map<List<Long>, BigInteger> expected) throws ChainException {
        Map<List<Long>, BigInteger> want = new LinkedHashMap<>();
        Map<List<Long>, BigInteger> got = new LinkedHashMap<>();
        for (long account : ACCOUNTS) {
            for (int asset : ASSETS) {
                List<Long> key = key(account, asset);
                want.put(key, expected.getOrDefault(key, BigInteger.ZERO));
                got.put(key, vault.balanceOf(account, asset));
            }
        }
        assertEquals(want, got);
        assertTrue(ACCOUNTS.stream().flatMap(a -> ASSETS.stream().map(s -> key(a, s))).toList().containsAll(expected.keySet()));
    }

    static List<Long> key(long account, int asset) {
        return List.of(account, (long) asset);
    }

    static List<Object> fields(WithdrawalEvent e) {
        return List.of(e.batchId(), e.accountId(), e.assetId(), e.amount(), e.to(), e.paid());
    }

    long blockTime(TransactionReceipt receipt) throws Exception {
        return operator.web3j().ethGetBlockByNumber(DefaultBlockParameter.valueOf(receipt.getBlockNumber()), false).send()
            .getBlock().getTimestamp().longValueExact();
    }

    static BigInteger usdt(long whole) {
        return BigInteger.valueOf(whole).multiply(BigInteger.TEN.pow(TestUsdt.DECIMALS));
    }

    static BigInteger halfUsdt() {
        return BigInteger.valueOf(500_000);
    }

    static BigInteger shares(long whole) {
        return BigInteger.valueOf(whole).multiply(XStockToken.ONE);
    }
}
