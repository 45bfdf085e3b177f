package io.xex.settlement.netting;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where one batch of durable results leaves the accounts, in engine units: what converting the batch's movements
 * to the vault's shares at a multiplier other than 1 needs besides the movements themselves (see
 * {@code ChainUnits.convert}).
 *
 * <p>Checked when constructed: closing balances sorted by account and asset, one per account and asset, none
 * negative; deposits in the order the engine accepted them, each positive (an account may have several of one
 * asset, kept apart because each is rounded on its own).
 *
 * @param closing  for every account and asset with a balance change in the batch, its available plus locked
 *                 balance after the batch's last change
 * @param deposits every {@code Deposit} the engine accepted in the batch, as the account, asset and amount credited
 */
public record BatchPositions(List<Balance> closing, List<Leg> deposits) {
    private static final Comparator<Balance> ORDER = Comparator.comparingLong(Balance::accountId)
        .thenComparingInt(Balance::asset);

    /** An account's available plus locked balance of an asset, in engine units. */
    public record Balance(long accountId, int asset, long total) {
    }

    public BatchPositions {
        closing = List.copyOf(closing);
        deposits = List.copyOf(deposits);
        for (int i = 1; i < closing.size(); i++) {
            if (ORDER.compare(closing.get(i - 1), closing.get(i)) >= 0) {
                throw new IllegalArgumentException("closing balances not sorted, or two for one account and asset: "
                    + closing.get(i - 1) + " then " + closing.get(i));
            }
        }
        for (Balance balance : closing) {
            if (balance.total() < 0) {
                throw new IllegalArgumentException("a negative balance: " + balance);
            }
        }
        for (Leg leg : deposits) {
            if (leg.amount() < 0) {
                throw new IllegalArgumentException("a negative deposit: " + leg);
            }
        }
    }

    /** The account's balance of {@code asset} after the batch, if it changed in the batch. */
    public Optional<Long> closing(long accountId, int asset) {
        Balance key = new Balance(accountId, asset, 0);
        int low = 0;
        int high = closing.size() - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int compared = ORDER.compare(closing.get(middle), key);
            if (compared == 0) {
                return Optional.of(closing.get(middle).total());
            }
            if (compared < 0) {
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return Optional.empty();
    }

    /** The deposits of {@code asset}, by account, each account's in the order they were accepted. */
    public Map<Long, List<Long>> deposits(int asset) {
        return deposits.stream().filter(leg -> leg.asset() == asset).collect(Collectors.groupingBy(Leg::accountId,
            Collectors.mapping(Leg::amount, Collectors.toList())));
    }
}
