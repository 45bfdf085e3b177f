package io.xex.settlement;

import io.xex.matching.AssetSpec;
import io.xex.matching.EngineConfig;
import io.xex.matching.InstrumentSpec;
import io.xex.runtime.config.ConfigException;
import io.xex.runtime.config.ConfigSource;
import io.xex.settlement.chain.LegCodec;
import io.xex.settlement.chain.SettlementVault.AssetKind;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Settlement to one chain ({@code settlement.*}): when batches are cut, how deep a receipt must be, where the chain
 * and its vault are, and each engine asset's token on chain. Read and checked before anything starts.
 *
 * @param enabled       whether the venue settles at all; when false nothing else is read
 * @param localChain    whether the chain is the demo's own anvil ({@code settlement.localChain}); its location
 *                      ({@code rpcUrl}, {@code operatorKey}, {@code vault}, the assets' tokens) is then null until the
 *                      chain runs and {@link #onChain} fills it in
 * @param batchMs       a batch is cut this often (if anything is waiting)
 * @param batchTrades   or as soon as this many trades are waiting
 * @param confirmations a batch is confirmed when its receipt's block is this many blocks deep (1: mined)
 * @param pollMs        how often a submitted batch's receipt is looked for
 * @param retryMs       delay before trying again after a chain or database error
 * @param chainId       the chain's id, checked against the node's
 * @param rpcUrl        the node's JSON-RPC URL
 * @param operatorKey   the operator's private key (hex), never printed
 * @param vault         the {@code SettlementVault}'s address
 * @param assets        one per engine asset, in the engine's order (the vault's asset id is the engine's index)
 * @param maxInFlight   at most this many batches are SUBMITTED and not yet CONFIRMED at a time (1: one by one)
 */
public record SettlementConfig(boolean enabled, boolean localChain, long batchMs, int batchTrades, int confirmations, long pollMs,
                               long retryMs, long chainId, String rpcUrl, String operatorKey, String vault,
                               List<ChainAsset> assets, int maxInFlight) {
    public static final long DEFAULT_BATCH_MS = 1_000;
    public static final int DEFAULT_BATCH_TRADES = 1_000;
    public static final int DEFAULT_CONFIRMATIONS = 2;
    public static final int DEFAULT_MAX_IN_FLIGHT = 8;
    private static final String ADDRESS = "0x[0-9a-fA-F]{40}";
    private static final String PRIVATE_KEY = "(0x)?[0-9a-fA-F]{64}";

    /**
     * One engine asset on chain. Engine units × {@link #scale()} are the token's base units; for a
     * {@link AssetKind#SHARES} asset these are shares too while its multiplier is 1 (the only case settled yet).
     */
    public record ChainAsset(int assetId, String symbol, AssetKind kind, String token, int chainDecimals,
                             int engineDecimals) {
        public ChainAsset {
            if (assetId < 0 || assetId > LegCodec.MAX_ASSET_ID) {
                throw new ConfigException("asset " + symbol + ": id " + assetId + " does not fit the vault's uint16");
            }
            if (chainDecimals < engineDecimals || chainDecimals > 36) {
                throw new ConfigException("settlement.asset." + symbol + ".decimals = " + chainDecimals
                    + ": must be at least the engine's " + engineDecimals + " and at most 36");
            }
        }

        /** Token base units per engine unit: {@code 10^(chainDecimals - engineDecimals)}. */
        public BigInteger scale() {
            return BigInteger.TEN.pow(chainDecimals - engineDecimals);
        }
    }

    public SettlementConfig {
        assets = List.copyOf(assets);
    }

    /** The settings of {@code settlement.*} for an engine built from {@code engine}. */
    public static SettlementConfig from(ConfigSource config, EngineConfig engine) {
        if (!config.bool("settlement.enabled")) {
            return new SettlementConfig(false, false, DEFAULT_BATCH_MS, DEFAULT_BATCH_TRADES, DEFAULT_CONFIRMATIONS, 0, 0,
                0, null, null, null, List.of(), DEFAULT_MAX_IN_FLIGHT);
        }
        boolean local = config.find("settlement.localChain") != null && config.bool("settlement.localChain");
        String rpcUrl = null;
        String key = null;
        String vault = null;
        if (local) {
            for (String chainKey : List.of("settlement.chain.rpcUrl", "settlement.chain.operatorKey", "settlement.chain.vault")) {
                notSetWithLocalChain(config, chainKey);
            }
        } else {
            rpcUrl = required(config, "settlement.chain.rpcUrl");
            if (!rpcUrl.startsWith("http://") && !rpcUrl.startsWith("https://")) {
                throw config.invalid("settlement.chain.rpcUrl", rpcUrl, "an http:// or https:// URL");
            }
            key = required(config, "settlement.chain.operatorKey");
            if (!key.matches(PRIVATE_KEY)) {
                throw new ConfigException("settlement.chain.operatorKey (from " + config.origin("settlement.chain.operatorKey")
                    + ") is not 32 bytes of hex");
            }
            vault = address(config, "settlement.chain.vault");
        }
        Set<Integer> quoteAssets = new HashSet<>();
        for (InstrumentSpec spec : engine.instruments()) {
            quoteAssets.add(spec.quoteAsset());
        }
        List<ChainAsset> assets = new ArrayList<>();
        for (int i = 0; i < engine.assets().size(); i++) {
            AssetSpec asset = engine.assets().get(i);
            String prefix = "settlement.asset." + asset.symbol() + ".";
            String decimalsKey = config.find(prefix + "decimals") != null ? prefix + "decimals" : "settlement.asset.default.decimals";
            if (local) {
                notSetWithLocalChain(config, prefix + "token");
            }
            assets.add(new ChainAsset(i, asset.symbol(), quoteAssets.contains(i) ? AssetKind.ERC20 : AssetKind.SHARES,
                local ? null : address(config, prefix + "token"), config.intValue(decimalsKey, 0, 36), asset.decimals()));
        }
        return new SettlementConfig(true, local, config.longValue("settlement.batchMs", 1, 3_600_000),
            config.intValue("settlement.batchTrades", 1, 1_000_000), config.intValue("settlement.confirmations", 1, 1_000),
            config.longValue("settlement.pollMs", 1, 600_000), config.longValue("settlement.retryMs", 1, 600_000),
            config.longValue("settlement.chain.id", 1, Long.MAX_VALUE), rpcUrl, key, vault, assets,
            config.intValue("settlement.maxInFlight", 1, 64));
    }

    /** This configuration settling to the chain at {@code rpcUrl}: the local chain's location once it runs. */
    public SettlementConfig onChain(String rpcUrl, String operatorKey, String vault, List<String> tokens) {
        if (tokens.size() != assets.size()) {
            throw new IllegalArgumentException(tokens.size() + " tokens for " + assets.size() + " assets");
        }
        List<ChainAsset> located = new ArrayList<>(assets.size());
        for (ChainAsset asset : assets) {
            located.add(new ChainAsset(asset.assetId(), asset.symbol(), asset.kind(), tokens.get(asset.assetId()),
                asset.chainDecimals(), asset.engineDecimals()));
        }
        return new SettlementConfig(enabled, localChain, batchMs, batchTrades, confirmations, pollMs, retryMs, chainId,
            rpcUrl, operatorKey, vault, located, maxInFlight);
    }

    /** Without the operator's key. */
    @Override
    public String toString() {
        return "SettlementConfig[enabled=" + enabled + ", localChain=" + localChain + ", batchMs=" + batchMs
            + ", batchTrades=" + batchTrades + ", confirmations=" + confirmations + ", maxInFlight=" + maxInFlight
            + ", chainId=" + chainId + ", rpcUrl=" + rpcUrl + ", vault=" + vault
            + ", assets=" + assets + "]";
    }

    private static String required(ConfigSource config, String key) {
        String value = config.optionalString(key);
        if (value == null) {
            throw new ConfigException(key + " must be set when settlement.enabled is true and settlement.localChain false ("
                + ConfigSource.environmentName(key) + ")");
        }
        return value;
    }

    private static void notSetWithLocalChain(ConfigSource config, String key) {
        if (config.optionalString(key) != null) {
            throw new ConfigException(key + " is set (from " + config.origin(key) + ") but settlement.localChain is true,"
                + " which starts its own chain: set settlement.localChain = false to settle to that chain");
        }
    }

    private static String address(ConfigSource config, String key) {
        String value = required(config, key);
        if (!value.matches(ADDRESS)) {
            throw config.invalid(key, value, "an address (0x and 40 hex digits)");
        }
        return value;
    }
}
