package io.xex.protocol;

import io.xex.protocol.sbe.CancelOnDisconnect;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;

/**
 * The canonical strings that Negotiate and Establish sign, and the signature: HMAC-SHA256 under the API
 * key's secret over the UTF-8 bytes of the string, sent as the 32 raw bytes. Numbers are unsigned decimal
 * without leading zeros, lines end with a single {@code \n} and the last line has none, e.g.
 * <pre>
 * NEGOTIATE
 * 42
 * 1763683200000000000
 * demo-1
 * ON
 * 5000</pre>
 */
public final class SessionSigning {
    public static final int SIGNATURE_LENGTH = 32;

    private SessionSigning() {
    }

    public static String negotiate(long uuid, long requestTimestampNs, String accessKeyId,
                                   CancelOnDisconnect cancelOnDisconnect, long codGraceMs) {
        return "NEGOTIATE\n" + Long.toUnsignedString(uuid) + "\n" + Long.toUnsignedString(requestTimestampNs) + "\n"
            + accessKeyId + "\n" + cancelOnDisconnect.name() + "\n" + codGraceMs;
    }

    public static String establish(long uuid, long requestTimestampNs, String accessKeyId, long keepAliveIntervalMs) {
        return "ESTABLISH\n" + Long.toUnsignedString(uuid) + "\n" + Long.toUnsignedString(requestTimestampNs) + "\n"
            + accessKeyId + "\n" + keepAliveIntervalMs;
    }

    /** HMAC-SHA256 of {@code canonical} under {@code secret}: 32 bytes. */
    public static byte[] sign(byte[] secret, String canonical) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(canonical.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
