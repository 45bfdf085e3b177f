package io.xex.settlement.chain;

/**
 * A chain request that did not complete: the node unreachable or answering with an error, no receipt in time, or a
 * contract that reverted ({@link ContractRevertException}).
 */
public class ChainException extends Exception {
    private static final long serialVersionUID = 1L;

    public ChainException(String message) {
        super(message);
    }

    public ChainException(String message, Throwable cause) {
        super(message, cause);
    }
}
