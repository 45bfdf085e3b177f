package io.xex.settlement;

import io.xex.settlement.SettlementConfig.ChainAsset;
import io.xex.settlement.chain.LegCodec;
import io.xex.settlement.chain.SettlementVault.AssetKind;
import io.xex.settlement.chain.XStockToken;
import io.xex.settlement.netting.BatchPositions;
import io.xex.settlement.netting.Leg;
import io.xex.settlement.netting.NetMovements;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.IntFunction;

/**
 * The one place where engine units become the vault's units and back (STYLE §7): engine units ×
 * {@link ChainAsset#scale()} are token base units; for an xStock (a {@link AssetKind#SHARES} asset, which the vault
 * keeps in shares) at the engine's multiplier {@code M} (18-decimal fixed point, {@link XStockToken#ONE} at the
 * start), {@code a} engine units are {@code a × k / M} shares, where {@code k = scale × 10^18} (10^28 for an
 * 8-decimal asset of an 18-decimal token). At {@code M = 10^18} that is {@code a × scale}, a whole number.
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

    /** A batch converted to the vault's units: its legs (zero-sum per asset) and its withdrawals, in netting's order. */
    public record Converted(List<LegCodec.Leg> legs, List<LegCodec.Withdrawal> withdrawals) {
        public Converted {
            legs = List.copyOf(legs);
            withdrawals = List.copyOf(withdrawals);
        }
    }

    /** A batch's transfers as the vault's legs, every xStock at multiplier 1. */
    public List<LegCodec.Leg> legs(NetMovements movements) {
        List<LegCodec.Leg> legs = new ArrayList<>(movements.transfers().size());
        for (Leg leg : movements.transfers()) {
            legs.add(new LegCodec.Leg(leg.accountId(), leg.asset(), toChain(leg.asset(), leg.amount())));
        }
        return legs;
    }

    /** A batch's withdrawals as the vault's, in the order netting lists them, every xStock at multiplier 1. */
    public List<LegCodec.Withdrawal> withdrawals(NetMovements movements) {
        List<LegCodec.Withdrawal> withdrawals = new ArrayList<>(movements.withdrawals().size());
        for (Leg leg : movements.withdrawals()) {
            withdrawals.add(new LegCodec.Withdrawal(leg.accountId(), leg.asset(), toChain(leg.asset(), leg.amount())));
        }
        return withdrawals;
    }

    /**
     * A batch's movements in the vault's units, each xStock at the engine's multiplier in force over the batch
     * ({@code multiplier}, by engine asset id; a batch never spans a change of it), rounding cumulative positions
     * rather than each movement, so that no account's vault balance drifts below what the engine says it holds.
     *
     * <p>For an xStock at multiplier {@code M}, with {@code f(a) = ⌊a × k / M⌋} shares: every account other than
     * {@code feeAccountId} with a transfer, withdrawal or deposit of the asset in the batch gets the leg
     * <pre>
     *   f(B_after) − f(B_before) + f(w) − Σ_j ⌈d_j × k / M⌉
     * </pre>
     * where {@code B_after} is its available plus locked balance after the batch ({@link BatchPositions#closing}),
     * {@code w} its withdrawals, {@code d_j} its deposits, and {@code B_before = B_after − transfer + w − Σ d_j} its
     * balance before the batch; {@code f(w)} is paid out as its withdrawal. The fee account takes the leg that makes
     * the asset's legs add up to zero; its withdrawals are paid {@code f(w)} too. An ERC-20 asset (USDT) has no
     * multiplier: its legs are {@link #legs}'s. At {@code M = 10^18}, where {@code k / M} is a whole number, every leg
     * is {@code transfer × scale} and every payout {@code w × scale}: exactly {@link #legs} and {@link #withdrawals}.
     *
     * <p><b>Why the vault never refuses these legs.</b> A deposit of {@code s} shares is credited
     * {@code d = ⌊s × M / k⌋} engine units ({@link #toEngine(int, BigInteger, BigInteger)}), so
     * {@code s ≥ ⌈d × k / M⌉}: the deposit's shares are in the vault before the batch that holds its credit. By
     * induction every account other than the fee account keeps {@code S ≥ f(B)} shares, its vault balance {@code S}
     * against its engine balance {@code B}: after the batch it holds
     * {@code S + Σ s_j + leg − f(w) ≥ f(B_before) + Σ ⌈d_j k/M⌉ + leg − f(w) = f(B_after) ≥ 0}, which also covers its
     * debit and its payout. Its excess {@code S − f(B)} only grows by what a deposit held beyond
     * {@code ⌈d × k / M⌉}, less than one engine unit's worth. The fee account holds what is left: the vault's shares
     * {@code V = Σ s − Σ f(w)} (every deposit in, every payout out) less the others' {@code f(B_i)} and excesses,
     * which is {@code Σ_fee s + Σ_others ⌈d k/M⌉ − Σ f(w) − Σ_others f(B_i)}; since {@code ⌈d k/M⌉ ≥ d k/M},
     * {@code f(w) ≤ w k/M}, {@code f(B_i) ≤ B_i k/M}, and the engine conserves the asset
     * ({@code Σ_i B_i = Σ d − Σ w}), that is at least {@code B_fee × k / M ≥ 0}. So
     * {@code Σ_i f(B_i) ≤ V}: the rounded engine never claims more than the vault holds, the fee account's balance
     * never has to go below zero, and the rounding dust stays on chain, the fee account's or the depositor's.
     */
    public Converted convert(NetMovements movements, BatchPositions positions, IntFunction<BigInteger> multiplier,
                             long feeAccountId) {
        Map<Integer, List<Leg>> byAsset = new TreeMap<>();
        for (Leg leg : movements.transfers()) {
            byAsset.computeIfAbsent(leg.asset(), a -> new ArrayList<>()).add(leg);
        }
        Map<Integer, Map<Long, Long>> withdrawn = new HashMap<>();
        for (Leg leg : movements.withdrawals()) {
            withdrawn.computeIfAbsent(leg.asset(), a -> new HashMap<>()).merge(leg.accountId(), leg.amount(),
                Math::addExact);
            byAsset.computeIfAbsent(leg.asset(), a -> new ArrayList<>());
        }
        for (Leg deposit : positions.deposits()) {
            if (assets.containsKey(deposit.asset())) {
                byAsset.computeIfAbsent(deposit.asset(), a -> new ArrayList<>());
            }
        }
        List<LegCodec.Leg> legs = new ArrayList<>();
        Map<Integer, BigInteger> sharesMultiplier = new HashMap<>();
        for (Map.Entry<Integer, List<Leg>> entry : byAsset.entrySet()) {
            int asset = entry.getKey();
            BigInteger m = multiplier.apply(asset);
            if (m.signum() <= 0) {
                throw new IllegalArgumentException("multiplier " + m + " of asset " + asset);
            }
            if (asset(asset).kind() != AssetKind.SHARES) {
                for (Leg leg : entry.getValue()) {
                    legs.add(new LegCodec.Leg(leg.accountId(), asset, toChain(asset, leg.amount())));
                }
                continue;
            }
            sharesMultiplier.put(asset, m);
            legs.addAll(sharesLegs(asset, m, entry.getValue(), withdrawn.getOrDefault(asset, Map.of()),
                positions, feeAccountId));
        }
        List<LegCodec.Withdrawal> withdrawals = new ArrayList<>(movements.withdrawals().size());
        for (Leg leg : movements.withdrawals()) {
            BigInteger m = sharesMultiplier.get(leg.asset());
            BigInteger paid = m == null ? toChain(leg.asset(), leg.amount()) : shares(leg.asset(), leg.amount(), m);
            if (paid.signum() > 0) {
                withdrawals.add(new LegCodec.Withdrawal(leg.accountId(), leg.asset(), paid));
            }
        }
        return new Converted(legs, withdrawals);
    }

    /** The legs of one xStock at multiplier {@code m}, by the rule of {@link #convert}, sorted by account. */
    private List<LegCodec.Leg> sharesLegs(int asset, BigInteger m, List<Leg> transfers, Map<Long, Long> withdrawn,
                                          BatchPositions positions, long feeAccountId) {
        Map<Long, Long> transferred = new HashMap<>();
        for (Leg leg : transfers) {
            transferred.put(leg.accountId(), leg.amount());
        }
        Map<Long, List<Long>> deposited = positions.deposits(asset);
        TreeSet<Long> accounts = new TreeSet<>(transferred.keySet());
        accounts.addAll(withdrawn.keySet());
        accounts.addAll(deposited.keySet());
        accounts.remove(feeAccountId);
        List<LegCodec.Leg> legs = new ArrayList<>();
        BigInteger sum = BigInteger.ZERO;
        for (long account : accounts) {
            long after = positions.closing(account, asset).orElseThrow(() -> new IllegalArgumentException("account "
                + account + " moved asset " + asset + " in the batch without a balance change"));
            long transfer = transferred.getOrDefault(account, 0L);
            long withdrawal = withdrawn.getOrDefault(account, 0L);
            long depositSum = 0;
            BigInteger depositShares = BigInteger.ZERO;
            for (long deposit : deposited.getOrDefault(account, List.of())) {
                depositSum = Math.addExact(depositSum, deposit);
                depositShares = depositShares.add(sharesUp(asset, deposit, m));
            }
            long before = Math.subtractExact(Math.addExact(Math.subtractExact(after, transfer), withdrawal), depositSum);
            if (before < 0) {
                throw new IllegalArgumentException("account " + account + " of asset " + asset + " had " + before
                    + " before the batch: its movements do not match its balance " + after);
            }
            BigInteger leg = shares(asset, after, m).subtract(shares(asset, before, m))
                .add(shares(asset, withdrawal, m)).subtract(depositShares);
            if (leg.signum() != 0) {
                legs.add(new LegCodec.Leg(account, asset, leg));
                sum = sum.add(leg);
            }
        }
        if (sum.signum() != 0) {
            legs.add(new LegCodec.Leg(feeAccountId, asset, sum.negate()));
        }
        legs.sort((a, b) -> Long.compare(a.accountId(), b.accountId()));
        return legs;
    }

    /** {@code engineUnits} of the engine's asset {@code asset} in the vault's units, at multiplier 1. */
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

    /**
     * What the vault's {@code chainUnits} of {@code asset} credit in the engine at the engine's multiplier
     * {@code multiplier}: at 1 (and for an ERC-20 asset) as {@link #toEngine(int, BigInteger)}, refused when no whole
     * number of engine units; otherwise {@code ⌊shares × M / k⌋}, rounded down (the rest stays with the account's
     * shares in the vault, see {@link #convert}).
     */
    public long toEngine(int asset, BigInteger chainUnits, BigInteger multiplier) {
        ChainAsset found = asset(asset);
        if (found.kind() != AssetKind.SHARES || multiplier.equals(XStockToken.ONE)) {
            return toEngine(asset, chainUnits);
        }
        return chainUnits.multiply(multiplier).divide(k(found)).longValueExact();
    }

    /** {@code ⌊engineUnits × k / m⌋}: the shares {@code engineUnits} of the xStock {@code asset} are worth at {@code m}. */
    public BigInteger shares(int asset, long engineUnits, BigInteger m) {
        return BigInteger.valueOf(engineUnits).multiply(k(asset(asset))).divide(m);
    }

    /** {@code ⌈engineUnits × k / m⌉}. */
    private BigInteger sharesUp(int asset, long engineUnits, BigInteger m) {
        BigInteger[] qr = BigInteger.valueOf(engineUnits).multiply(k(asset(asset))).divideAndRemainder(m);
        return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    }

    /** Token base units per engine unit times 10^18: shares per engine unit at multiplier 10^18, in fixed point. */
    private static BigInteger k(ChainAsset asset) {
        return asset.scale().multiply(XStockToken.ONE);
    }

    private ChainAsset asset(int asset) {
        ChainAsset found = assets.get(asset);
        if (found == null) {
            throw new IllegalArgumentException("no asset " + asset + " on this chain");
        }
        return found;
    }
}
