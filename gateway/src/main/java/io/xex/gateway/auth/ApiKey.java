package io.xex.gateway.auth;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An account's API key: its id, the account it acts for, and how its requests are signed.
 */
public sealed interface ApiKey {
    String keyId();

    long accountId();

    /** Whether {@code signature} is this key's signature of {@code canonical}; constant-time where it matters. */
    boolean verifies(String canonical, String signature);

    /** HMAC-SHA256 with a shared secret; the signature is 64 lower-case hex digits. */
    record Hmac(String keyId, long accountId, byte[] secret) implements ApiKey {
        public Hmac {
            Objects.requireNonNull(keyId, "keyId");
            secret = secret.clone();
            if (secret.length < 16) {
                throw new IllegalArgumentException("an HMAC secret needs at least 16 bytes");
            }
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }

        /** HMAC-SHA256 of {@code message} under {@code secret}, as lower-case hex. */
        public static String sign(byte[] secret, String message) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(secret, "HmacSHA256"));
                return HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 unavailable", e);
            }
        }

        @Override
        public boolean verifies(String canonical, String signature) {
            byte[] expected = sign(secret, canonical).getBytes(StandardCharsets.US_ASCII);
            return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** Ed25519 with the client's public key; the signature is the 64 bytes in standard base64. */
    record Ed25519(String keyId, long accountId, PublicKey publicKey) implements ApiKey {
        public Ed25519 {
            Objects.requireNonNull(keyId, "keyId");
            Objects.requireNonNull(publicKey, "publicKey");
        }

        /** A key from the 32 raw bytes of an Ed25519 public key (RFC 8032 §5.1.2 encoding). */
        public static PublicKey publicKey(byte[] raw) {
            if (raw.length != 32) {
                throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + raw.length);
            }
            byte[] y = new byte[32];
            for (int i = 0; i < 32; i++) {
                y[i] = raw[31 - i];
            }
            boolean xOdd = (y[0] & 0x80) != 0;
            y[0] &= 0x7f;
            try {
                return KeyFactory.getInstance("Ed25519")
                    .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, new EdECPoint(xOdd, new BigInteger(1, y))));
            } catch (GeneralSecurityException e) {
                throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
            }
        }

        @Override
        public boolean verifies(String canonical, String signature) {
            byte[] bytes;
            try {
                bytes = Base64.getDecoder().decode(signature);
            } catch (IllegalArgumentException e) {
                return false;
            }
            if (bytes.length != 64) {
                return false;
            }
            try {
                Signature verifier = Signature.getInstance("Ed25519");
                verifier.initVerify(publicKey);
                verifier.update(canonical.getBytes(StandardCharsets.UTF_8));
                return verifier.verify(bytes);
            } catch (GeneralSecurityException e) {
                return false;
            }
        }
    }
}
