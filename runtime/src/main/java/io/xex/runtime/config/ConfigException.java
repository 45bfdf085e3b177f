package io.xex.runtime.config;

/** A configuration that cannot be used; the message names the key, its value and where it came from. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
