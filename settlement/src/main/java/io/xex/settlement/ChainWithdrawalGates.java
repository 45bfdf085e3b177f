package io.xex.settlement;

import io.vertx.core.Future;
import io.xex.runtime.wallet.WithdrawalGate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Settlement's {@link WithdrawalGate} with several chains: asks the {@link VaultWithdrawalGate} of the chain that
 * settles the asset, each with its own worker, vault and cache of addresses (an account's address is per vault).
 *
 * <p>Immutable; {@link #check} is called from any context and answered on the caller's.
 */
final class ChainWithdrawalGates implements WithdrawalGate {
    /** By engine asset id. */
    private final Map<Integer, VaultWithdrawalGate> byAsset;

    ChainWithdrawalGates(Map<Integer, VaultWithdrawalGate> byAsset) {
        this.byAsset = Map.copyOf(byAsset);
    }

    /** A router over {@code gates}, one per chain of {@code chains} (same order). */
    static ChainWithdrawalGates of(List<SettlementConfig> chains, List<VaultWithdrawalGate> gates) {
        Map<Integer, VaultWithdrawalGate> byAsset = new HashMap<>();
        for (int i = 0; i < chains.size(); i++) {
            for (SettlementConfig.ChainAsset asset : chains.get(i).assets()) {
                byAsset.put(asset.assetId(), gates.get(i));
            }
        }
        return new ChainWithdrawalGates(byAsset);
    }

    @Override
    public Future<Decision> check(long accountId, int assetId) {
        VaultWithdrawalGate gate = byAsset.get(assetId);
        if (gate == null) {
            return Future.succeededFuture(new Decision.Refused(Reason.UNAVAILABLE,
                "asset " + assetId + " settles on no chain"));
        }
        return gate.check(accountId, assetId);
    }
}
