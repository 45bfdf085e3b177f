package io.xex.settlement;

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
import io.xex.runtime.wallet.WithdrawalGate;
import io.xex.runtime.wallet.WithdrawalGate.Decision;
import io.xex.settlement.chain.Anvil;
import io.xex.settlement.chain.ChainClient;
import io.xex.settlement.chain.Deployment;
import io.xex.settlement.chain.SettlementVault;
import io.xex.settlement.chain.SettlementVault.AssetKind;
import io.xex.settlement.chain.VenueContracts;
import io.xex.settlement.chain.VenueContracts.Token;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.xex.settlement.AnvilVenueFixture.await;
import static io.xex.settlement.AnvilVenueFixture.awaitTrue;
import static io.xex.settlement.AnvilVenueFixture.submit;
import static io.xex.settlement.AnvilVenueFixture.tslaOnChain;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One venue settling to two real anvil chains: chain A (31337) holds USDT and TSLAx, chain B (31338) USDC and NVDAx,
 * each vault registering only its assets under the engine's ids. Trades on both instruments are settled each on its
 * own chain, by its own verticle, with its own batch ids; every vault balance ends equal to the engine's, and a
 * withdrawal is checked against the vault of the asset's chain.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class MultiChainIT {
    static final int USDT = 0;
    static final int TSLA = 1;
    static final int USDC = 2;
    static final int NVDA = 3;
    static final int TSLAX = 0;
    static final int NVDAX = 1;
    static final long CHAIN_B = 31_338;
    static final long FEE_ACCOUNT = 0;
    static final long ALICE = 1;
    static final long BOB = 2;
    static final List<Long> ACCOUNTS = List.of(FEE_ACCOUNT, ALICE, BOB);
    /** 100,000 USDT or USDC in micro-units, the same on chain. */
    static final long ALICE_CASH = 100_000_000_000L;
    /** 100 shares in the engine's 8 decimals. */
    static final long BOB_SHARES = 10_000_000_000L;
    static final String ALICE_WALLET = "0x00000000000000000000000000000000000a11ce";

    @TempDir
    Path dir;

    Anvil anvilA;
    Anvil anvilB;
    ChainClient operatorA;
    ChainClient operatorB;
    ChainClient walletA;
    ChainClient walletB;
    VenueContracts chainA;
    VenueContracts chainB;

    @BeforeEach
    void deployContracts() throws Exception {
        anvilA = Anvil.start();
        anvilB = Anvil.start(Anvil.defaultBinary(), Anvil.freePort(), List.of("--chain-id", Long.toString(CHAIN_B)));
        operatorA = anvilA.client(0);
        operatorB = anvilB.client(0);
        walletA = anvilA.client(1);
        walletB = anvilB.client(1);
        assertEquals(CHAIN_B, operatorB.chainId());
        chainA = VenueContracts.deploy(operatorA, 3_600, List.of(Token.usdt(), Token.xStock("TSLAx", "Tesla xStock")),
            List.of(USDT, TSLA));
        chainB = VenueContracts.deploy(operatorB, 3_600, List.of(new Token("USDC", "USD Coin (test)", AssetKind.ERC20),
            Token.xStock("NVDAx", "NVIDIA xStock")), List.of(USDC, NVDA));
        deposit(chainA, walletA, ALICE, USDT, BigInteger.valueOf(ALICE_CASH));
        deposit(chainA, walletA, BOB, TSLA, tslaOnChain(BOB_SHARES));
        deposit(chainB, walletB, ALICE, USDC, BigInteger.valueOf(ALICE_CASH));
        deposit(chainB, walletB, BOB, NVDA, tslaOnChain(BOB_SHARES));
        chainB.vault().setWithdrawalAddress(ALICE, ALICE_WALLET);
    }

    @AfterEach
    void stopChains() {
        Deployment.closeAll(walletA, operatorA, anvilA, walletB, operatorB, anvilB);
    }

    @Test
    void eachChainSettlesItsOwnInstrumentsAndEveryVaultBalanceEqualsTheEngines() throws Exception {
        ConfigSource config = ConfigSource.load(null, environment());
        SettlementComponent settlement = SettlementComponent.from(config);
        assertEquals(List.of(Anvil.CHAIN_ID, CHAIN_B), settlement.configs().stream().map(SettlementConfig::chainId).toList());
        Venue venue = await(Venue.start(config, List.of(settlement)));
        try {
            fundAccounts(venue);
            SettlementVerticle a = settlement.verticle(Anvil.CHAIN_ID);
            SettlementVerticle b = settlement.verticle(CHAIN_B);
            assertEquals(a, settlement.verticle(), "the first chain's");

            long onlyA = trade(venue, TSLAX, 42_000, 0);
            awaitTrue("chain A's trades confirmed, chain B's cursor past them", () -> a.confirmedThrough() >= onlyA
                && b.confirmedThrough() >= onlyA);
            assertEquals(0, b.batches(BatchStatus.CONFIRMED), "nothing for chain B: only its cursor moved");
            assertEquals(0, chainB.vault().lastBatchId());

            trade(venue, NVDAX, 18_000, 0);
            long last = trade(venue, TSLAX, 42_000, 1);
            awaitTrue("every result confirmed on both chains", () -> a.confirmedThrough() >= last
                && b.confirmedThrough() >= last);

            assertBalancesEqual(venue, settlement.configs().get(0), chainA.vault(), List.of(USDT, TSLA));
            assertBalancesEqual(venue, settlement.configs().get(1), chainB.vault(), List.of(USDC, NVDA));
            long batchesA = a.batches(BatchStatus.CONFIRMED);
            long batchesB = b.batches(BatchStatus.CONFIRMED);
            assertTrue(batchesA >= 2 && batchesB >= 1, batchesA + " and " + batchesB + " batches");
            assertEquals(batchesA, chainA.vault().lastBatchId());
            assertEquals(batchesB, chainB.vault().lastBatchId());
            assertEquals(batchesA, chainA.vault().batchesSettled(BigInteger.ZERO, operatorA.blockNumber()).size(), "each once");
            assertEquals(batchesB, chainB.vault().batchesSettled(BigInteger.ZERO, operatorB.blockNumber()).size(), "each once");

            WithdrawalGate gate = settlement.withdrawalGate();
            assertEquals(new Decision.Allowed(ALICE_WALLET), await(gate.check(ALICE, USDC)), "chain B's vault has it");
            Decision onA = await(gate.check(ALICE, USDT));
            assertEquals(WithdrawalGate.Reason.NO_ADDRESS, assertInstanceOf(Decision.Refused.class, onA).reason(),
                "chain A's vault has none");
        } finally {
            await(venue.stop());
        }
        assertEquals(countBatches(Anvil.CHAIN_ID), Map.of("CONFIRMED", chainA.vault().lastBatchId()));
        assertEquals(countBatches(CHAIN_B), Map.of("CONFIRMED", chainB.vault().lastBatchId()));
    }

    /** Two chains named a and b; the accounts are credited by hand (the deposit watchers are off). */
    Map<String, String> environment() {
        Map<String, String> env = new HashMap<>();
        env.put("XEX_DB_EMBEDDED_DIR", dir.resolve("pg").toString());
        env.put("XEX_OPS_PORT", "0");
        env.put("XEX_INSTRUMENTS", "TSLAx,NVDAx");
        env.put("XEX_INSTRUMENT_NVDAX_QUOTE", "USDC");
        env.put("XEX_ASSET_USDC_DECIMALS", "6");
        env.put("XEX_SETTLEMENT_ENABLED", "true");
        env.put("XEX_SETTLEMENT_LOCALCHAIN", "false");
        env.put("XEX_SETTLEMENT_DEPOSITS_ENABLED", "false");
        env.put("XEX_SETTLEMENT_BATCHMS", "100");
        env.put("XEX_SETTLEMENT_CONFIRMATIONS", "1");
        env.put("XEX_SETTLEMENT_POLLMS", "20");
        env.put("XEX_SETTLEMENT_RETRYMS", "100");
        env.put("XEX_SETTLEMENT_CHAINS", "a,b");
        env.put("XEX_SETTLEMENT_CHAIN_A_ID", Long.toString(Anvil.CHAIN_ID));
        env.put("XEX_SETTLEMENT_CHAIN_A_RPCURL", anvilA.rpcUrl());
        env.put("XEX_SETTLEMENT_CHAIN_A_OPERATORKEY", Anvil.DEV_KEYS.getFirst());
        env.put("XEX_SETTLEMENT_CHAIN_A_VAULT", chainA.vault().address());
        env.put("XEX_SETTLEMENT_CHAIN_B_ID", Long.toString(CHAIN_B));
        env.put("XEX_SETTLEMENT_CHAIN_B_RPCURL", anvilB.rpcUrl());
        env.put("XEX_SETTLEMENT_CHAIN_B_OPERATORKEY", Anvil.DEV_KEYS.getFirst());
        env.put("XEX_SETTLEMENT_CHAIN_B_VAULT", chainB.vault().address());
        env.put("XEX_SETTLEMENT_ASSET_USDT_CHAIN", "a");
        env.put("XEX_SETTLEMENT_ASSET_TSLAX_CHAIN", "a");
        env.put("XEX_SETTLEMENT_ASSET_USDC_CHAIN", "b");
        env.put("XEX_SETTLEMENT_ASSET_NVDAX_CHAIN", "b");
        env.put("XEX_SETTLEMENT_ASSET_USDC_DECIMALS", "6");
        env.put("XEX_SETTLEMENT_ASSET_USDT_TOKEN", chainA.tokenAddresses().get(0));
        env.put("XEX_SETTLEMENT_ASSET_TSLAX_TOKEN", chainA.tokenAddresses().get(1));
        env.put("XEX_SETTLEMENT_ASSET_USDC_TOKEN", chainB.tokenAddresses().get(0));
        env.put("XEX_SETTLEMENT_ASSET_NVDAX_TOKEN", chainB.tokenAddresses().get(1));
        return env;
    }

    private static void deposit(VenueContracts chain, ChainClient wallet, long account, int asset, BigInteger amount)
        throws Exception {
        chain.fund(wallet, asset, amount);
        SettlementVault.at(wallet, chain.vault().address()).deposit(account, asset, amount);
    }

    /** Credits the engine with what was deposited to the vaults. */
    private static void fundAccounts(Venue venue) throws Exception {
        submit(venue, new Command.CreateAccount(ALICE, 10, 20, StpMode.NONE));
        submit(venue, new Command.CreateAccount(BOB, 10, 20, StpMode.NONE));
        submit(venue, new Command.Deposit(ALICE, USDT, ALICE_CASH));
        submit(venue, new Command.Deposit(BOB, TSLA, BOB_SHARES));
        submit(venue, new Command.Deposit(ALICE, USDC, ALICE_CASH));
        submit(venue, new Command.Deposit(BOB, NVDA, BOB_SHARES));
    }

    /** Bob sells and Alice buys {@code instrument} a few times around {@code priceTicks}; the last sequence. */
    private static long trade(Venue venue, int instrument, long priceTicks, int round) throws Exception {
        List<CommandResult> results = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            long price = priceTicks + 10 * i + round;
            results.add(submit(venue, Command.PlaceOrder.limit(BOB, 1, instrument, Side.SELL, TimeInForce.GTC, price, 1_500)));
            results.add(submit(venue, Command.PlaceOrder.limit(ALICE, 1, instrument, Side.BUY, TimeInForce.GTC, price,
                1_000 + 7 * i)));
        }
        return results.getLast().sequence();
    }

    private static void assertBalancesEqual(Venue venue, SettlementConfig chain, SettlementVault vault, List<Integer> assets)
        throws Exception {
        assertEquals(assets, chain.assets().stream().map(SettlementConfig.ChainAsset::assetId).toList());
        ChainUnits units = new ChainUnits(chain.assets());
        for (long account : ACCOUNTS) {
            for (int asset : assets) {
                long engine = await(venue.runtime().proxy().query(e -> e.available(account, asset) + e.locked(account, asset)))
                    .value();
                assertEquals(engine, units.toEngine(asset, vault.balanceOf(account, asset)),
                    "chain " + chain.chainId() + " account " + account + " asset " + asset);
            }
        }
    }

    /** Chain {@code chainId}'s batches by status, read from the venue's database while no venue runs. */
    private Map<String, Long> countBatches(long chainId) throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            Database database = await(Database.start(vertx, DbConfig.from(ConfigSource.load(null, environment()))));
            try {
                Map<String, Long> counts = new HashMap<>();
                for (Row row : await(database.pool().query("SELECT status, count(*) FROM settlement_batches WHERE"
                    + " chain_id = " + chainId + " GROUP BY status").execute())) {
                    counts.put(row.getString(0), row.getLong(1));
                }
                return counts;
            } finally {
                await(database.close());
            }
        } finally {
            await(vertx.close());
        }
    }
}
