package io.xex.gateway.auth;

import java.util.Map;
import java.util.TreeMap;

/**
 * The string a request's signature covers: every parameter except {@code signature}, sorted by name
 * (ordinal, case-sensitive), written {@code name=value} and joined with {@code &}. Values are taken
 * exactly as sent, without any encoding: {@code apiKey=k1&recvWindow=5000&timestamp=1795300000000}.
 */
public final class CanonicalParameters {
    public static final String SIGNATURE = "signature";

    private CanonicalParameters() {
    }

    public static String of(Map<String, String> parameters) {
        StringBuilder canonical = new StringBuilder(128);
        for (Map.Entry<String, String> entry : new TreeMap<>(parameters).entrySet()) {
            if (entry.getKey().equals(SIGNATURE)) {
                continue;
            }
            if (!canonical.isEmpty()) {
                canonical.append('&');
            }
            canonical.append(entry.getKey()).append('=').append(entry.getValue());
        }
        return canonical.toString();
    }
}
