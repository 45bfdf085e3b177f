package io.xex.app;

import io.vertx.core.Future;
import io.xex.runtime.Venue;
import io.xex.runtime.config.ConfigSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the app's venue tests share: the configuration of a venue in a test folder on free ports, and engine reads. */
final class LocalVenue {
    private LocalVenue() {
    }

    /**
     * The defaults of {@code xex run} with the database and the local chain in {@code dir}, every port free, and
     * {@code more} environment settings ({@code XEX_...}) on top.
     */
    static ConfigSource config(Path dir, Map<String, String> more) {
        Map<String, String> env = new HashMap<>();
        env.put("XEX_DB_EMBEDDED_DIR", dir.resolve("pg").toString());
        env.put("XEX_SETTLEMENT_LOCALCHAIN_DIR", dir.resolve("anvil").toString());
        env.put("XEX_OPS_PORT", "0");
        env.put("XEX_GATEWAY_PORT", "0");
        env.put("XEX_BINARY_PORT", "0");
        env.putAll(more);
        return ConfigSource.load(null, env);
    }

    /** An account's available plus locked balance of an asset in the engine; 0 for an account it does not know. */
    static long balance(Venue venue, long account, int asset) {
        try {
            return await(venue.runtime().proxy().query(e -> e.hasAccount(account)
                ? e.available(account, asset) + e.locked(account, asset) : 0L)).value();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static <T> T await(Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(3, TimeUnit.MINUTES);
    }
}
