package io.xex.protocol.client;

import java.util.Arrays;
import java.util.Objects;

/**
 * A {@link BinaryClient}'s settings, validated when built.
 *
 * @param host                where the binary gateway listens
 * @param port                its port ({@value #DEFAULT_PORT} by default on the server)
 * @param uuid                the session id, chosen by the client, never 0; keep it (with the last seqNo
 *                            delivered) to resume the session after a restart
 * @param accessKeyId         the id of an HMAC API key (at most 40 ASCII characters)
 * @param secret              the key's secret, the HMAC-SHA256 key; copied in and out
 * @param cancelOnDisconnect  whether the server cancels the session's live orders when it stays away longer
 *                            than {@code codGraceMs}; asked at Negotiate only
 * @param codGraceMs          the cancel-on-disconnect grace window, 0 to {@value #MAX_COD_GRACE_MS}
 * @param keepAliveIntervalMs asked at Establish, {@value #MIN_KEEP_ALIVE_INTERVAL_MS} to
 *                            {@value #MAX_KEEP_ALIVE_INTERVAL_MS}: a heartbeat after this long without sending,
 *                            the connection given up after twice this long without receiving
 * @param connectTimeoutMs    how long the TCP connect, and then the server's answers to Negotiate and
 *                            Establish, may take
 * @param batching            false: every send is written at once; true: sends made in one event-loop turn
 *                            are written together at its end (or at {@link BinaryClient#flush()})
 */
public record BinaryClientConfig(String host, int port, long uuid, String accessKeyId, byte[] secret,
                                 boolean cancelOnDisconnect, long codGraceMs, long keepAliveIntervalMs,
                                 long connectTimeoutMs, boolean batching) {
    public static final int DEFAULT_PORT = 7070;
    public static final long DEFAULT_COD_GRACE_MS = 5_000;
    public static final long MAX_COD_GRACE_MS = 60_000;
    public static final long DEFAULT_KEEP_ALIVE_INTERVAL_MS = 5_000;
    public static final long MIN_KEEP_ALIVE_INTERVAL_MS = 1_000;
    public static final long MAX_KEEP_ALIVE_INTERVAL_MS = 60_000;
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
    public static final int MAX_ACCESS_KEY_ID_LENGTH = 40;

    public BinaryClientConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host is empty");
        }
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (uuid == 0) {
            throw new IllegalArgumentException("uuid must not be 0");
        }
        if (accessKeyId == null || accessKeyId.isEmpty() || accessKeyId.length() > MAX_ACCESS_KEY_ID_LENGTH
            || !accessKeyId.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            throw new IllegalArgumentException("accessKeyId must be 1 to 40 printable ASCII characters: " + accessKeyId);
        }
        if (secret == null || secret.length == 0) {
            throw new IllegalArgumentException("secret is empty");
        }
        secret = secret.clone();
        if (codGraceMs < 0 || codGraceMs > MAX_COD_GRACE_MS) {
            throw new IllegalArgumentException("codGraceMs out of range: " + codGraceMs);
        }
        if (keepAliveIntervalMs < MIN_KEEP_ALIVE_INTERVAL_MS || keepAliveIntervalMs > MAX_KEEP_ALIVE_INTERVAL_MS) {
            throw new IllegalArgumentException("keepAliveIntervalMs out of range: " + keepAliveIntervalMs);
        }
        if (connectTimeoutMs < 1 || connectTimeoutMs > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("connectTimeoutMs out of range: " + connectTimeoutMs);
        }
    }

    /** With the defaults: cancel-on-disconnect on with a 5 s grace, 5 s keep-alive, 5 s connect timeout, no batching. */
    public static BinaryClientConfig of(String host, int port, long uuid, String accessKeyId, byte[] secret) {
        return new BinaryClientConfig(host, port, uuid, accessKeyId, secret, true, DEFAULT_COD_GRACE_MS,
            DEFAULT_KEEP_ALIVE_INTERVAL_MS, DEFAULT_CONNECT_TIMEOUT_MS, false);
    }

    public BinaryClientConfig withUuid(long uuid) {
        return new BinaryClientConfig(host, port, uuid, accessKeyId, secret, cancelOnDisconnect, codGraceMs,
            keepAliveIntervalMs, connectTimeoutMs, batching);
    }

    public BinaryClientConfig withCancelOnDisconnect(boolean cancelOnDisconnect, long codGraceMs) {
        return new BinaryClientConfig(host, port, uuid, accessKeyId, secret, cancelOnDisconnect, codGraceMs,
            keepAliveIntervalMs, connectTimeoutMs, batching);
    }

    public BinaryClientConfig withKeepAliveIntervalMs(long keepAliveIntervalMs) {
        return new BinaryClientConfig(host, port, uuid, accessKeyId, secret, cancelOnDisconnect, codGraceMs,
            keepAliveIntervalMs, connectTimeoutMs, batching);
    }

    public BinaryClientConfig withConnectTimeoutMs(long connectTimeoutMs) {
        return new BinaryClientConfig(host, port, uuid, accessKeyId, secret, cancelOnDisconnect, codGraceMs,
            keepAliveIntervalMs, connectTimeoutMs, batching);
    }

    public BinaryClientConfig withBatching(boolean batching) {
        return new BinaryClientConfig(host, port, uuid, accessKeyId, secret, cancelOnDisconnect, codGraceMs,
            keepAliveIntervalMs, connectTimeoutMs, batching);
    }

    /** A copy of the secret. */
    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof BinaryClientConfig that
            && host.equals(that.host) && port == that.port && uuid == that.uuid
            && accessKeyId.equals(that.accessKeyId) && Arrays.equals(secret, that.secret)
            && cancelOnDisconnect == that.cancelOnDisconnect && codGraceMs == that.codGraceMs
            && keepAliveIntervalMs == that.keepAliveIntervalMs && connectTimeoutMs == that.connectTimeoutMs
            && batching == that.batching;
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, uuid, accessKeyId, Arrays.hashCode(secret), cancelOnDisconnect, codGraceMs,
            keepAliveIntervalMs, connectTimeoutMs, batching);
    }

    /** Without the secret. */
    @Override
    public String toString() {
        return "BinaryClientConfig[host=" + host + ", port=" + port + ", uuid=" + Long.toUnsignedString(uuid)
            + ", accessKeyId=" + accessKeyId + ", cancelOnDisconnect=" + cancelOnDisconnect
            + ", codGraceMs=" + codGraceMs + ", keepAliveIntervalMs=" + keepAliveIntervalMs
            + ", connectTimeoutMs=" + connectTimeoutMs + ", batching=" + batching + "]";
    }
}
