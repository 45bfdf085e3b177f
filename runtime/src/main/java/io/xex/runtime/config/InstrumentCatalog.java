package io.xex.runtime.config;

import io.xex.matching.AssetSpec;
import io.xex.matching.BandSpec;
import io.xex.matching.EngineConfig;
import io.xex.matching.InstrumentSpec;
import io.xex.matching.TradingState;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The venue's assets and instruments, read from configuration and converted exactly into the engine's
 * units: a decimal amount that is not a whole number of units is refused, never rounded.
 *
 * @param engine      what the matching engine is built from
 * @param instruments what the engine does not need: symbol, underlying, decimals
 */
public record InstrumentCatalog(EngineConfig engine, List<Instrument> instruments) {
    private static final long NS_PER_MS = 1_000_000L;

    /** One instrument as people see it; {@code id} is its index in the engine. */
    public record Instrument(int id, String symbol, String base, String quote, String underlying, String exchange,
                             BigDecimal tickSize, BigDecimal lotSize, BigDecimal primaryMinimum) {
    }

    public InstrumentCatalog {
        instruments = List.copyOf(instruments);
    }

    public static InstrumentCatalog from(ConfigSource config) {
        List<String> bases = List.of(config.string("instruments").split("\\s*,\\s*"));
        Map<String, Integer> assetIds = new LinkedHashMap<>();
        List<AssetSpec> assets = new ArrayList<>();
        List<InstrumentSpec> specs = new ArrayList<>();
        List<Instrument> instruments = new ArrayList<>();
        long feeAccount = config.longValue("engine.feeAccountId", 0, Long.MAX_VALUE);
        for (String base : bases) {
            if (base.isEmpty()) {
                throw new ConfigException("instruments lists an empty symbol");
            }
            String quote = value(config, base, "quote");
            int quoteId = asset(config, quote, assetIds, assets);
            int baseId = asset(config, base, assetIds, assets);
            int quoteDecimals = assets.get(quoteId).decimals();
            int baseDecimals = assets.get(baseId).decimals();
            String symbol = base + "/" + quote;

            BigDecimal tick = decimal(config, base, "tickSize");
            BigDecimal lot = decimal(config, base, "lotSize");
            long tickUnits = units(config, base, "tickSize", tick, quoteDecimals);
            long lotUnits = units(config, base, "lotSize", lot, baseDecimals);
            long minLots = lots(config, base, "minQuantity", lot);
            long maxLots = lots(config, base, "maxQuantity", lot);
            long minNotional = units(config, base, "minNotional", decimal(config, base, "minNotional"), quoteDecimals);
            long maxPriceTicks = ticks(config, base, "maxPrice", tick);
            String referenceKey = key(config, base, "referencePrice");
            long referenceTicks = referenceKey == null ? 0 : ticks(config, base, "referencePrice", tick);
            TradingState state;
            try {
                state = TradingState.valueOf(value(config, base, "state").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new ConfigException(key(config, base, "state") + ": not one of OPEN, CLOSED_UNDERLYING, HALTED, CANCEL_ONLY");
            }
            BandSpec bands = config.bool(key(config, base, "bands")) ? bands(config, base) : null;
            try {
                specs.add(new InstrumentSpec(symbol, baseId, quoteId, tickUnits, lotUnits, minLots, maxLots, minNotional,
                    maxPriceTicks, bands, state, referenceTicks));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("instrument " + base + ": " + e.getMessage());
            }
            instruments.add(new Instrument(instruments.size(), symbol, base, quote, optional(config, base, "underlying"),
                optional(config, base, "exchange"), tick, lot, decimal(config, base, "primaryMinimum")));
        }
        try {
            EngineConfig engine = new EngineConfig(assets, specs, feeAccount, true,
                config.intValue("engine.maxOpenOrdersPerAccount", 1, 1_000_000),
                config.intValue("engine.initialOrderCapacity", 16, 1 << 26));
            return new InstrumentCatalog(engine, instruments);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    /** The instrument with this symbol ({@code TSLAx/USDT}) or base ({@code TSLAx}), or {@code null}. */
    public Instrument find(String symbolOrBase) {
        for (Instrument instrument : instruments) {
            if (instrument.symbol().equals(symbolOrBase) || instrument.base().equals(symbolOrBase)) {
                return instrument;
            }
        }
        return null;
    }

    private static BandSpec bands(ConfigSource config, String base) {
        try {
            return new BandSpec(
                bps(config, base, "band.entryBps"), bps(config, base, "band.executionBps"),
                bps(config, base, "band.closedEntryBps"), bps(config, base, "band.closedExecutionBps"),
                bps(config, base, "band.closedReferenceWeightBps"), ms(config, base, "band.closedReferencePeriodMs"),
                bps(config, base, "band.guardMoveBps"), ms(config, base, "band.guardWindowMs"),
                ms(config, base, "band.guardHaltMs"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("instrument " + base + " bands: " + e.getMessage());
        }
    }

    private static int asset(ConfigSource config, String symbol, Map<String, Integer> ids, List<AssetSpec> assets) {
        Integer id = ids.get(symbol);
        if (id != null) {
            return id;
        }
        String key = config.find("asset." + symbol + ".decimals") != null ? "asset." + symbol + ".decimals" : "asset.default.decimals";
        assets.add(new AssetSpec(symbol, config.intValue(key, 0, AssetSpec.MAX_DECIMALS)));
        ids.put(symbol, assets.size() - 1);
        return assets.size() - 1;
    }

    /** {@code instrument.<base>.<name>} if set, else {@code instrument.default.<name>}, else null. */
    private static String key(ConfigSource config, String base, String name) {
        String own = "instrument." + base + "." + name;
        if (config.find(own) != null) {
            return own;
        }
        String fallback = "instrument.default." + name;
        return config.find(fallback) != null ? fallback : null;
    }

    private static String value(ConfigSource config, String base, String name) {
        String key = key(config, base, name);
        if (key == null) {
            throw new ConfigException("instrument." + base + "." + name + " is not set");
        }
        return config.string(key);
    }

    private static String optional(ConfigSource config, String base, String name) {
        String key = key(config, base, name);
        return key == null ? null : config.optionalString(key);
    }

    private static BigDecimal decimal(ConfigSource config, String base, String name) {
        String key = key(config, base, name);
        if (key == null) {
            throw new ConfigException("instrument." + base + "." + name + " is not set");
        }
        BigDecimal value = config.decimal(key);
        if (value.signum() < 0) {
            throw config.invalid(key, value.toPlainString(), "zero or more");
        }
        return value;
    }

    private static long units(ConfigSource config, String base, String name, BigDecimal amount, int decimals) {
        return whole(config, base, name, amount.movePointRight(decimals), "a whole number of units at " + decimals + " decimals");
    }

    private static long lots(ConfigSource config, String base, String name, BigDecimal lot) {
        return whole(config, base, name, decimal(config, base, name).divide(lot), "a whole number of lots of " + lot.toPlainString());
    }

    private static long ticks(ConfigSource config, String base, String name, BigDecimal tick) {
        return whole(config, base, name, decimal(config, base, name).divide(tick), "a whole number of ticks of " + tick.toPlainString());
    }

    private static long whole(ConfigSource config, String base, String name, BigDecimal value, String expected) {
        try {
            return value.longValueExact();
        } catch (ArithmeticException e) {
            String key = key(config, base, name);
            throw config.invalid(key, config.string(key), expected);
        }
    }

    private static int bps(ConfigSource config, String base, String name) {
        String key = key(config, base, name);
        if (key == null) {
            throw new ConfigException("instrument." + base + "." + name + " is not set");
        }
        return config.intValue(key, 1, 9_999);
    }

    private static long ms(ConfigSource config, String base, String name) {
        String key = key(config, base, name);
        if (key == null) {
            throw new ConfigException("instrument." + base + "." + name + " is not set");
        }
        return config.longValue(key, 1, Long.MAX_VALUE / NS_PER_MS / 10_000) * NS_PER_MS;
    }
}
