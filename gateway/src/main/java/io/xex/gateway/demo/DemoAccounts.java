package io.xex.gateway.demo;

import io.vertx.core.Future;
import io.xex.gateway.GatewayConfig;
import io.xex.gateway.Listings;
import io.xex.gateway.auth.ApiKeyStore;
import io.xex.matching.Command;
import io.xex.runtime.engine.EngineProxy;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Demo accounts 1..n for a newcomer's {@code xex run}: created through the journal like any account when
 * they do not exist yet, each funded with USDT and every xStock ({@link #deposits}), each with an HMAC API key (made
 * once, kept in the database, printed at every start). The funds go straight into the engine with
 * {@link GatewayConfig.DemoFunding#ENGINE}; with {@link GatewayConfig.DemoFunding#CHAIN} the accounts are only created
 * here and the same deposits come through the vault.
 */
public final class DemoAccounts {
    /** Demo accounts pay 2 bps as maker and 5 bps as taker. */
    static final int MAKER_FEE_BPS = 2;
    static final int TAKER_FEE_BPS = 5;

    private DemoAccounts() {
    }

    /** Creates what is missing; completes with one HMAC key per demo account. */
    public static Future<List<ApiKeyStore.Created>> ensure(GatewayConfig config, Listings listings, EngineProxy engine,
                                                           ApiKeyStore keys) {
        Future<List<ApiKeyStore.Created>> all = Future.succeededFuture(new ArrayList<>());
        for (long account = 1; account <= config.demoAccounts(); account++) {
            long id = account;
            all = all.compose(list -> ensureAccount(config, listings, engine, id)
                .compose(v -> ensureKey(keys, id))
                .map(key -> {
                    list.add(key);
                    return list;
                }));
        }
        return all;
    }

    private static Future<Void> ensureAccount(GatewayConfig config, Listings listings, EngineProxy engine, long id) {
        return engine.query(e -> e.hasAccount(id)).compose(exists -> {
            if (exists.value()) {
                return Future.succeededFuture();
            }
            Future<?> done = engine.submit(new Command.CreateAccount(id, MAKER_FEE_BPS, TAKER_FEE_BPS));
            if (config.demoFunding() == GatewayConfig.DemoFunding.ENGINE) {
                for (Command.Deposit deposit : deposits(config, listings, id)) {
                    done = done.compose(v -> engine.submit(deposit));
                }
            }
            return done.mapEmpty();
        });
    }

    /** What every demo account is given: USDT and each xStock, in engine units, account by account. */
    public static List<Command.Deposit> deposits(GatewayConfig config, Listings listings) {
        List<Command.Deposit> all = new ArrayList<>();
        for (long account = 1; account <= config.demoAccounts(); account++) {
            all.addAll(deposits(config, listings, account));
        }
        return all;
    }

    private static List<Command.Deposit> deposits(GatewayConfig config, Listings listings, long account) {
        List<Command.Deposit> deposits = new ArrayList<>();
        for (int asset = 0; asset < listings.assets().size(); asset++) {
            int a = asset;
            boolean quote = listings.all().stream().anyMatch(l -> l.spec().quoteAsset() == a);
            long amount = listings.units(asset, quote ? config.demoQuoteDeposit() : config.demoBaseDeposit());
            if (amount > 0) {
                deposits.add(new Command.Deposit(account, asset, amount));
            }
        }
        return deposits;
    }

    private static Future<ApiKeyStore.Created> ensureKey(ApiKeyStore keys, long id) {
        return keys.hmacKeysOf(id).compose(existing -> {
            if (!existing.isEmpty()) {
                return Future.succeededFuture(existing.getFirst());
            }
            byte[] secret = new byte[24];
            new SecureRandom().nextBytes(secret);
            return keys.add("demo-" + id, id, ApiKeyStore.Kind.HMAC_SHA256, HexFormat.of().formatHex(secret), "demo");
        });
    }
}
