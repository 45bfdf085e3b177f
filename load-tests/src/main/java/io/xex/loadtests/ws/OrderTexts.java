package io.xex.loadtests.ws;

import io.xex.gateway.auth.ApiKey;
import io.xex.gateway.auth.CanonicalParameters;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The requests the harness sends, as ready texts: {@code order.place} LIMIT orders of {@value #QUANTITY}
 * {@value #SYMBOL} that never cross. A connection's orders alternate BUY and SELL; bids are 1..{@value #PRICE_STEPS}
 * ticks below the {@value #REFERENCE} reference, asks as far above (well inside the ±10% entry band), spread over the
 * levels. Two flows:
 *
 * <ul>
 *   <li>{@link Flow#IOC}: every order is IOC; nothing rests, so every order is accepted, finds nothing to match
 *       and expires: the book stays empty whatever the rate.</li>
 *   <li>{@link Flow#REST}: every order is GTC, with a {@code clientOrderId}, and rests; once a connection has placed
 *       more than a fixed number, each order is followed at once by an {@code order.cancel} of the one placed that
 *       many orders before it (by {@code clientOrderId}, so it need not wait for an acknowledgement): the book and
 *       the accounts' open orders stay bounded whatever the latency. Cancels are extra requests, outside the offered
 *       order rate; at the end of a run the harness cancels what is left ({@code order.cancelAll}).</li>
 * </ul>
 *
 * <p>Immutable.
 */
final class OrderTexts {
    enum Flow { IOC, REST }

    static final String SYMBOL = "TSLAx/USDT";
    static final String REFERENCE = "420.00";
    static final String QUANTITY = "0.100";
    static final int PRICE_STEPS = 100;
    private static final long REFERENCE_CENTS = 42_000;
    private static final String ID = "{\"id\":";
    private static final String PLACE = ",\"method\":\"order.place\",\"params\":{";

    private final Flow flow;
    private final String[] buys = new String[PRICE_STEPS];
    private final String[] sells = new String[PRICE_STEPS];

    OrderTexts(Flow flow) {
        this.flow = flow;
        String tif = flow == Flow.IOC ? "IOC" : "GTC";
        for (int step = 0; step < PRICE_STEPS; step++) {
            buys[step] = params("BUY", REFERENCE_CENTS - 1 - step, tif);
            sells[step] = params("SELL", REFERENCE_CENTS + 1 + step, tif);
        }
    }

    private static String params(String side, long cents, String tif) {
        return String.format(Locale.ROOT, "\"symbol\":\"%s\",\"side\":\"%s\",\"type\":\"LIMIT\",\"timeInForce\":\"%s\","
            + "\"price\":\"%d.%02d\",\"quantity\":\"%s\"}}", SYMBOL, side, tif, cents / 100, cents % 100, QUANTITY);
    }

    Flow flow() {
        return flow;
    }

    /** Request {@code id}, the {@code k}-th of its connection: BUY for even {@code k}, SELL for odd. */
    String place(long id, long k) {
        int step = Math.floorMod(id * 37, PRICE_STEPS);
        String params = (k & 1) == 0 ? buys[step] : sells[step];
        return flow == Flow.IOC ? ID + id + PLACE + params : ID + id + PLACE + "\"clientOrderId\":\"" + clientOrderId(id)
            + "\"," + params;
    }

    /** Request {@code id} cancels the order that request {@code placeId} placed ({@link Flow#REST}). */
    static String cancel(long id, long placeId) {
        return ID + id + ",\"method\":\"order.cancel\",\"params\":{\"clientOrderId\":\"" + clientOrderId(placeId)
            + "\"}}";
    }

    /** Cancels every open order of the account the connection is logged on as. */
    static String cancelAll(long id) {
        return ID + id + ",\"method\":\"order.cancelAll\",\"params\":{}}";
    }

    private static String clientOrderId(long placeId) {
        return "b" + placeId;
    }

    /** {@code session.logon} with an HMAC key, signed over the canonical {@code apiKey=…&timestamp=…}. */
    static String logon(long id, String keyId, String secret, long timestampMs) {
        Map<String, String> params = new TreeMap<>();
        params.put("apiKey", keyId);
        params.put("timestamp", Long.toString(timestampMs));
        String signature = ApiKey.Hmac.sign(secret.getBytes(StandardCharsets.UTF_8), CanonicalParameters.of(params));
        return ID + id + ",\"method\":\"session.logon\",\"params\":{\"apiKey\":\"" + keyId + "\",\"timestamp\":\""
            + timestampMs + "\",\"signature\":\"" + signature + "\"}}";
    }
}
