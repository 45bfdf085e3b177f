package io.xex.settlement.issuer;

import io.xex.runtime.issuer.PrimaryMarket.Side;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.math.BigDecimal;

/**
 * What a primary-market request costs or pays, in the engine's USDT units, exactly: the value of {@code quantity}
 * units of the xStock at the reference price is {@code price × tickUnits × quantity / 10^baseDecimals} USDT units, a
 * fraction in general. A mint costs the value plus the issuer's fee, rounded up (the client pays no less than the
 * price); a redeem pays the value less the fee, rounded down (the issuer pays no more). The fee is the difference
 * between that and the value rounded the same way. The minimum is checked against the exact value.
 *
 * @param value the value at the reference price, rounded up for a mint and down for a redeem
 * @param usdt  what the client pays (mint) or receives (redeem), fee included
 * @param fee   the issuer's part: {@code usdt - value} for a mint, {@code value - usdt} for a redeem
 */
record Pricing(long value, long usdt, long fee) {
    private static final BigInteger BPS = BigInteger.valueOf(10_000);

    /**
     * Prices a request; {@code minimumUnits} is the least value in USDT units. Returns null when the exact value is
     * below it.
     */
    static Pricing of(Side side, long price, long tickUnits, long quantity, int baseDecimals, int feeBps,
                      long minimumUnits) {
        BigInteger scale = BigInteger.TEN.pow(baseDecimals);
        BigInteger gross = BigInteger.valueOf(price).multiply(BigInteger.valueOf(tickUnits))
            .multiply(BigInteger.valueOf(quantity));
        if (gross.compareTo(BigInteger.valueOf(minimumUnits).multiply(scale)) < 0) {
            return null;
        }
        boolean mint = side == Side.MINT;
        RoundingMode rounding = mint ? RoundingMode.CEILING : RoundingMode.FLOOR;
        BigInteger factor = BigInteger.valueOf(mint ? 10_000L + feeBps : 10_000L - feeBps);
        long value = divide(gross, scale, rounding);
        long usdt = divide(gross.multiply(factor), scale.multiply(BPS), rounding);
        return new Pricing(value, usdt, mint ? usdt - value : value - usdt);
    }

    private static long divide(BigInteger dividend, BigInteger divisor, RoundingMode rounding) {
        return new BigDecimal(dividend).divide(new BigDecimal(divisor), 0, rounding).longValueExact();
    }
}
