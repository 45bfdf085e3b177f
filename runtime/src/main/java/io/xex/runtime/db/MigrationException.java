package io.xex.runtime.db;

/**
 * The schema cannot be brought to this build's version: a migration was edited after it was applied, the
 * database is ahead of this build, or a migration failed. Fatal at start; the message says what to do.
 */
public final class MigrationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MigrationException(String message) {
        super(message, null, false, false);
    }

    public MigrationException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
