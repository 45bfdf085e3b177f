package io.xex.settlement.netting;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one batch of durable results moves, netted per account and asset: the value a batch is recorded,
 * encoded and settled as. Equal batches are equal values and list their legs in the same order, so they encode
 * identically every time.
 *
 * <p>Checked when constructed (a violation is a bug, or a corrupted record): both lists sorted by
 * {@link Leg#ORDER} with one leg per account and asset, the transfers of every asset adding up to zero, every
 * withdrawal positive.
 *
 * @param firstSequence the sequence of the first result netted
 * @param lastSequence  the sequence of the last; the batch is every result from the first to the last
 * @param transfers     what trades and their fees moved between accounts, the fee account included
 * @param withdrawals   what accepted withdrawals debited, to be paid out of the vault
 */
public record NetMovements(long firstSequence, long lastSequence, List<Leg> transfers, List<Leg> withdrawals) {
    public NetMovements {
        transfers = List.copyOf(transfers);
        withdrawals = List.copyOf(withdrawals);
        if (firstSequence <= 0 || lastSequence < firstSequence) {
            throw new IllegalArgumentException("sequences " + firstSequence + ".." + lastSequence + " are no batch");
        }
        checkSorted("transfers", transfers);
        checkSorted("withdrawals", withdrawals);
        Map<Integer, Long> sums = new TreeMap<>();
        for (Leg leg : transfers) {
            sums.merge(leg.asset(), leg.amount(), Math::addExact);
        }
        sums.forEach((asset, sum) -> {
            if (sum != 0) {
                throw new IllegalArgumentException("transfers of asset " + asset + " add up to " + sum + ", not 0");
            }
        });
        for (Leg leg : withdrawals) {
            if (leg.amount() < 0) {
                throw new IllegalArgumentException("a negative withdrawal: " + leg);
            }
        }
    }

    /** Whether the batch moves nothing on chain: no transfer and no withdrawal. */
    public boolean isEmpty() {
        return transfers.isEmpty() && withdrawals.isEmpty();
    }

    /**
     * This batch's movements of {@code assets} only: what a chain that holds those assets settles. The same sequences
     * (the batch still covers every result from the first to the last), so a batch with nothing for that chain only
     * moves its cursor; still zero-sum per asset, since every asset's transfers are kept or dropped together.
     */
    public NetMovements only(Set<Integer> assets) {
        return new NetMovements(firstSequence, lastSequence,
            transfers.stream().filter(leg -> assets.contains(leg.asset())).toList(),
            withdrawals.stream().filter(leg -> assets.contains(leg.asset())).toList());
    }

    private static void checkSorted(String what, List<Leg> legs) {
        for (int i = 1; i < legs.size(); i++) {
            if (Leg.ORDER.compare(legs.get(i - 1), legs.get(i)) >= 0) {
                throw new IllegalArgumentException(what + " not sorted by account and asset, or with two legs for one: "
                    + legs.get(i - 1) + " then " + legs.get(i));
            }
        }
    }
}
