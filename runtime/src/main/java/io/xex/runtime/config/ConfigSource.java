package io.xex.runtime.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The configuration as layered key-value pairs: the built-in defaults ({@code xex-defaults.properties},
 * which documents every key), then an optional file, then one environment variable per key
 * ({@code XEX_} + the key in upper case with {@code .} and {@code -} as {@code _}). Typed getters fail
 * with the key and where its value came from.
 *
 * <p>Immutable once built; safe to share.
 */
public final class ConfigSource {
    public static final String DEFAULTS_RESOURCE = "/xex-defaults.properties";
    public static final String ENV_PREFIX = "XEX_";

    private final Properties defaults;
    private final Properties file;
    private final Path filePath;
    private final Map<String, String> environment;

    private ConfigSource(Properties defaults, Properties file, Path filePath, Map<String, String> environment) {
        this.defaults = defaults;
        this.file = file;
        this.filePath = filePath;
        this.environment = Map.copyOf(environment);
    }

    /** The defaults, overridden by {@code file} (may be null) and then by {@code environment}. */
    public static ConfigSource load(Path file, Map<String, String> environment) {
        Properties defaults = new Properties();
        try (InputStream in = ConfigSource.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(DEFAULTS_RESOURCE + " missing from the classpath");
            }
            defaults.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULTS_RESOURCE, e);
        }
        Properties overrides = new Properties();
        if (file != null) {
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                overrides.load(reader);
            } catch (IOException e) {
                throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
            }
        }
        return new ConfigSource(defaults, overrides, file, environment);
    }

    /** The environment variable that overrides {@code key}. */
    public static String environmentName(String key) {
        return ENV_PREFIX + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The value of {@code key}, trimmed; empty when set to nothing; {@code null} when not set anywhere. */
    public String find(String key) {
        String env = environment.get(environmentName(key));
        if (env != null) {
            return env.trim();
        }
        String value = file.getProperty(key);
        if (value == null) {
            value = defaults.getProperty(key);
        }
        return value == null ? null : value.trim();
    }

    /** Where the value of {@code key} comes from, for error messages. */
    public String origin(String key) {
        if (environment.containsKey(environmentName(key))) {
            return "environment variable " + environmentName(key);
        }
        if (file.containsKey(key)) {
            return filePath.toString();
        }
        return defaults.containsKey(key) ? "built-in defaults" : "nowhere";
    }

    public String string(String key) {
        String value = find(key);
        if (value == null) {
            throw new ConfigException(key + " is not set (" + environmentName(key) + ")");
        }
        return value;
    }

    /** The value, or {@code null} when it is empty or not set. */
    public String optionalString(String key) {
        String value = find(key);
        return value == null || value.isEmpty() ? null : value;
    }

    public long longValue(String key, long min, long max) {
        String value = string(key);
        long n;
        try {
            n = Long.parseLong(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw invalid(key, value, "a whole number");
        }
        if (n < min || n > max) {
            throw invalid(key, value, "a whole number in " + min + ".." + max);
        }
        return n;
    }

    public int intValue(String key, int min, int max) {
        return (int) longValue(key, min, max);
    }

    public boolean bool(String key) {
        String value = string(key).toLowerCase(Locale.ROOT);
        return switch (value) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw invalid(key, value, "true or false");
        };
    }

    public BigDecimal decimal(String key) {
        String value = string(key);
        try {
            return new BigDecimal(value.replace("_", ""));
        } catch (NumberFormatException e) {
            throw invalid(key, value, "a decimal number");
        }
    }

    public ConfigException invalid(String key, String value, String expected) {
        return new ConfigException(key + " = '" + value + "' (from " + origin(key) + ") is not " + expected);
    }
}
