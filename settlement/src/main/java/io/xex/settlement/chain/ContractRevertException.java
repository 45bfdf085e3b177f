package io.xex.settlement.chain;

/**
 * A call, a gas estimate or a mined transaction that reverted. {@link #errorName()} is the custom error of one of
 * the xex contracts ({@code BatchIdNotIncreasing}, {@code NotZeroSum}, ...), {@code Error} for a revert string,
 * {@code Panic} for a failed assertion, or empty when the node gave no revert data (a mined transaction's receipt
 * has none).
 */
public final class ContractRevertException extends ChainException {
    private static final long serialVersionUID = 1L;

    private final String errorName;
    private final String revertData;

    public ContractRevertException(String message, String errorName, String revertData) {
        super(message);
        this.errorName = errorName;
        this.revertData = revertData;
    }

    /** The custom error's name, or empty if unknown. */
    public String errorName() {
        return errorName;
    }

    /** The raw revert data in hex with 0x, or empty. */
    public String revertData() {
        return revertData;
    }
}
