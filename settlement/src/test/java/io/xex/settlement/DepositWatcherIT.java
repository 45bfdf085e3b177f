package io.xex.settlement;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Tuple;
import io.xex.matching.Command;
import io.xex.matching.StpMode;
import io.xex.runtime.Venue;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.db.Database;
import io.xex.runtime.db.DbConfig;
import io.xex.settlement.DepositStore.Status;
import io.xex.settlement.chain.Anvil;
import io.xex.settlement.chain.ChainClient;
import io.xex.settlement.chain.Deployment;
import io.xex.settlement.chain.SettlementVault;
import io.xex.settlement.chain.TestUsdt;
import io.xex.settlement.chain.XStockToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A whole venue watching a real anvil chain's vault for deposits: each is credited once it is
 * {@value #CONFIRMATIONS} blocks deep, exactly once across restarts, and a Deposit that became durable just before
 * a crash (its row still PENDING) is not credited a second time.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DepositWatcherIT {
    static final int CONFIRMATIONS = 3;
    static final int USDT = 0;
    static final int TSLA = 1;
    static final long ALICE = 1;
    /** 2,500 USDT in micro-USDT, the same on chain. */
    static final long ALICE_USDT = 2_500_000_000L;
    /** 3 TSLAx in the engine's 8 decimals. */
    static final long ALICE_TSLA = 300_000_000L;

    @TempDir
    Path dir;

    Anvil anvil;
    ChainClient operator;
    ChainClient wallet;
    TestUsdt usdt;
    XStockToken tsla;
    SettlementVault vault;
    SettlementVault walletVault;

    @BeforeEach
    void deployContracts() throws Exception {
        anvil = Anvil.start();
        operator = anvil.client(0);
        wallet = anvil.client(1);
        Deployment deployment = Deployment.deploy(operator, 3_600);
        usdt = deployment.usdt();
        tsla = deployment.tsla();
        vault = deployment.vault();
        deployment.fund(wallet, BigInteger.valueOf(10 * ALICE_USDT), tslaOnChain(10 * ALICE_TSLA));
        walletVault = SettlementVault.at(wallet, vault.address());
    }

    @AfterEach
    void stopChain() {
        Deployment.closeAll(wallet, operator, anvil);
    }

    @Test
    void eachDepositIsCreditedOnceWhenDeepEnoughAndNeverAgainAfterARestart() throws Exception {
        SettlementComponent first = SettlementComponent.from(config());
        Venue venue = await(Venue.start(config(), List.of(first)));
        try {
            await(venue.runtime().proxy().submit(new Command.CreateAccount(ALICE, 10, 20, StpMode.NONE)));
            walletVault.deposit(ALICE, USDT, BigInteger.valueOf(ALICE_USDT));
            walletVault.deposit(ALICE, TSLA, tslaOnChain(ALICE_TSLA));
            long tip = operator.blockNumber().longValueExact();
            awaitTrue("the deposits seen, not yet deep enough", () -> first.depositWatcher().cursorBlock() >= tip - CONFIRMATIONS + 1);
            assertEquals(0, balance(venue, USDT), "the last deposit is 1 block deep, the first 2: neither is credited");
            assertEquals(0, balance(venue, TSLA));

            anvil.mine();
            awaitTrue("the USDT deposit credited", () -> balanceUnchecked(venue, USDT) == ALICE_USDT);
            assertEquals(0, balance(venue, TSLA), "the xStock deposit is 2 blocks deep only");
            anvil.mine();
            awaitTrue("the xStock deposit credited", () -> balanceUnchecked(venue, TSLA) == ALICE_TSLA);
            for (int i = 0; i < CONFIRMATIONS; i++) {
                anvil.mine();
            }
            long deep = operator.blockNumber().longValueExact() - CONFIRMATIONS + 1;
            awaitTrue("the next scans done", () -> first.depositWatcher().cursorBlock() >= deep);
            assertEquals(ALICE_USDT, balance(venue, USDT), "once");
            assertEquals(ALICE_TSLA, balance(venue, TSLA), "once");
            assertEquals(2, first.depositWatcher().deposits(Status.CREDITED));
        } finally {
            await(venue.stop());
        }

        afterARestartAndARescan((again, watcher) -> {
            assertEquals(ALICE_USDT, balance(again, USDT), "not credited again on the re-scan");
            assertEquals(ALICE_TSLA, balance(again, TSLA), "not credited again on the re-scan");
            assertEquals(2, watcher.deposits(Status.CREDITED));
        });
        assertEquals(List.of("CREDITED", "CREDITED"), statuses());
    }

    /**
     * The crash window simulated: a run wrote the row PENDING, its Deposit became durable, and it died before marking
     * the row. The next run finds the Deposit among the recovered results and credits nothing more.
     */
    @Test
    void aDepositDurableBeforeACrashIsNotCreditedAgain() throws Exception {
        SettlementVault.DepositEvent log = SettlementVault.decodeDeposit(vault.logsOf(
            walletVault.deposit(ALICE, USDT, BigInteger.valueOf(ALICE_USDT)), SettlementVault.DEPOSIT_TOPIC).getFirst());
        long block = operator.blockNumber().longValueExact();
        for (int i = 0; i < CONFIRMATIONS; i++) {
            anvil.mine();
        }
        // A venue without settlement stands for the run that crashed: its Deposit made durable, and before it the
        // PENDING row naming the engine's sequence just before (written here afterwards, to the same effect).
        Map<String, String> off = environment();
        off.put("XEX_SETTLEMENT_ENABLED", "false");
        long afterSeq;
        Venue crashed = await(Venue.start(ConfigSource.load(null, off), List.of()));
        try {
            await(crashed.runtime().proxy().submit(new Command.CreateAccount(ALICE, 10, 20, StpMode.NONE)));
            afterSeq = await(crashed.runtime().proxy().status()).sequence();
            await(crashed.runtime().proxy().submit(new Command.Deposit(ALICE, USDT, ALICE_USDT)));
        } finally {
            await(crashed.stop());
        }
        Vertx vertx = Vertx.vertx();
        try {
            Database database = await(Database.start(vertx, DbConfig.from(config())));
            try {
                await(database.pool().preparedQuery("INSERT INTO credited_deposits (chain_id, tx_hash, log_index,"
                    + " account_id, asset, amount, block, seq, status, after_seq, reason)"
                    + " VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, 'PENDING', $8, NULL)")
                    .execute(Tuple.from(new Object[] {Anvil.CHAIN_ID, log.position().transactionHash(),
                        log.position().logIndex().intValueExact(), ALICE, USDT, ALICE_USDT, block, afterSeq})));
            } finally {
                await(database.close());
            }
        } finally {
            await(vertx.close());
        }

        SettlementComponent settlement = SettlementComponent.from(config());
        Venue venue = await(Venue.start(config(), List.of(settlement)));
        try {
            long deep = operator.blockNumber().longValueExact() - CONFIRMATIONS + 1;
            awaitTrue("a scan done", () -> settlement.depositWatcher().cursorBlock() >= deep);
            assertEquals(ALICE_USDT, balance(venue, USDT), "credited once");
            assertEquals(1, settlement.depositWatcher().deposits(Status.CREDITED));
            assertEquals(0, settlement.depositWatcher().deposits(Status.PENDING));
        } finally {
            await(venue.stop());
        }
        assertEquals(List.of("CREDITED"), statuses());
    }

    /**
     * A deposit to an account the engine does not know yet is held, not rejected (its funds are in the vault either
     * way), and credited once when the account is created, not again after a restart.
     */
    @Test
    void aDepositForAnAccountNotYetCreatedIsHeldAndCreditedOnceItExists() throws Exception {
        SettlementComponent first = SettlementComponent.from(config());
        Venue venue = await(Venue.start(config(), List.of(first)));
        try {
            walletVault.deposit(ALICE, USDT, BigInteger.valueOf(ALICE_USDT));
            for (int i = 0; i < CONFIRMATIONS; i++) {
                anvil.mine();
            }
            awaitTrue("the deposit held", () -> first.depositWatcher().deposits(Status.HELD) == 1);
            assertEquals(0, first.depositWatcher().deposits(Status.REJECTED));

            await(venue.runtime().proxy().submit(new Command.CreateAccount(ALICE, 10, 20, StpMode.NONE)));
            awaitTrue("the held deposit credited", () -> first.depositWatcher().deposits(Status.CREDITED) == 1);
            assertEquals(ALICE_USDT, balance(venue, USDT));
            assertEquals(0, first.depositWatcher().deposits(Status.HELD));
        } finally {
            await(venue.stop());
        }

        afterARestartAndARescan((again, watcher) -> assertEquals(ALICE_USDT, balance(again, USDT), "credited once"));
        assertEquals(List.of("CREDITED"), statuses());
    }

    /** A fresh watcher reads from settlement.deposits.startBlock: a deposit in an earlier block is not its business. */
    @Test
    void aFreshWatcherStartsAtTheConfiguredBlock() throws Exception {
        walletVault.deposit(ALICE, USDT, BigInteger.valueOf(ALICE_USDT));
        long start = operator.blockNumber().longValueExact() + 1;
        Map<String, String> env = environment();
        env.put("XEX_SETTLEMENT_DEPOSITS_STARTBLOCK", Long.toString(start));
        SettlementComponent settlement = SettlementComponent.from(ConfigSource.load(null, env));
        Venue venue = await(Venue.start(ConfigSource.load(null, env), List.of(settlement)));
        try {
            await(venue.runtime().proxy().submit(new Command.CreateAccount(ALICE, 10, 20, StpMode.NONE)));
            walletVault.deposit(ALICE, TSLA, tslaOnChain(ALICE_TSLA));
            for (int i = 0; i < CONFIRMATIONS; i++) {
                anvil.mine();
            }
            awaitTrue("the deposit after the start block credited", () -> balanceUnchecked(venue, TSLA) == ALICE_TSLA);
            assertEquals(0, balance(venue, USDT), "the deposit before the start block is not read");
        } finally {
            await(venue.stop());
        }
        assertEquals(List.of("CREDITED"), statuses());
    }

    /** What a test checks on a restarted venue once its watcher has scanned the re-scan window again. */
    private interface AfterRescan {
        void check(Venue venue, DepositWatcher watcher) throws Exception;
    }

    /** Starts the venue again, mines a block and waits for a scan over the re-scan window, then runs {@code check}. */
    private void afterARestartAndARescan(AfterRescan check) throws Exception {
        SettlementComponent settlement = SettlementComponent.from(config());
        Venue again = await(Venue.start(config(), List.of(settlement)));
        try {
            anvil.mine();
            long deep = operator.blockNumber().longValueExact() - CONFIRMATIONS + 1;
            awaitTrue("a scan over the re-scan window done", () -> settlement.depositWatcher().cursorBlock() >= deep);
            check.check(again, settlement.depositWatcher());
        } finally {
            await(again.stop());
        }
    }

    private ConfigSource config() {
        return ConfigSource.load(null, environment());
    }

    private Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("XEX_DB_EMBEDDED_DIR", dir.resolve("pg").toString());
        env.put("XEX_OPS_PORT", "0");
        env.put("XEX_INSTRUMENTS", "TSLAx");
        env.put("XEX_SETTLEMENT_ENABLED", "true");
        env.put("XEX_SETTLEMENT_LOCALCHAIN", "false");
        env.put("XEX_SETTLEMENT_BATCHMS", "100");
        env.put("XEX_SETTLEMENT_CONFIRMATIONS", Integer.toString(CONFIRMATIONS));
        env.put("XEX_SETTLEMENT_POLLMS", "20");
        env.put("XEX_SETTLEMENT_RETRYMS", "100");
        env.put("XEX_SETTLEMENT_CHAIN_ID", Long.toString(Anvil.CHAIN_ID));
        env.put("XEX_SETTLEMENT_CHAIN_RPCURL", anvil.rpcUrl());
        env.put("XEX_SETTLEMENT_CHAIN_OPERATORKEY", Anvil.DEV_KEYS.getFirst());
        env.put("XEX_SETTLEMENT_CHAIN_VAULT", vault.address());
        env.put("XEX_SETTLEMENT_ASSET_USDT_TOKEN", usdt.address());
        env.put("XEX_SETTLEMENT_ASSET_TSLAX_TOKEN", tsla.address());
        return env;
    }

    private static long balance(Venue venue, int asset) throws Exception {
        return await(venue.runtime().proxy().query(e -> e.available(ALICE, asset) + e.locked(ALICE, asset))).value();
    }

    private static long balanceUnchecked(Venue venue, int asset) {
        try {
            return balance(venue, asset);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> statuses() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Database database = await(Database.start(vertx, DbConfig.from(config())));
            try {
                return await(database.pool().query("SELECT status FROM credited_deposits ORDER BY block, log_index")
                    .execute()).stream().map(row -> row.getString(0)).toList();
            } finally {
                await(database.close());
            }
        } finally {
            await(vertx.close());
        }
    }

    private static BigInteger tslaOnChain(long engineUnits) {
        return BigInteger.valueOf(engineUnits).multiply(BigInteger.TEN.pow(10));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 60 s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
