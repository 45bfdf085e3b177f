package io.xex.gateway.ws;

import io.vertx.core.json.JsonObject;
import io.xex.gateway.TestVenue;
import io.xex.gateway.WsClient;
import io.xex.gateway.auth.ApiKeyStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** session.logon over a real socket: HMAC and Ed25519 keys, and every way a logon is refused. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LogonIT {
    @TempDir
    static Path dir;
    static TestVenue venue;

    @BeforeAll
    static void start() throws Exception {
        venue = TestVenue.start(dir, Map.of());
    }

    @AfterAll
    static void stop() throws Exception {
        venue.close();
    }

    @Test
    void anHmacLogonActsForItsAccount() throws Exception {
        try (WsClient client = WsClient.connect(venue.port())) {
            JsonObject before = client.request("account.balances", new JsonObject());
            assertEquals(401, before.getInteger("status"));
            assertEquals(607, before.getJsonObject("error").getInteger("code"));

            JsonObject logon = client.logonHmac("demo-2", venue.demoSecret(2), System.currentTimeMillis());

            assertEquals(200, logon.getInteger("status"), logon.encode());
            assertEquals(2L, logon.getJsonObject("result").getLong("accountId"));
            JsonObject balances = client.request("account.balances", new JsonObject());
            assertEquals(200, balances.getInteger("status"), balances.encode());
            assertEquals("1000000.000000", balances.getJsonObject("result").getJsonArray("balances")
                .getJsonObject(0).getString("available"));
            assertEquals(608, client.logonHmac("demo-2", venue.demoSecret(2), System.currentTimeMillis() + 1)
                .getJsonObject("error").getInteger("code"));
        }
    }

    @Test
    void anEd25519LogonActsForItsAccount() throws Exception {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] encoded = pair.getPublic().getEncoded();
        byte[] raw = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        TestVenue.await(venue.gateway.keys().add("ed-3", 3, ApiKeyStore.Kind.ED25519, HexFormat.of().formatHex(raw), "test"));
        Map<String, String> params = new TreeMap<>();
        params.put("apiKey", "ed-3");
        params.put("timestamp", Long.toString(System.currentTimeMillis()));
        params.put("recvWindow", "10000");
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(pair.getPrivate());
        signer.update(io.xex.gateway.auth.CanonicalParameters.of(params).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        params.put("signature", Base64.getEncoder().encodeToString(signer.sign()));
        JsonObject request = new JsonObject();
        params.forEach(request::put);

        try (WsClient client = WsClient.connect(venue.port())) {
            JsonObject logon = client.request("session.logon", request);

            assertEquals(200, logon.getInteger("status"), logon.encode());
            assertEquals(3L, logon.getJsonObject("result").getLong("accountId"));
        }
    }

    @Test
    void aBadSignatureIsRefused() throws Exception {
        try (WsClient client = WsClient.connect(venue.port())) {
            JsonObject logon = client.logonHmac("demo-1", "not-the-secret-of-demo-1", System.currentTimeMillis());

            assertError(logon, 401, 603);
            assertError(client.request("order.cancelAll", new JsonObject()), 401, 607);
        }
    }

    @Test
    void aStaleTimestampIsRefused() throws Exception {
        try (WsClient client = WsClient.connect(venue.port())) {
            assertError(client.logonHmac("demo-1", venue.demoSecret(1), System.currentTimeMillis() - 6_000), 401, 604);
            assertError(client.logonHmac("demo-1", venue.demoSecret(1), System.currentTimeMillis() + 60_000), 401, 604);
        }
    }

    @Test
    void anUnknownKeyIsRefused() throws Exception {
        try (WsClient client = WsClient.connect(venue.port())) {
            assertError(client.logonHmac("no-such-key", venue.demoSecret(1), System.currentTimeMillis()), 401, 602);
        }
    }

    @Test
    void aReplayedLogonIsRefusedOnAnotherConnection() throws Exception {
        JsonObject signed = WsClient.signedHmac("demo-1", venue.demoSecret(1), System.currentTimeMillis(), Map.of());
        try (WsClient first = WsClient.connect(venue.port()); WsClient second = WsClient.connect(venue.port())) {
            assertEquals(200, first.request("session.logon", signed).getInteger("status"));

            assertError(second.request("session.logon", signed), 401, 606);
        }
    }

    @Test
    void aMissingParameterIsNamed() throws Exception {
        try (WsClient client = WsClient.connect(venue.port())) {
            JsonObject logon = client.request("session.logon", new JsonObject().put("apiKey", "demo-1"));
            assertError(logon, 401, 601);
            assertNotNull(logon.getJsonObject("error").getString("detail"));
        }
    }

    static void assertError(JsonObject response, int status, int code) {
        assertEquals(status, response.getInteger("status"), response.encode());
        assertEquals(code, response.getJsonObject("error").getInteger("code"), response.encode());
    }
}
