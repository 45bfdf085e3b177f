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
 * and its vault are, and the token of each engine asset that settles there. Read and checked before anything starts;
 * {@link #chains} reads one per configured chain, each engine asset on exactly one of them.
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
 * @param assets        one per engine asset that settles on this chain (every one with a single chain), in the
 *                      engine's order; the vault's asset id is the engine's index on every chain
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
     * {@link AssetKind#SHARES} asset, which the vault keeps in shares, {@link ChainUnits} converts them at the
     * engine's multiplier.
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

    /**
     * The settings of {@code settlement.*} for an engine built from {@code engine}: the first of {@link #chains}, the
     * only one unless {@code settlement.chains} names several.
     */
    public static SettlementConfig from(ConfigSource config, EngineConfig engine) {
        return chains(config, engine).getFirst();
    }

    /**
     * The settings of {@code settlement.*} for an engine built from {@code engine}, one per chain: without
     * {@code settlement.chains}, the one chain of {@code settlement.chain.*} holding every engine asset; with it, each
     * named chain ({@code settlement.chain.<name>.*}) holding the assets whose {@code settlement.asset.<SYMBOL>.chain}
     * names it, an instrument's base and quote on one chain. One disabled configuration when settlement is off.
     */
    public static List<SettlementConfig> chains(ConfigSource config, EngineConfig engine) {
        if (!config.bool("settlement.enabled")) {
            return List.of(new SettlementConfig(false, false, DEFAULT_BATCH_MS, DEFAULT_BATCH_TRADES,
                DEFAULT_CONFIRMATIONS, 0, 0, 0, null, null, null, List.of(), DEFAULT_MAX_IN_FLIGHT));
        }
        boolean local = config.find("settlement.localChain") != null && config.bool("settlement.localChain");
        List<String> names = chainNames(config);
        if (names.isEmpty()) {
            return List.of(chain(config, engine, local, "settlement.chain.", assetChains(config, engine, null)));
        }
        if (local) {
            throw new ConfigException("settlement.chains = " + String.join(",", names) + " (from "
                + config.origin("settlement.chains") + ") but settlement.localChain is true, which starts one chain"
                + " of its own: set settlement.localChain = false to settle to the named chains");
        }
        for (String key : List.of("settlement.chain.rpcUrl", "settlement.chain.operatorKey", "settlement.chain.vault")) {
            if (config.optionalString(key) != null) {
                throw new ConfigException(key + " is set (from " + config.origin(key) + ") but settlement.chains names"
                    + " the chains: set settlement.chain.<name>." + key.substring("settlement.chain.".length())
                    + " for each instead");
            }
        }
        String[] byAsset = assetChains(config, engine, names);
        List<SettlementConfig> chains = new ArrayList<>(names.size());
        Set<Long> chainIds = new HashSet<>();
        for (String name : names) {
            SettlementConfig chain = chain(config, engine, false, "settlement.chain." + name + ".", byAsset);
            if (!chainIds.add(chain.chainId())) {
                throw new ConfigException("settlement.chain." + name + ".id = " + chain.chainId() + " is the id of another"
                    + " chain of settlement.chains: each chain settles once");
            }
            if (chain.assets().isEmpty()) {
                throw new ConfigException("settlement.chains names " + name + " but no settlement.asset.<SYMBOL>.chain"
                    + " names it: remove it from settlement.chains or settle an asset there");
            }
            chains.add(chain);
        }
        return List.copyOf(chains);
    }

    /** The chain of {@code settlement.*}; {@code prefix} is {@code settlement.chain.} or a named chain's. */
    private static SettlementConfig chain(ConfigSource config, EngineConfig engine, boolean local, String prefix,
                                          String[] byAsset) {
        String rpcUrl = null;
        String key = null;
        String vault = null;
        if (local) {
            for (String chainKey : List.of("settlement.chain.rpcUrl", "settlement.chain.operatorKey", "settlement.chain.vault")) {
                notSetWithLocalChain(config, chainKey);
            }
        } else {
            rpcUrl = required(config, prefix + "rpcUrl");
            if (!rpcUrl.startsWith("http://") && !rpcUrl.startsWith("https://")) {
                throw config.invalid(prefix + "rpcUrl", rpcUrl, "an http:// or https:// URL");
            }
            key = required(config, prefix + "operatorKey");
            if (!key.matches(PRIVATE_KEY)) {
                throw new ConfigException(prefix + "operatorKey (from " + config.origin(prefix + "operatorKey")
                    + ") is not 32 bytes of hex");
            }
            vault = address(config, prefix + "vault");
        }
        String name = prefix.equals("settlement.chain.") ? null
            : prefix.substring("settlement.chain.".length(), prefix.length() - 1);
        Set<Integer> quoteAssets = new HashSet<>();
        for (InstrumentSpec spec : engine.instruments()) {
            quoteAssets.add(spec.quoteAsset());
        }
        List<ChainAsset> assets = new ArrayList<>();
        for (int i = 0; i < engine.assets().size(); i++) {
            if (name != null && !name.equals(byAsset[i])) {
                continue;
            }
            AssetSpec asset = engine.assets().get(i);
            String assetPrefix = "settlement.asset." + asset.symbol() + ".";
            String decimalsKey = config.find(assetPrefix + "decimals") != null ? assetPrefix + "decimals"
                : "settlement.asset.default.decimals";
            if (local) {
                notSetWithLocalChain(config, assetPrefix + "token");
            }
            assets.add(new ChainAsset(i, asset.symbol(), quoteAssets.contains(i) ? AssetKind.ERC20 : AssetKind.SHARES,
                local ? null : address(config, assetPrefix + "token"), config.intValue(decimalsKey, 0, 36),
                asset.decimals()));
        }
        return new SettlementConfig(true, local, config.longValue("settlement.batchMs", 1, 3_600_000),
            config.intValue("settlement.batchTrades", 1, 1_000_000), config.intValue("settlement.confirmations", 1, 1_000),
            config.longValue("settlement.pollMs", 1, 600_000), config.longValue("settlement.retryMs", 1, 600_000),
            config.longValue(prefix + "id", 1, Long.MAX_VALUE), rpcUrl, key, vault, assets,
            config.intValue("settlement.maxInFlight", 1, 64));
    }

    /** {@code settlement.chains}, checked: distinct names of letters and digits; empty when not set. */
    private static List<String> chainNames(ConfigSource config) {
        String value = config.optionalString("settlement.chains");
        if (value == null || value.isBlank()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (String name : value.trim().split("\\s*,\\s*")) {
            if (!name.matches("[A-Za-z][A-Za-z0-9]*")) {
                throw config.invalid("settlement.chains", value, "chain names of letters and digits, separated by commas");
            }
            if (names.contains(name)) {
                throw new ConfigException("settlement.chains (from " + config.origin("settlement.chains") + ") names "
                    + name + " twice");
            }
            names.add(name);
        }
        return names;
    }

    /**
     * Each engine asset's chain ({@code settlement.asset.<SYMBOL>.chain}), by asset id; every one the only chain when
     * {@code names} has one; not read (and refused when set) without {@code settlement.chains} ({@code names} null).
     * Refuses an instrument whose base and quote settle on different chains.
     */
    private static String[] assetChains(ConfigSource config, EngineConfig engine, List<String> names) {
        String[] byAsset = new String[engine.assets().size()];
        for (int i = 0; i < byAsset.length; i++) {
            String key = "settlement.asset." + engine.assets().get(i).symbol() + ".chain";
            String chain = config.optionalString(key);
            if (names == null) {
                if (chain != null) {
                    throw new ConfigException(key + " is set (from " + config.origin(key) + ") but settlement.chains is"
                        + " not: name the chains in settlement.chains, or leave " + key + " empty");
                }
            } else if (chain == null) {
                if (names.size() > 1) {
                    throw new ConfigException(key + " must be set: settlement.chains names several chains ("
                        + String.join(",", names) + ") and each asset settles on one of them ("
                        + ConfigSource.environmentName(key) + ")");
                }
                byAsset[i] = names.getFirst();
            } else if (!names.contains(chain)) {
                throw config.invalid(key, chain, "one of settlement.chains (" + String.join(",", names) + ")");
            } else {
                byAsset[i] = chain;
            }
        }
        if (names != null) {
            for (InstrumentSpec spec : engine.instruments()) {
                String base = byAsset[spec.baseAsset()];
                String quote = byAsset[spec.quoteAsset()];
                if (!base.equals(quote)) {
                    throw new ConfigException("instrument " + spec.symbol() + " cannot settle: its base "
                        + engine.assets().get(spec.baseAsset()).symbol() + " is on chain " + base + " and its quote "
                        + engine.assets().get(spec.quoteAsset()).symbol() + " on chain " + quote
                        + " (settlement.asset.<SYMBOL>.chain): a trade moves both in one batch, so both must be on one chain");
                }
            }
        }
        return byAsset;
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
