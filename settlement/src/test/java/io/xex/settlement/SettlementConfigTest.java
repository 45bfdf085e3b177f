package io.xex.settlement;

import io.xex.runtime.config.ConfigException;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.config.InstrumentCatalog;
import io.xex.settlement.SettlementConfig.ChainAsset;
import io.xex.settlement.chain.SettlementVault.AssetKind;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code settlement.*} read into one configuration per chain: the single chain of {@code settlement.chain.*} as
 * before, and named chains each holding its assets, with every configuration that cannot settle refused up front.
 * Engine assets: USDT 0, TSLAx 1 (quoted in USDT), USDC 2, NVDAx 3 (quoted in USDC).
 */
class SettlementConfigTest {
    private static final String KEY = "0x" + "11".repeat(32);
    private static final String VAULT_A = "0x" + "a1".repeat(20);
    private static final String VAULT_B = "0x" + "b1".repeat(20);

    @Test
    void withoutChainsOneChainHoldsEveryAssetAsBefore() {
        Map<String, String> env = base();
        env.put("XEX_SETTLEMENT_CHAIN_ID", "31337");
        env.put("XEX_SETTLEMENT_CHAIN_RPCURL", "http://127.0.0.1:8545");
        env.put("XEX_SETTLEMENT_CHAIN_OPERATORKEY", KEY);
        env.put("XEX_SETTLEMENT_CHAIN_VAULT", VAULT_A);
        List<SettlementConfig> chains = chains(env);

        assertEquals(1, chains.size());
        SettlementConfig chain = chains.getFirst();
        assertEquals(chain, from(env), "from is the only chain");
        assertEquals(31337, chain.chainId());
        assertEquals("http://127.0.0.1:8545", chain.rpcUrl());
        assertEquals(VAULT_A, chain.vault());
        assertEquals(List.of(
            new ChainAsset(0, "USDT", AssetKind.ERC20, token(0), 6, 6),
            new ChainAsset(1, "TSLAx", AssetKind.SHARES, token(1), 18, 8),
            new ChainAsset(2, "USDC", AssetKind.ERC20, token(2), 6, 6),
            new ChainAsset(3, "NVDAx", AssetKind.SHARES, token(3), 18, 8)), chain.assets());
    }

    @Test
    void namedChainsEachHoldTheirAssetsUnderTheEnginesIds() {
        List<SettlementConfig> chains = chains(twoChains());

        assertEquals(2, chains.size());
        SettlementConfig a = chains.get(0);
        SettlementConfig b = chains.get(1);
        assertEquals(List.of(31337L, "http://127.0.0.1:1001", VAULT_A, List.of(0, 1)),
            List.of(a.chainId(), a.rpcUrl(), a.vault(), a.assets().stream().map(ChainAsset::assetId).toList()));
        assertEquals(List.of(31338L, "http://127.0.0.1:1002", VAULT_B, List.of(2, 3)),
            List.of(b.chainId(), b.rpcUrl(), b.vault(), b.assets().stream().map(ChainAsset::assetId).toList()));
        assertEquals(new ChainAsset(3, "NVDAx", AssetKind.SHARES, token(3), 18, 8), b.assets().get(1));
        assertEquals(List.of(100L, 2, 20L, 4), List.of(b.batchMs(), b.confirmations(), b.pollMs(), b.maxInFlight()),
            "shared settings apply to every chain");

        ChainUnits units = new ChainUnits(b.assets());
        assertEquals(BigInteger.TEN.pow(10), units.toChain(3, 1), "units by the engine's asset id, not by position");
        assertEquals(7, units.toEngine(2, BigInteger.valueOf(7)));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> units.toChain(0, 1));
        assertEquals("no asset 0 on this chain", missing.getMessage());
    }

    @Test
    void anInstrumentWhoseBaseAndQuoteAreOnTwoChainsIsRefused() {
        Map<String, String> env = twoChains();
        env.put("XEX_SETTLEMENT_ASSET_NVDAX_CHAIN", "a");
        ConfigException refused = assertThrows(ConfigException.class, () -> chains(env));
        assertEquals("instrument NVDAx/USDC cannot settle: its base NVDAx is on chain a and its quote USDC on chain b"
            + " (settlement.asset.<SYMBOL>.chain): a trade moves both in one batch, so both must be on one chain",
            refused.getMessage());
    }

    @Test
    void anAssetWithoutAChainIsRefused() {
        Map<String, String> env = twoChains();
        env.remove("XEX_SETTLEMENT_ASSET_USDC_CHAIN");
        ConfigException refused = assertThrows(ConfigException.class, () -> chains(env));
        assertEquals("settlement.asset.USDC.chain must be set: settlement.chains names several chains (a,b) and each"
            + " asset settles on one of them (XEX_SETTLEMENT_ASSET_USDC_CHAIN)", refused.getMessage());

        env.put("XEX_SETTLEMENT_ASSET_USDC_CHAIN", "c");
        assertTrue(assertThrows(ConfigException.class, () -> chains(env)).getMessage()
            .contains("one of settlement.chains (a,b)"), "a chain not named");
    }

    @Test
    void twoChainsWithOneIdAreRefused() {
        Map<String, String> env = twoChains();
        env.put("XEX_SETTLEMENT_CHAIN_B_ID", "31337");
        ConfigException refused = assertThrows(ConfigException.class, () -> chains(env));
        assertEquals("settlement.chain.b.id = 31337 is the id of another chain of settlement.chains: each chain settles"
            + " once", refused.getMessage());
    }

    @Test
    void namedChainsAreRefusedWithTheLocalChainAndWithTheSingleChainsLocation() {
        Map<String, String> local = twoChains();
        local.put("XEX_SETTLEMENT_LOCALCHAIN", "true");
        assertTrue(assertThrows(ConfigException.class, () -> chains(local)).getMessage()
            .contains("but settlement.localChain is true"));

        Map<String, String> both = twoChains();
        both.put("XEX_SETTLEMENT_CHAIN_VAULT", VAULT_A);
        assertTrue(assertThrows(ConfigException.class, () -> chains(both)).getMessage()
            .startsWith("settlement.chain.vault is set"));

        Map<String, String> single = base();
        single.put("XEX_SETTLEMENT_CHAIN_RPCURL", "http://127.0.0.1:8545");
        single.put("XEX_SETTLEMENT_CHAIN_OPERATORKEY", KEY);
        single.put("XEX_SETTLEMENT_CHAIN_VAULT", VAULT_A);
        single.put("XEX_SETTLEMENT_ASSET_USDT_CHAIN", "a");
        assertTrue(assertThrows(ConfigException.class, () -> chains(single)).getMessage()
            .contains("but settlement.chains is not"), "an asset's chain without named chains");
    }

    /** TSLAx quoted in USDT and NVDAx in USDC, every token set; no chain yet. */
    private static Map<String, String> base() {
        Map<String, String> env = new HashMap<>();
        env.put("XEX_INSTRUMENTS", "TSLAx,NVDAx");
        env.put("XEX_INSTRUMENT_NVDAX_QUOTE", "USDC");
        env.put("XEX_ASSET_USDC_DECIMALS", "6");
        env.put("XEX_SETTLEMENT_ENABLED", "true");
        env.put("XEX_SETTLEMENT_LOCALCHAIN", "false");
        env.put("XEX_SETTLEMENT_BATCHMS", "100");
        env.put("XEX_SETTLEMENT_CONFIRMATIONS", "2");
        env.put("XEX_SETTLEMENT_POLLMS", "20");
        env.put("XEX_SETTLEMENT_MAXINFLIGHT", "4");
        env.put("XEX_SETTLEMENT_ASSET_USDC_DECIMALS", "6");
        List<String> symbols = List.of("USDT", "TSLAX", "USDC", "NVDAX");
        for (int i = 0; i < symbols.size(); i++) {
            env.put("XEX_SETTLEMENT_ASSET_" + symbols.get(i) + "_TOKEN", token(i));
        }
        return env;
    }

    /** Chain a (31337) with USDT and TSLAx, chain b (31338) with USDC and NVDAx. */
    private static Map<String, String> twoChains() {
        Map<String, String> env = base();
        env.put("XEX_SETTLEMENT_CHAINS", "a, b");
        env.put("XEX_SETTLEMENT_CHAIN_A_ID", "31337");
        env.put("XEX_SETTLEMENT_CHAIN_A_RPCURL", "http://127.0.0.1:1001");
        env.put("XEX_SETTLEMENT_CHAIN_A_OPERATORKEY", KEY);
        env.put("XEX_SETTLEMENT_CHAIN_A_VAULT", VAULT_A);
        env.put("XEX_SETTLEMENT_CHAIN_B_ID", "31338");
        env.put("XEX_SETTLEMENT_CHAIN_B_RPCURL", "http://127.0.0.1:1002");
        env.put("XEX_SETTLEMENT_CHAIN_B_OPERATORKEY", KEY);
        env.put("XEX_SETTLEMENT_CHAIN_B_VAULT", VAULT_B);
        env.put("XEX_SETTLEMENT_ASSET_USDT_CHAIN", "a");
        env.put("XEX_SETTLEMENT_ASSET_TSLAX_CHAIN", "a");
        env.put("XEX_SETTLEMENT_ASSET_USDC_CHAIN", "b");
        env.put("XEX_SETTLEMENT_ASSET_NVDAX_CHAIN", "b");
        return env;
    }

    private static String token(int asset) {
        return "0x" + String.format("%040x", 0xabc0 + asset);
    }

    private static List<SettlementConfig> chains(Map<String, String> env) {
        ConfigSource config = ConfigSource.load(null, env);
        return SettlementConfig.chains(config, InstrumentCatalog.from(config).engine());
    }

    private static SettlementConfig from(Map<String, String> env) {
        ConfigSource config = ConfigSource.load(null, env);
        return SettlementConfig.from(config, InstrumentCatalog.from(config).engine());
    }
}
