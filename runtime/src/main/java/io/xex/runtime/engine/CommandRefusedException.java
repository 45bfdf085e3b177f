package io.xex.runtime.engine;

/** The cause of a submission's failed future when the runtime refused the command; carries no stack trace. */
public final class CommandRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Refusal refusal;

    CommandRefusedException(Refusal refusal) {
        super(refusal.code() + " " + refusal.text(), null, false, false);
        this.refusal = refusal;
    }

    public Refusal refusal() {
        return refusal;
    }
}
