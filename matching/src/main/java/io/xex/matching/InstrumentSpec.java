package io.xex.matching;

import java.util.Objects;

/**
 * One tradable symbol (SPEC §3). Prices are in ticks and quantities in lots.
 *
 * @param symbol                 e.g. {@code TSLAx/USDT}
 * @param baseAsset              index into {@link EngineConfig#assets()} of what is bought and sold
 * @param quoteAsset             index of what it is paid with
 * @param tickSize               quote units that one tick adds to the price of one whole base asset
 * @param lotSize                base units in one lot
 * @param minQuantity            smallest order, in lots
 * @param maxQuantity            largest order, in lots
 * @param minNotional            smallest order value, in quote units
 * @param maxPrice               highest price, in ticks
 * @param bands                  price protection, or {@code null} for none (replay)
 * @param initialState           the trading state at start
 * @param initialReferencePrice  the reference price at start, in ticks; 0 if not yet known
 */
public record InstrumentSpec(String symbol, int baseAsset, int quoteAsset, long tickSize, long lotSize,
                             long minQuantity, long maxQuantity, long minNotional, long maxPrice, BandSpec bands,
                             TradingState initialState, long initialReferencePrice) {
    /** Largest {@code maxPrice × maxQuantity × quoteUnitsPerTickLot}, so that costs with fees never overflow. */
    public static final long MAX_ORDER_VALUE = Long.MAX_VALUE / 4;

    public InstrumentSpec {
        Objects.requireNonNull(symbol, "symbol");
        Objects.requireNonNull(initialState, "initialState");
        if (tickSize <= 0 || lotSize <= 0) {
            throw new IllegalArgumentException(symbol + ": tick and lot sizes must be positive");
        }
        if (minQuantity <= 0 || maxQuantity < minQuantity) {
            throw new IllegalArgumentException(symbol + ": need 0 < minQuantity <= maxQuantity");
        }
        if (minNotional < 0 || maxPrice <= 0) {
            throw new IllegalArgumentException(symbol + ": need minNotional >= 0 and maxPrice > 0");
        }
        if (initialReferencePrice < 0 || initialReferencePrice > maxPrice) {
            throw new IllegalArgumentException(symbol + ": initial reference price outside 0..maxPrice");
        }
        if (bands != null && maxPrice > Long.MAX_VALUE / 10_000) {
            throw new IllegalArgumentException(symbol + ": maxPrice too large for price bands");
        }
        if (baseAsset == quoteAsset) {
            throw new IllegalArgumentException(symbol + ": base and quote asset are the same");
        }
    }

    /**
     * Value in quote units of {@code quantity} lots at {@code price} ticks, given the instrument's
     * {@link #quoteUnitsPerTickLot}: what a trade's buyer pays and its seller receives before fees, and what
     * the fees are taken from. The engine's one formula, also used by netting (settlement); exact for every
     * price up to {@code maxPrice} and quantity up to {@code maxQuantity} (see {@link EngineConfig}).
     */
    public static long value(long price, long quantity, long quoteUnitsPerTickLot) {
        return price * quantity * quoteUnitsPerTickLot;
    }

    /**
     * Quote units paid for one lot at a price of one tick, given the base asset's decimals; fails unless
     * it is a whole number, so that every order value is exact.
     */
    public long quoteUnitsPerTickLot(int baseDecimals) {
        long scale = 1;
        for (int i = 0; i < baseDecimals; i++) {
            scale *= 10;
        }
        long product = Math.multiplyExact(tickSize, lotSize);
        if (product % scale != 0) {
            throw new IllegalArgumentException(symbol + ": tickSize × lotSize must be a whole number of quote units");
        }
        long k = product / scale;
        long maxValue;
        try {
            maxValue = Math.multiplyExact(Math.multiplyExact(maxPrice, maxQuantity), k);
        } catch (ArithmeticException e) {
            maxValue = Long.MAX_VALUE;
        }
        try {
            Math.multiplyExact(maxQuantity, lotSize);
        } catch (ArithmeticException e) {
            maxValue = Long.MAX_VALUE;
        }
        if (maxValue > MAX_ORDER_VALUE) {
            throw new IllegalArgumentException(symbol + ": maxPrice × maxQuantity is too large to count exactly");
        }
        return k;
    }
}
