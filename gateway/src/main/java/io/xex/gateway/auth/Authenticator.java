package io.xex.gateway.auth;

import io.xex.gateway.GatewayError;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * Checks a signed request such as {@code session.logon}: parameters {@code apiKey}, {@code timestamp}
 * (milliseconds since the epoch), optional {@code recvWindow} (milliseconds, default 5,000, at most
 * 60,000) and {@code signature} over {@link CanonicalParameters} with the key's method (HMAC-SHA256 or
 * Ed25519). A request is accepted when its key is known, its signature verifies, its timestamp is no more
 * than {@value #CLOCK_SKEW_MS} ms ahead of the venue's clock and no more than {@code recvWindow} behind it,
 * and the same signed request has not been accepted before (a replay within its window is refused; after
 * the window the timestamp refuses it anyway).
 *
 * <p>Confined to one event-loop context; not thread-safe. The clock is injected.
 */
public final class Authenticator {
    public static final long DEFAULT_RECV_WINDOW_MS = 5_000;
    public static final long MAX_RECV_WINDOW_MS = 60_000;
    /** How far a client's clock may run ahead of the venue's. */
    public static final long CLOCK_SKEW_MS = 1_000;

    /** The outcome: the account a request acts for, or why it was refused. */
    public sealed interface Result {
        record Authenticated(long accountId, String keyId) implements Result {
        }

        record Refused(GatewayError error, String detail) implements Result {
        }
    }

    private record Seen(String signature, long expiresAtMs) {
    }

    private final Function<String, ApiKey> keys;
    private final LongSupplier clockMs;
    private final Set<String> seen = new HashSet<>();
    private final ArrayDeque<Seen> expiries = new ArrayDeque<>();

    /** {@code keys} returns the key with an id, or {@code null}. */
    public Authenticator(Function<String, ApiKey> keys, LongSupplier clockMs) {
        this.keys = keys;
        this.clockMs = clockMs;
    }

    public Result authenticate(Map<String, String> parameters) {
        long now = clockMs.getAsLong();
        forgetExpired(now);
        String keyId = parameters.get("apiKey");
        String timestampText = parameters.get("timestamp");
        String signature = parameters.get(CanonicalParameters.SIGNATURE);
        if (keyId == null || timestampText == null || signature == null) {
            return refused(GatewayError.AUTH_MISSING_PARAMETER, "apiKey, timestamp and signature are required");
        }
        long recvWindow = DEFAULT_RECV_WINDOW_MS;
        String recvWindowText = parameters.get("recvWindow");
        if (recvWindowText != null) {
            recvWindow = parseLong(recvWindowText);
            if (recvWindow < 1 || recvWindow > MAX_RECV_WINDOW_MS) {
                return refused(GatewayError.AUTH_INVALID_RECV_WINDOW, "recvWindow=" + recvWindowText);
            }
        }
        long timestamp = parseLong(timestampText);
        if (timestamp == Long.MIN_VALUE || timestamp > now + CLOCK_SKEW_MS || now - timestamp > recvWindow) {
            return refused(GatewayError.AUTH_TIMESTAMP_OUTSIDE_RECV_WINDOW,
                "timestamp " + timestampText + ", server time " + now + ", recvWindow " + recvWindow);
        }
        ApiKey key = keys.apply(keyId);
        if (key == null) {
            return refused(GatewayError.AUTH_UNKNOWN_API_KEY, "apiKey " + keyId);
        }
        if (!key.verifies(CanonicalParameters.of(parameters), signature)) {
            return refused(GatewayError.AUTH_INVALID_SIGNATURE, "over " + CanonicalParameters.of(parameters));
        }
        String replayKey = keyId + ' ' + signature;
        if (!seen.add(replayKey)) {
            return refused(GatewayError.AUTH_REPLAYED_REQUEST, "apiKey " + keyId + ", timestamp " + timestampText);
        }
        expiries.add(new Seen(replayKey, timestamp + recvWindow + 1));
        return new Result.Authenticated(key.accountId(), keyId);
    }

    /** Requests remembered against replay; they are forgotten once their timestamp alone would refuse them. */
    int remembered() {
        return seen.size();
    }

    /**
     * Forgets requests from the front of the arrival order while their windows have passed. Windows differ,
     * so a request can outlive its window behind a longer one, by at most {@code MAX_RECV_WINDOW_MS +
     * CLOCK_SKEW_MS}: memory stays bounded by about two minutes of logons.
     */
    private void forgetExpired(long now) {
        while (!expiries.isEmpty() && expiries.peekFirst().expiresAtMs() <= now) {
            seen.remove(expiries.pollFirst().signature());
        }
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    private static Result refused(GatewayError error, String detail) {
        return new Result.Refused(error, detail);
    }
}
