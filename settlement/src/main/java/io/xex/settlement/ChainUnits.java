package io.xex.settlement;

import io.xex.settlement.SettlementConfig.ChainAsset;
import io.xex.settlement.chain.LegCodec;
import io.xex.settlement.netting.Leg;
import io.xex.settlement.netting.NetMovements;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one place where engine units become the vault's units and back (STYLE §7): engine units ×
 * {@link ChainAsset#scale()} are token base units, and for an xStock, at multiplier 1, shares.
 *
 * <p>Immutable; any thread.
 */
public final class ChainUnits {
    /** By engine asset id: a chain holds only some of the engine's assets. */
    private final Map<Integer, ChainAsset> assets = new HashMap<>();

    public ChainUnits(List<ChainAsset> assets) {
        for (ChainAsset asset : assets) {
            if (this.assets.put(asset.assetId(), asset) != null) {
                throw new IllegalArgumentException("asset " + asset.assetId() + " twice");
            }
        }
    }

    /** A batch's transfers as the vault's legs. */
    public List<LegCodec.Leg> legs(NetMovements movements) {
        List<LegCodec.Leg> legs = new ArrayList<>(movements.transfers().size());
        for (Leg leg : movements.transfers()) {
            legs.add(new LegCodec.Leg(leg.accountId(), leg.asset(), toChain(leg.asset(), leg.amount())));
        }
        return legs;
    }

    /** A batch's withdrawals as the vault's, in the order netting lists them. */
    public List<LegCodec.Withdrawal> withdrawals(NetMovements movements) {
        List<LegCodec.Withdrawal> withdrawals = new ArrayList<>(movements.withdrawals().size());
        for (Leg leg : movements.withdrawals()) {
            withdrawals.add(new LegCodec.Withdrawal(leg.accountId(), leg.asset(), toChain(leg.asset(), leg.amount())));
        }
        return withdrawals;
    }

    /** {@code engineUnits} of the engine's asset {@code asset} in the vault's units. */
    public BigInteger toChain(int asset, long engineUnits) {
        return BigInteger.valueOf(engineUnits).multiply(asset(asset).scale());
    }

    /** The vault's {@code chainUnits} of {@code asset} in engine units; fails if they are no whole number of them. */
    public long toEngine(int asset, BigInteger chainUnits) {
        BigInteger[] qr = chainUnits.divideAndRemainder(asset(asset).scale());
        if (qr[1].signum() != 0) {
            throw new ArithmeticException(chainUnits + " of asset " + asset + " is not a whole number of engine units");
        }
        return qr[0].longValueExact();
    }

    private ChainAsset asset(int asset) {
        ChainAsset found = assets.get(asset);
        if (found == null) {
            throw new IllegalArgumentException("no asset " + asset + " on this chain");
        }
        return found;
    }
}
