package io.xex.gateway.auth;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * API keys in PostgreSQL (table {@code api_keys}), held in memory for the authenticator: loaded at start,
 * added to when a key is created through this store. An HMAC key's secret is stored as text (its UTF-8
 * bytes are the secret); an Ed25519 key's public key as 64 hex digits.
 *
 * <p>Thread-safe.
 */
public final class ApiKeyStore {
    public enum Kind { HMAC_SHA256, ED25519 }

    /** A key as created: what its owner needs to sign requests. */
    public record Created(String keyId, long accountId, Kind kind, String secret) {
    }

    private final Pool pool;
    private final Map<String, ApiKey> keys = new ConcurrentHashMap<>();

    public ApiKeyStore(Pool pool) {
        this.pool = pool;
    }

    /** Loads every key. */
    public Future<Integer> load() {
        return pool.query("SELECT key_id, account_id, kind, secret FROM api_keys").execute().map(rows -> {
            for (Row row : rows) {
                keys.put(row.getString("key_id"), key(row.getString("key_id"), row.getLong("account_id"),
                    Kind.valueOf(row.getString("kind")), row.getString("secret")));
            }
            return keys.size();
        });
    }

    /** The key with this id, or {@code null}. */
    public ApiKey find(String keyId) {
        return keyId == null ? null : keys.get(keyId);
    }

    /** The HMAC keys of an account, as created (to print for the demo). */
    public Future<List<Created>> hmacKeysOf(long accountId) {
        return pool.preparedQuery("SELECT key_id, secret FROM api_keys WHERE account_id = $1 AND kind = 'HMAC_SHA256'"
                + " ORDER BY created_at, key_id")
            .execute(Tuple.of(accountId))
            .map(rows -> {
                List<Created> out = new java.util.ArrayList<>();
                for (Row row : rows) {
                    out.add(new Created(row.getString("key_id"), accountId, Kind.HMAC_SHA256, row.getString("secret")));
                }
                return out;
            });
    }

    /**
     * Stores a key: for HMAC {@code secret} is the shared secret (at least 16 characters), for Ed25519 the
     * 32-byte public key in hex or base64.
     */
    public Future<Created> add(String keyId, long accountId, Kind kind, String secret, String label) {
        ApiKey key;
        try {
            key = key(keyId, accountId, kind, secret);
        } catch (IllegalArgumentException e) {
            return Future.failedFuture(e);
        }
        String stored = kind == Kind.ED25519 ? HexFormat.of().formatHex(publicKeyBytes(secret)) : secret;
        return pool.preparedQuery("INSERT INTO api_keys (key_id, account_id, kind, secret, label) VALUES ($1, $2, $3, $4, $5)")
            .execute(Tuple.of(keyId, accountId, kind.name(), stored, label))
            .map(rows -> {
                keys.put(keyId, key);
                return new Created(keyId, accountId, kind, secret);
            });
    }

    private static ApiKey key(String keyId, long accountId, Kind kind, String secret) {
        return switch (kind) {
            case HMAC_SHA256 -> new ApiKey.Hmac(keyId, accountId, secret.getBytes(StandardCharsets.UTF_8));
            case ED25519 -> new ApiKey.Ed25519(keyId, accountId, ApiKey.Ed25519.publicKey(publicKeyBytes(secret)));
        };
    }

    private static byte[] publicKeyBytes(String text) {
        if (text.length() == 64) {
            try {
                return HexFormat.of().parseHex(text);
            } catch (IllegalArgumentException e) {
                // not hex: try base64
            }
        }
        return Base64.getDecoder().decode(text);
    }
}
