package io.xex.runtime.wallet;

import io.vertx.core.Future;

/**
 * Whether an account may withdraw now, and to where. A withdrawal debits the engine at once and is paid by the next
 * settlement batch to the account's whitelisted address; the vault refuses a whole batch that holds a withdrawal of
 * an account without one, so a gateway asks here before it submits a {@code Withdraw} command and submits only on
 * {@link Decision.Allowed}.
 *
 * <p>{@link #check} may be called from any context; the answer arrives on the caller's context. A refusal is an
 * expected outcome and a value, never a failed future (a failed one is a bug).
 */
@FunctionalInterface
public interface WithdrawalGate {
    /** The gate of a venue that does not settle: every withdrawal is refused. */
    WithdrawalGate NO_SETTLEMENT = (accountId, assetId) -> Future.succeededFuture(
        new Decision.Refused(Reason.UNAVAILABLE, "withdrawals need settlement: settlement.enabled is false"));

    /** Why a withdrawal is refused. */
    enum Reason {
        /** Withdrawals cannot be paid now: the venue does not settle, or its chain cannot be read (try again). */
        UNAVAILABLE,
        /** The account has no whitelisted withdrawal address on the asset's vault (the operator sets it). */
        NO_ADDRESS
    }

    /** The gate's answer for one account and asset. */
    sealed interface Decision {
        /** The account may withdraw; {@code address} is its whitelisted address as read (0x and 40 hex digits). */
        record Allowed(String address) implements Decision {
        }

        /** The account may not withdraw now; {@code detail} says why, for the client. */
        record Refused(Reason reason, String detail) implements Decision {
        }
    }

    /**
     * Whether {@code accountId} may withdraw the engine's asset {@code assetId}, and to which address: the vault asked
     * is the one of the chain that settles the asset.
     */
    Future<Decision> check(long accountId, int assetId);
}
