package io.xex.gateway.auth;

import io.xex.gateway.GatewayError;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthenticatorTest {
    /** RFC 8032 §7.1, test 1: secret key, public key, and the signature of the empty message. */
    static final byte[] RFC8032_SECRET = HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
    static final byte[] RFC8032_PUBLIC = HexFormat.of().parseHex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    static final String RFC8032_EMPTY_SIGNATURE = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b";

    static final byte[] HMAC_SECRET = "xex-demo-secret-0123456789".getBytes(StandardCharsets.US_ASCII);
    static final long NOW = 1_795_300_000_000L;

    private long clock = NOW;
    private final ApiKey hmac = new ApiKey.Hmac("hmac-key", 7, HMAC_SECRET);
    private final ApiKey ed25519 = new ApiKey.Ed25519("ed-key", 8, ApiKey.Ed25519.publicKey(RFC8032_PUBLIC));
    private final Authenticator authenticator = new Authenticator(
        id -> switch (id) {
            case "hmac-key" -> hmac;
            case "ed-key" -> ed25519;
            default -> null;
        }, () -> clock);

    @Test
    void hmacIsRfc4231() {
        // RFC 4231 test case 2
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            ApiKey.Hmac.sign("Jefe".getBytes(StandardCharsets.US_ASCII), "what do ya want for nothing?"));
    }

    @Test
    void anEd25519PublicKeyFromItsRawBytesVerifiesRfc8032() {
        String signature = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(RFC8032_EMPTY_SIGNATURE));
        assertTrue(ed25519.verifies("", signature));
        assertFalse(ed25519.verifies("x", signature));
        assertFalse(ed25519.verifies("", "not base64!"));
        assertFalse(ed25519.verifies("", Base64.getEncoder().encodeToString(new byte[63])));
    }

    @Test
    void theCanonicalStringSortsByNameLeavesOutTheSignatureAndKeepsValuesAsSent() {
        Map<String, String> parameters = Map.of("timestamp", "1795300000000", "apiKey", "k1", "recvWindow", "5000",
            "signature", "abc", "Zeta", "a b&c");
        assertEquals("Zeta=a b&c&apiKey=k1&recvWindow=5000&timestamp=1795300000000", CanonicalParameters.of(parameters));
    }

    @Test
    void aLogonSignedWithHmacIsAcceptedForItsAccount() {
        Map<String, String> logon = hmacLogon(NOW - 1_000, "5000");
        assertEquals(new Authenticator.Result.Authenticated(7, "hmac-key"), authenticator.authenticate(logon));
    }

    @Test
    void aLogonSignedWithEd25519IsAcceptedForItsAccount() throws GeneralSecurityException {
        Map<String, String> logon = ed25519Logon(NOW);
        assertEquals(new Authenticator.Result.Authenticated(8, "ed-key"), authenticator.authenticate(logon));
    }

    @Test
    void aTamperedRequestOrAnotherKeysSignatureIsRefused() throws GeneralSecurityException {
        Map<String, String> logon = hmacLogon(NOW, null);
        logon.put("timestamp", Long.toString(NOW - 1));
        assertRefused(GatewayError.AUTH_INVALID_SIGNATURE, logon);
        Map<String, String> swapped = ed25519Logon(NOW);
        swapped.put("apiKey", "hmac-key");
        assertRefused(GatewayError.AUTH_INVALID_SIGNATURE, swapped);
    }

    @Test
    void anUnknownKeyIsRefused() {
        Map<String, String> logon = hmacLogon(NOW, null);
        logon.put("apiKey", "nobody");
        assertRefused(GatewayError.AUTH_UNKNOWN_API_KEY, logon);
    }

    @Test
    void timestampsOutsideTheWindowAreRefused() {
        assertRefused(GatewayError.AUTH_TIMESTAMP_OUTSIDE_RECV_WINDOW, hmacLogon(NOW - 5_001, null));
        assertRefused(GatewayError.AUTH_TIMESTAMP_OUTSIDE_RECV_WINDOW, hmacLogon(NOW - 20_001, "20000"));
        assertRefused(GatewayError.AUTH_TIMESTAMP_OUTSIDE_RECV_WINDOW, hmacLogon(NOW + Authenticator.CLOCK_SKEW_MS + 1, null));
        Map<String, String> garbled = hmacLogon(NOW, null);
        garbled.put("timestamp", "yesterday");
        assertRefused(GatewayError.AUTH_TIMESTAMP_OUTSIDE_RECV_WINDOW, garbled);
        assertTrue(authenticator.authenticate(hmacLogon(NOW - 5_000, null)) instanceof Authenticator.Result.Authenticated);
        assertTrue(authenticator.authenticate(hmacLogon(NOW - 60_000, "60000")) instanceof Authenticator.Result.Authenticated);
    }

    @Test
    void theReceiveWindowIsAWholeNumberOfMillisecondsUpToAMinute() {
        assertRefused(GatewayError.AUTH_INVALID_RECV_WINDOW, hmacLogon(NOW, "0"));
        assertRefused(GatewayError.AUTH_INVALID_RECV_WINDOW, hmacLogon(NOW, "60001"));
        assertRefused(GatewayError.AUTH_INVALID_RECV_WINDOW, hmacLogon(NOW, "5s"));
    }

    @Test
    void missingParametersAreRefused() {
        for (String name : new String[] {"apiKey", "timestamp", "signature"}) {
            Map<String, String> logon = hmacLogon(NOW, null);
            logon.remove(name);
            assertRefused(GatewayError.AUTH_MISSING_PARAMETER, logon);
        }
    }

    @Test
    void theSameSignedRequestIsAcceptedOnceAndForgottenWhenItsWindowHasPassed() {
        Map<String, String> logon = hmacLogon(NOW, null);
        assertTrue(authenticator.authenticate(logon) instanceof Authenticator.Result.Authenticated);
        clock += 4_000;
        assertRefused(GatewayError.AUTH_REPLAYED_REQUEST, logon);
        assertEquals(1, authenticator.remembered());
        clock += 1_001;
        assertRefused(GatewayError.AUTH_TIMESTAMP_OUTSIDE_RECV_WINDOW, logon);
        assertEquals(0, authenticator.remembered(), "nothing kept past the window");
    }

    @Test
    void refusalsCarryStableCodes() {
        assertEquals(601, GatewayError.AUTH_MISSING_PARAMETER.code());
        assertEquals(602, GatewayError.AUTH_UNKNOWN_API_KEY.code());
        assertEquals(603, GatewayError.AUTH_INVALID_SIGNATURE.code());
        assertEquals(604, GatewayError.AUTH_TIMESTAMP_OUTSIDE_RECV_WINDOW.code());
        assertEquals(605, GatewayError.AUTH_INVALID_RECV_WINDOW.code());
        assertEquals(606, GatewayError.AUTH_REPLAYED_REQUEST.code());
    }

    private void assertRefused(GatewayError error, Map<String, String> parameters) {
        Authenticator.Result result = authenticator.authenticate(parameters);
        assertTrue(result instanceof Authenticator.Result.Refused refused && refused.error() == error,
            "expected " + error + ", got " + result);
    }

    private static Map<String, String> hmacLogon(long timestamp, String recvWindow) {
        Map<String, String> logon = new HashMap<>();
        logon.put("apiKey", "hmac-key");
        logon.put("timestamp", Long.toString(timestamp));
        if (recvWindow != null) {
            logon.put("recvWindow", recvWindow);
        }
        logon.put("signature", ApiKey.Hmac.sign(HMAC_SECRET, CanonicalParameters.of(logon)));
        return logon;
    }

    /** Signed by the client's way: the RFC 8032 secret key through the JDK's own Ed25519. */
    static Map<String, String> ed25519Logon(long timestamp) throws GeneralSecurityException {
        Map<String, String> logon = new HashMap<>();
        logon.put("apiKey", "ed-key");
        logon.put("timestamp", Long.toString(timestamp));
        PrivateKey key = KeyFactory.getInstance("Ed25519")
            .generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, RFC8032_SECRET));
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(key);
        signer.update(CanonicalParameters.of(logon).getBytes(StandardCharsets.UTF_8));
        logon.put("signature", Base64.getEncoder().encodeToString(signer.sign()));
        return logon;
    }
}
