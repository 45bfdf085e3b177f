package io.xex.gateway;

import io.xex.matching.AssetSpec;
import io.xex.matching.InstrumentSpec;
import io.xex.runtime.config.InstrumentCatalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The venue's instruments and assets as clients see them, and the one place where the gateway turns the
 * engine's whole units (ticks, lots, asset units) into decimal strings and back. Every conversion is exact:
 * a decimal that is not a whole number of units is refused, never rounded.
 *
 * <p>Immutable; thread-safe.
 */
public final class Listings {
    /** Plain decimals only: digits, an optional fraction; no sign, exponent or spaces. */
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,20}(\\.[0-9]{1,18})?");

    /** One instrument: symbol, engine id, sizes, and its conversions. */
    public record Listing(InstrumentCatalog.Instrument instrument, InstrumentSpec spec, int baseDecimals,
                          int quoteDecimals) {
        public int id() {
            return instrument.id();
        }

        public String symbol() {
            return instrument.symbol();
        }

        /** Ticks as a price in quote currency per whole base unit, e.g. 42000 → "420.00". */
        public String price(long ticks) {
            return scaled(ticks, instrument.tickSize());
        }

        /** Lots as a base quantity, e.g. 1500 → "1.500". */
        public String quantity(long lots) {
            return scaled(lots, instrument.lotSize());
        }

        /** Quote-asset units as a decimal, e.g. 5000000 → "5.000000" for USDT. */
        public String quote(long units) {
            return BigDecimal.valueOf(units, quoteDecimals).toPlainString();
        }

        /** A price as ticks, or -1 if it is not a positive whole number of ticks. */
        public long parsePrice(String text) {
            return steps(text, instrument.tickSize());
        }

        /** A quantity as lots, or -1 if it is not a positive whole number of lots. */
        public long parseQuantity(String text) {
            return steps(text, instrument.lotSize());
        }

        /** A quote amount as quote-asset units, or -1 if not a positive whole number of them. */
        public long parseQuote(String text) {
            return steps(text, BigDecimal.ONE.movePointLeft(quoteDecimals));
        }

        /** Quote units paid for {@code lots} at {@code ticks}, without fees. */
        public long notional(long ticks, long lots) {
            long perTickLot = spec.tickSize() * spec.lotSize() / pow10(baseDecimals);
            return Math.multiplyExact(Math.multiplyExact(ticks, lots), perTickLot);
        }
    }

    private final List<Listing> listings;
    private final Map<String, Listing> bySymbol = new HashMap<>();
    private final List<AssetSpec> assets;

    public Listings(InstrumentCatalog catalog) {
        assets = catalog.engine().assets();
        List<Listing> all = new ArrayList<>();
        for (InstrumentCatalog.Instrument instrument : catalog.instruments()) {
            InstrumentSpec spec = catalog.engine().instruments().get(instrument.id());
            Listing listing = new Listing(instrument, spec, assets.get(spec.baseAsset()).decimals(),
                assets.get(spec.quoteAsset()).decimals());
            all.add(listing);
            bySymbol.put(instrument.symbol(), listing);
        }
        listings = List.copyOf(all);
    }

    public List<Listing> all() {
        return listings;
    }

    /** The listing with this symbol ({@code TSLAx/USDT}), or {@code null}. */
    public Listing bySymbol(String symbol) {
        return symbol == null ? null : bySymbol.get(symbol);
    }

    public Listing byId(int instrumentId) {
        return listings.get(instrumentId);
    }

    public List<AssetSpec> assets() {
        return assets;
    }

    /** An asset amount in its units as a decimal, e.g. USDT 1500000 → "1.500000". */
    public String amount(int asset, long units) {
        return BigDecimal.valueOf(units, assets.get(asset).decimals()).toPlainString();
    }

    /** The engine's index of the asset with this symbol ({@code USDT}, {@code TSLAx}), or -1. */
    public int assetId(String symbol) {
        for (int i = 0; i < assets.size(); i++) {
            if (assets.get(i).symbol().equals(symbol)) {
                return i;
            }
        }
        return -1;
    }

    /** An amount of an asset in its units, or -1 if it is not a positive whole number of them. */
    public long parseAmount(int asset, String text) {
        return steps(text, unit(asset));
    }

    /** The asset's smallest amount, e.g. 0.000001 for USDT. */
    public BigDecimal unit(int asset) {
        return BigDecimal.ONE.movePointLeft(assets.get(asset).decimals());
    }

    /** A whole decimal amount (configuration) in the asset's units; fails if it is not whole. */
    public long units(int asset, BigDecimal amount) {
        return amount.movePointRight(assets.get(asset).decimals()).longValueExact();
    }

    private static String scaled(long steps, BigDecimal step) {
        return BigDecimal.valueOf(steps).multiply(step).toPlainString();
    }

    private static long steps(String text, BigDecimal step) {
        if (text == null || !DECIMAL.matcher(text).matches()) {
            return -1;
        }
        BigDecimal[] division = new BigDecimal(text).divideAndRemainder(step);
        if (division[1].signum() != 0) {
            return -1;
        }
        try {
            long steps = division[0].longValueExact();
            return steps > 0 ? steps : -1;
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    private static long pow10(int n) {
        long p = 1;
        for (int i = 0; i < n; i++) {
            p *= 10;
        }
        return p;
    }
}
