package io.xex.matching;

import java.util.Objects;

/**
 * An asset the venue holds balances of. Balances are counted in units of {@code 10^-decimals} of the
 * asset: USDT with 6 decimals is counted in micro-USDT, exactly as on chain.
 */
public record AssetSpec(String symbol, int decimals) {
    public static final int MAX_DECIMALS = 18;

    public AssetSpec {
        Objects.requireNonNull(symbol, "symbol");
        if (symbol.isBlank()) {
            throw new IllegalArgumentException("asset symbol is blank");
        }
        if (decimals < 0 || decimals > MAX_DECIMALS) {
            throw new IllegalArgumentException(symbol + ": decimals " + decimals + " not in 0.." + MAX_DECIMALS);
        }
    }
}
