package io.xex.settlement;

import io.xex.settlement.chain.ChainException;

/**
 * The vault and the settlement table tell different stories: the vault settled a batch the database never recorded
 * (a database reset or restored against a used vault, or another venue settling to it), or the database holds a
 * CONFIRMED batch the vault has not settled (a chain reset under a kept database). Settling on would pay from
 * balances that are not what the engine thinks, so the chain's settlement stops until an operator decides.
 */
final class VaultMismatchException extends ChainException {
    private static final long serialVersionUID = 1L;

    VaultMismatchException(String message) {
        super(message);
    }
}
