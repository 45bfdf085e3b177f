package io.xex.gateway.ws;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xex.gateway.TestVenue;
import io.xex.gateway.WsClient;
import io.xex.runtime.wallet.WithdrawalGate;
import io.xex.runtime.wallet.WithdrawalGate.Decision;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code wallet.withdraw} over a real socket on the real engine and journal: an accepted withdrawal debits the
 * available balance at once and names the whitelisted address; every refusal (parameters, the engine's balance
 * check, the gate's answer) has its code and changes nothing. The gate stands for settlement's: account 1 has a
 * whitelisted address, account 2 has none, and account 3's chain cannot be read.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class WithdrawIT {
    static final String ALICE_ADDRESS = "0x00000000000000000000000000000000000a11ce";
    static final String UNREADABLE = "the settlement chain cannot be read, try again";
    static final WithdrawalGate GATE = (account, asset) -> Future.succeededFuture(switch ((int) account) {
        case 1 -> new Decision.Allowed(ALICE_ADDRESS);
        case 3 -> new Decision.Refused(WithdrawalGate.Reason.UNAVAILABLE, UNREADABLE);
        default -> new Decision.Refused(WithdrawalGate.Reason.NO_ADDRESS, "no address for account " + account);
    });

    @TempDir
    static Path dir;
    static TestVenue venue;

    @BeforeAll
    static void start() throws Exception {
        venue = TestVenue.start(dir, Map.of(), GATE);
    }

    @AfterAll
    static void stop() {
        venue.close();
    }

    @Test
    void anAcceptedWithdrawalDebitsTheAvailableBalanceAtOnce() throws Exception {
        try (WsClient client = loggedOn(venue, 1)) {
            JsonObject before = ok(client.request("account.balances", new JsonObject()));

            JsonObject usdt = ok(client.request("wallet.withdraw", withdraw("USDT", "250.5")));
            JsonObject tsla = ok(client.request("wallet.withdraw", withdraw("TSLAx", "0.00000001")));

            assertEquals("USDT", usdt.getString("asset"));
            assertEquals("250.500000", usdt.getString("amount"), "in the asset's units");
            assertEquals("accepted", usdt.getString("status"));
            assertEquals(ALICE_ADDRESS, usdt.getString("to"));
            assertEquals(usdt.getLong("withdrawalId"), usdt.getLong("updateId"), "the Withdraw command's sequence");
            assertEquals("0.00000001", tsla.getString("amount"));
            assertTrue(tsla.getLong("withdrawalId") > usdt.getLong("withdrawalId"));

            JsonObject after = ok(client.request("account.balances", new JsonObject()));
            assertTrue(after.getLong("updateId") >= tsla.getLong("withdrawalId"));
            assertEquals(available(before, "USDT").subtract(new BigDecimal("250.5")), available(after, "USDT"));
            assertEquals(available(before, "TSLAx").subtract(new BigDecimal("0.00000001")), available(after, "TSLAx"));
            assertEquals(available(before, "NVDAx"), available(after, "NVDAx"));
        }
    }

    @Test
    void badParametersAreRefusedAndChangeNothing() throws Exception {
        try (WsClient client = loggedOn(venue, 1)) {
            JsonObject before = ok(client.request("account.balances", new JsonObject()));

            JsonObject unknown = client.request("wallet.withdraw", withdraw("DOGE", "1"));
            assertError(unknown, 400, 116, "unknown asset");
            assertEquals("DOGE", unknown.getJsonObject("error").getString("detail"));

            assertEquals(708, code(client.request("wallet.withdraw", new JsonObject().put("amount", "1"))));
            assertEquals(708, code(client.request("wallet.withdraw", new JsonObject().put("asset", "USDT"))));
            for (String amount : new String[] {"0", "0.000000", "-1", "1.0000001", "1e3", " 1", "1,5", "abc", ""}) {
                JsonObject bad = client.request("wallet.withdraw", withdraw("USDT", amount));
                assertError(bad, 400, 703, "invalid parameter");
                assertEquals("amount: a positive multiple of 0.000001", bad.getJsonObject("error").getString("detail"),
                    amount);
            }
            JsonObject tooFine = client.request("wallet.withdraw", withdraw("TSLAx", "0.000000001"));
            assertEquals("amount: a positive multiple of 0.00000001",
                tooFine.getJsonObject("error").getString("detail"));
            JsonObject number = client.request("wallet.withdraw",
                new JsonObject().put("asset", "USDT").put("amount", 5));
            assertError(number, 400, 703, "invalid parameter");
            assertEquals("amount: decimal amounts are strings", number.getJsonObject("error").getString("detail"));

            JsonObject tooMuch = client.request("wallet.withdraw", withdraw("USDT", "999999999.000000"));
            assertError(tooMuch, 400, 201, "insufficient available balance");

            JsonObject after = ok(client.request("account.balances", new JsonObject()));
            assertEquals(before.getJsonArray("balances"), after.getJsonArray("balances"));
        }
    }

    @Test
    void theGatesRefusalsHaveTheirCodesAndChangeNothing() throws Exception {
        try (WsClient bob = loggedOn(venue, 2); WsClient carol = loggedOn(venue, 3)) {
            JsonObject bobBefore = ok(bob.request("account.balances", new JsonObject()));
            JsonObject carolBefore = ok(carol.request("account.balances", new JsonObject()));

            JsonObject noAddress = bob.request("wallet.withdraw", withdraw("USDT", "10"));
            assertError(noAddress, 400, 711, "no withdrawal address for this account");
            assertEquals("no address for account 2", noAddress.getJsonObject("error").getString("detail"));

            JsonObject unreadable = carol.request("wallet.withdraw", withdraw("USDT", "10"));
            assertError(unreadable, 503, 710, "withdrawals unavailable");
            assertEquals(UNREADABLE, unreadable.getJsonObject("error").getString("detail"));

            assertEquals(bobBefore.getJsonArray("balances"),
                ok(bob.request("account.balances", new JsonObject())).getJsonArray("balances"));
            assertEquals(carolBefore.getJsonArray("balances"),
                ok(carol.request("account.balances", new JsonObject())).getJsonArray("balances"));
        }
    }

    @Test
    void onlyALoggedOnConnectionMayWithdraw() throws Exception {
        try (WsClient anonymous = WsClient.connect(venue.port())) {
            assertError(anonymous.request("wallet.withdraw", withdraw("USDT", "1")), 401, 607,
                "log on first: this method acts for an account");
        }
    }

    @Test
    void aVenueWithoutSettlementRefusesEveryWithdrawal(@TempDir Path own) throws Exception {
        try (TestVenue plain = TestVenue.start(own, Map.of()); WsClient client = loggedOn(plain, 1)) {
            JsonObject refused = client.request("wallet.withdraw", withdraw("USDT", "1"));
            assertError(refused, 503, 710, "withdrawals unavailable");
            assertEquals("withdrawals need settlement: settlement.enabled is false",
                refused.getJsonObject("error").getString("detail"));
        }
    }

    private static WsClient loggedOn(TestVenue on, long account) throws Exception {
        WsClient client = WsClient.connect(on.port());
        JsonObject logon = client.logonHmac("demo-" + account, on.demoSecret(account), System.currentTimeMillis());
        assertEquals(200, logon.getInteger("status"), logon.encode());
        return client;
    }

    private static JsonObject ok(JsonObject response) {
        assertEquals(200, response.getInteger("status"), response.encode());
        return response.getJsonObject("result");
    }

    private static JsonObject withdraw(String asset, String amount) {
        return new JsonObject().put("asset", asset).put("amount", amount);
    }

    private static BigDecimal available(JsonObject balances, String asset) {
        JsonArray all = balances.getJsonArray("balances");
        for (int i = 0; i < all.size(); i++) {
            if (asset.equals(all.getJsonObject(i).getString("asset"))) {
                return new BigDecimal(all.getJsonObject(i).getString("available"));
            }
        }
        throw new AssertionError("no " + asset + " in " + balances.encode());
    }

    private static int code(JsonObject response) {
        return response.getJsonObject("error").getInteger("code");
    }

    private static void assertError(JsonObject response, int status, int code, String msg) {
        assertEquals(status, response.getInteger("status"), response.encode());
        assertEquals(code, code(response), response.encode());
        assertEquals(msg, response.getJsonObject("error").getString("msg"));
    }
}
