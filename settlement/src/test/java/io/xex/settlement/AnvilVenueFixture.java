package io.xex.settlement;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Row;
import io.xex.matching.Command;
import io.xex.matching.Side;
import io.xex.matching.StpMode;
import io.xex.matching.TimeInForce;
import io.xex.runtime.Venue;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.db.Database;
import io.xex.runtime.db.DbConfig;
import io.xex.runtime.engine.CommandResult;
import io.xex.settlement.chain.Anvil;
import io.xex.settlement.chain.ChainClient;
import io.xex.settlement.chain.Deployment;
import io.xex.settlement.chain.SettlementVault;
import io.xex.settlement.chain.TestUsdt;
import io.xex.settlement.chain.XStockToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A whole venue settling to a real anvil chain, for the settlement ITs: the contracts deployed, Alice's USDT and
 * Bob's TSLAx deposited to the vault (and credited to the engine by {@link #fundAccounts}), trades, and the checks
 * that every vault balance equals the engine's.
 */
abstract class AnvilVenueFixture {
    static final int USDT = 0;
    static final int TSLA = 1;
    static final int TSLAX = 0;
    static final long FEE_ACCOUNT = 0;
    static final long ALICE = 1;
    static final long BOB = 2;
    static final List<Long> ACCOUNTS = List.of(FEE_ACCOUNT, ALICE, BOB);
    /** 100,000 USDT in micro-USDT, the same on chain. */
    static final long ALICE_USDT = 100_000_000_000L;
    /** 100 TSLAx in the engine's 8 decimals. */
    static final long BOB_TSLA = 10_000_000_000L;

    @TempDir
    Path dir;

    Anvil anvil;
    ChainClient operator;
    ChainClient wallet;
    TestUsdt usdt;
    XStockToken tsla;
    SettlementVault vault;

    @BeforeEach
    void deployContracts() throws Exception {
        anvil = startAnvil();
        operator = anvil.client(0);
        wallet = anvil.client(1);
        Deployment deployment = Deployment.deploy(operator, 3_600);
        usdt = deployment.usdt();
        tsla = deployment.tsla();
        vault = deployment.vault();
        deployment.fund(wallet, BigInteger.valueOf(ALICE_USDT), tslaOnChain(BOB_TSLA));
        SettlementVault.at(wallet, vault.address()).deposit(ALICE, USDT, BigInteger.valueOf(ALICE_USDT));
        SettlementVault.at(wallet, vault.address()).deposit(BOB, TSLA, tslaOnChain(BOB_TSLA));
    }

    /** The chain of the test: a fresh anvil on a free loopback port. */
    Anvil startAnvil() throws IOException {
        return Anvil.start();
    }

    @AfterEach
    void stopChain() {
        Deployment.closeAll(wallet, operator, anvil);
    }

    ConfigSource config(String rpcUrl) {
        return config(rpcUrl, 1);
    }

    ConfigSource config(String rpcUrl, int confirmations) {
        return ConfigSource.load(null, environment(rpcUrl, confirmations));
    }

    /** The venue's settings as {@code XEX_*} environment variables (a child venue gets them so; a test may change some). */
    Map<String, String> environment(String rpcUrl, int confirmations) {
        Map<String, String> env = new HashMap<>();
        env.put("XEX_DB_EMBEDDED_DIR", dir.resolve("pg").toString());
        env.put("XEX_OPS_PORT", "0");
        env.put("XEX_INSTRUMENTS", "TSLAx");
        env.put("XEX_SETTLEMENT_ENABLED", "true");
        env.put("XEX_SETTLEMENT_LOCALCHAIN", "false");
        // The accounts are funded by hand (a first venue may not reach the chain); DepositWatcherIT watches.
        env.put("XEX_SETTLEMENT_DEPOSITS_ENABLED", "false");
        env.put("XEX_SETTLEMENT_BATCHMS", "100");
        env.put("XEX_SETTLEMENT_CONFIRMATIONS", Integer.toString(confirmations));
        env.put("XEX_SETTLEMENT_POLLMS", "20");
        env.put("XEX_SETTLEMENT_RETRYMS", "100");
        env.put("XEX_SETTLEMENT_CHAIN_ID", Long.toString(Anvil.CHAIN_ID));
        env.put("XEX_SETTLEMENT_CHAIN_RPCURL", rpcUrl);
        env.put("XEX_SETTLEMENT_CHAIN_OPERATORKEY", Anvil.DEV_KEYS.getFirst());
        env.put("XEX_SETTLEMENT_CHAIN_VAULT", vault.address());
        env.put("XEX_SETTLEMENT_ASSET_USDT_TOKEN", usdt.address());
        env.put("XEX_SETTLEMENT_ASSET_TSLAX_TOKEN", tsla.address());
        return env;
    }

    /** Credits the engine with what was deposited to the vault by hand (the deposit watcher is off here). */
    static void fundAccounts(Venue venue) throws Exception {
        submit(venue, new Command.CreateAccount(ALICE, 10, 20, StpMode.NONE));
        submit(venue, new Command.CreateAccount(BOB, 10, 20, StpMode.NONE));
        submit(venue, new Command.Deposit(ALICE, USDT, ALICE_USDT));
        submit(venue, new Command.Deposit(BOB, TSLA, BOB_TSLA));
    }

    /** Bob sells and Alice buys a few times around 420 USDT, leaving one order resting; the last sequence. */
    static long trade(Venue venue, int round) throws Exception {
        List<CommandResult> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long price = 42_000 + 10 * i + round;
            results.add(submit(venue, Command.PlaceOrder.limit(BOB, 1, TSLAX, Side.SELL, TimeInForce.GTC, price, 1_500)));
            results.add(submit(venue, Command.PlaceOrder.limit(ALICE, 1, TSLAX, Side.BUY, TimeInForce.GTC, price, 1_000 + 7 * i)));
        }
        return results.getLast().sequence();
    }

    void assertBalancesEqual(Venue venue, SettlementConfig config) throws Exception {
        ChainUnits units = new ChainUnits(config.assets());
        for (long account : ACCOUNTS) {
            for (int asset : List.of(USDT, TSLA)) {
                long engine = await(venue.runtime().proxy().query(e -> e.available(account, asset) + e.locked(account, asset)))
                    .value();
                assertEquals(engine, units.toEngine(asset, vault.balanceOf(account, asset)),
                    "account " + account + " asset " + asset);
            }
        }
    }

    List<String> batchStatuses() throws Exception {
        return strings("SELECT status FROM settlement_batches ORDER BY batch_id");
    }

    /** The first column of {@code sql}'s rows, read from the venue's database while no venue runs. */
    List<String> strings(String sql) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Database database = await(Database.start(vertx, DbConfig.from(config(anvil.rpcUrl()))));
            try {
                List<String> values = new ArrayList<>();
                for (Row row : await(database.pool().query(sql).execute())) {
                    values.add(row.getString(0));
                }
                return values;
            } finally {
                await(database.close());
            }
        } finally {
            await(vertx.close());
        }
    }

    static BigInteger tslaOnChain(long engineUnits) {
        return BigInteger.valueOf(engineUnits).multiply(BigInteger.TEN.pow(10));
    }

    static CommandResult submit(Venue venue, Command command) throws Exception {
        return await(venue.runtime().proxy().submit(command));
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within 60 s: " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        }
    }
}
