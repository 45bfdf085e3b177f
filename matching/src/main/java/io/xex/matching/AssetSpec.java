package io.xex.matching;

import java.util.Objects;

/**
 * An asset the venue holds balances of. Balances are counted in units of {@code 10^-decimals} of the
 * asset: USDT with 6 decimals is counted in micro-USDT, exactly as on chain. The venue's decimals may be
 * fewer than the chain's (an 18-decimal token counted in 8): each asset's total over all accounts must stay
 * below {@link InstrumentSpec#MAX_ORDER_VALUE} units, about 2.3 × 10^18, so 8 decimals allow some 10^10
 * whole tokens and 12 allow 10^6.
 */
public record AssetSpec(String symbol, int decimals) {
    public static final int MAX_DECIMALS = 12;

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
