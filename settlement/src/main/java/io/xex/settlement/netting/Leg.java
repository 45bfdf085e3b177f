package io.xex.settlement.netting;

import java.util.Comparator;

/**
 * One account's net movement of one asset over a batch, in the asset's engine units ({@code 10^-decimals} of
 * it, as {@link io.xex.matching.AssetSpec} counts balances). Never zero: a movement that nets to zero is no leg.
 *
 * @param accountId the engine's account id
 * @param asset     index into {@link io.xex.matching.EngineConfig#assets()}
 * @param amount    a transfer leg: positive credits the account, negative debits it; a withdrawal leg:
 *                  positive, what is paid out to the account's whitelisted address
 */
public record Leg(long accountId, int asset, long amount) {
    /** The order legs are listed in: by account, then asset. A list holds one leg per account and asset. */
    public static final Comparator<Leg> ORDER = Comparator.comparingLong(Leg::accountId).thenComparingInt(Leg::asset);

    public Leg {
        if (asset < 0) {
            throw new IllegalArgumentException("asset must not be negative: " + asset);
        }
        if (amount == 0) {
            throw new IllegalArgumentException("a leg of account " + accountId + " asset " + asset + " moves nothing");
        }
    }
}
