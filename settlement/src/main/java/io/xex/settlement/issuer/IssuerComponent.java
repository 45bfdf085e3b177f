package io.xex.settlement.issuer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.xex.runtime.VenueComponent;
import io.xex.runtime.calendar.CalendarConfig;
import io.xex.runtime.calendar.MarketCalendar;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.config.InstrumentCatalog;
import io.xex.runtime.engine.DurableConsumer;
import io.xex.runtime.issuer.PrimaryMarket;
import io.xex.runtime.ops.AdminRoutes;
import io.xex.runtime.ops.AdminRoutes.AdminException;
import io.xex.runtime.session.SessionTimers;
import io.xex.settlement.SettlementComponent;
import io.xex.settlement.chain.Anvil;
import io.xex.settlement.localchain.LocalChain;

import java.time.Instant;
import java.time.InstantSource;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The issuer's primary market as a part of the venue (docs/issuer.md): an {@link IssuerVerticle} on the chain of the
 * xStocks (the first settlement chain), the {@link #primaryMarket()} the gateways hand requests to, and the issuer
 * operator's endpoints under {@code /admin/issuer/}. Nothing runs when {@code issuer.enabled} or settlement is off;
 * the primary market then refuses every request.
 *
 * <p>With settlement's local chain the desk and the issuer's key are the local chain's, known once it runs; the
 * component starts after settlement. Its methods are called by the venue, in order, from any thread.
 */
public final class IssuerComponent implements VenueComponent, PrimaryMarket {
    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern COUNTRY = Pattern.compile("[A-Za-z]{2}");

    private volatile IssuerConfig config;
    private final SettlementComponent settlement;
    private final InstrumentCatalog catalog;
    private final MarketCalendar calendar;
    private final InstantSource clock;
    private final Function<Vertx, SessionTimers> timers;
    private volatile IssuerVerticle verticle;
    private volatile boolean running;
    private Vertx vertx;
    private String deploymentId;

    public IssuerComponent(IssuerConfig config, SettlementComponent settlement, InstrumentCatalog catalog,
                           MarketCalendar calendar, InstantSource clock, Function<Vertx, SessionTimers> timers) {
        this.config = config;
        this.settlement = settlement;
        this.catalog = catalog;
        this.calendar = calendar;
        this.clock = clock;
        this.timers = timers;
    }

    /** Reads {@code issuer.*} and {@code calendar.*}; the system clock and Vert.x timers. */
    public static IssuerComponent from(ConfigSource config, SettlementComponent settlement) {
        InstantSource clock = InstantSource.system();
        return new IssuerComponent(IssuerConfig.from(config), settlement, InstrumentCatalog.from(config),
            new MarketCalendar(CalendarConfig.from(config)), clock, vertx -> SessionTimers.vertx(vertx, clock));
    }

    /** What the gateways hand mint and redeem requests to; refuses them while the issuer is not running. */
    public PrimaryMarket primaryMarket() {
        return this;
    }

    @Override
    public Future<Answer> request(Request request) {
        IssuerVerticle running = this.running ? verticle : null;
        return running == null ? NONE_RUNNING.request(request) : running.request(request);
    }

    @Override
    public Future<List<Reserve>> reserves() {
        IssuerVerticle running = this.running ? verticle : null;
        return running == null ? NONE_RUNNING.reserves() : running.reserves();
    }

    private static final PrimaryMarket NONE_RUNNING = PrimaryMarket.unavailable("the issuer is not running");

    @Override
    public Future<List<DurableConsumer>> durableConsumers(Pool database) {
        if (!config.enabled()) {
            return Future.succeededFuture(List.of());
        }
        IssuerStore store = new IssuerStore(database);
        return store.actions().map(actions -> {
            IssuerStore.Action applying = actions.stream()
                .filter(a -> a.status() == IssuerStore.ActionStatus.APPLYING).findFirst().orElse(null);
            verticle = new IssuerVerticle(() -> config, settlement::config, catalog, calendar, clock, store, applying);
            return List.of(verticle);
        });
    }

    @Override
    public Future<Void> start(Services services) {
        if (verticle == null) {
            return Future.succeededFuture();
        }
        LocalChain local = settlement.localChain();
        if (local != null && (config.key().isEmpty() || config.desk().isEmpty())) {
            config = config.onChain(Anvil.DEV_KEYS.get(LocalChain.ISSUER_KEY), local.desk());
        }
        vertx = services.vertx();
        verticle.use(services.engine().proxy(), settlement.withdrawalGate(), timers.apply(vertx), services.registry());
        return vertx.deployVerticle(verticle).map(id -> {
            deploymentId = id;
            running = true;
            return null;
        });
    }

    @Override
    public Future<Void> stop() {
        running = false;
        if (deploymentId == null) {
            return Future.succeededFuture();
        }
        String id = deploymentId;
        deploymentId = null;
        return vertx.undeploy(id);
    }

    @Override
    public List<String> describe() {
        return verticle == null ? List.of("issuer       off (issuer.enabled or settlement.enabled is false)")
            : List.of("issuer       account " + config.accountId() + ", fee " + config.feeBps() + " bps, desk "
                + config.desk() + "; operator API under /admin/issuer/");
    }

    // ---------------------------------------------------------------------------------------------
    // The issuer operator's API

    @Override
    public void adminRoutes(AdminRoutes admin) {
        if (verticle == null) {
            return;
        }
        IssuerVerticle issuer = verticle;
        IssuerStore store = issuerStore();
        admin.get("issuer/accounts", () -> store.accounts().map(accounts -> {
            JsonArray out = new JsonArray();
            accounts.forEach(a -> out.add(new JsonObject().put("accountId", a.accountId())
                .put("jurisdiction", a.jurisdiction()).put("usPerson", a.usPerson()).put("wallet", a.wallet())));
            return new JsonObject().put("accounts", out);
        }));
        admin.post("issuer/accounts", body -> {
            long accountId = accountId(body);
            String jurisdiction = body.getValue("jurisdiction") instanceof String s && COUNTRY.matcher(s).matches()
                ? s.toUpperCase(Locale.ROOT) : null;
            if (jurisdiction == null || !(body.getValue("usPerson") instanceof Boolean usPerson)) {
                return Future.failedFuture(new AdminException(400,
                    "give accountId, jurisdiction (ISO 3166-1 alpha-2) and usPerson (true or false)"));
            }
            if (jurisdiction.equals("US") && !usPerson) {
                return Future.failedFuture(new AdminException(400, "a resident of the US is a US person"));
            }
            return store.onboard(accountId, jurisdiction, usPerson)
                .map(v -> new JsonObject().put("accountId", accountId).put("onboarded", true));
        });
        admin.post("issuer/whitelist", body -> {
            long accountId = accountId(body);
            if (!(body.getValue("wallet") instanceof String wallet) || !ADDRESS.matcher(wallet).matches()) {
                return Future.failedFuture(new AdminException(400, "give accountId and wallet (0x and 40 hex digits)"));
            }
            return store.whitelist(accountId, wallet).compose(done -> done
                ? Future.succeededFuture(new JsonObject().put("accountId", accountId).put("wallet", wallet))
                : Future.failedFuture(new AdminException(404, "account " + accountId + " is not onboarded")));
        });
        admin.get("issuer/requests", () -> store.recent(200).map(rows -> {
            JsonArray out = new JsonArray();
            rows.forEach(r -> out.add(requestJson(r)));
            return new JsonObject().put("requests", out);
        }));
        admin.get("issuer/requests/queued", () -> store.requests(IssuerStore.Status.QUEUED).map(rows -> {
            JsonArray out = new JsonArray();
            rows.forEach(r -> out.add(requestJson(r)));
            return new JsonObject().put("requests", out);
        }));
        admin.post("issuer/requests/cancel", body -> {
            if (!(body.getValue("id") instanceof Number id)) {
                return Future.failedFuture(new AdminException(400, "give the queued request's id"));
            }
            return issuer.cancel(id.longValue()).compose(done -> done
                ? Future.succeededFuture(new JsonObject().put("id", id.longValue()).put("status", "CANCELLED"))
                : Future.failedFuture(new AdminException(409, "request " + id + " is not queued")));
        });
        admin.get("issuer/reserves", () -> issuer.reserves().map(PrimaryMarket::reservesJson)
            .recover(e -> Future.failedFuture(new AdminException(503, "reserves not readable: " + e.getMessage()))));
        admin.get("issuer/corporate-actions", () -> store.actions().map(actions -> {
            JsonArray out = new JsonArray();
            actions.forEach(a -> out.add(actionJson(a, issuer)));
            return new JsonObject().put("corporateActions", out);
        }));
        admin.post("issuer/corporate-actions", body -> {
            String symbol = body.getString("symbol", "");
            int asset = issuer.assetOf(symbol);
            if (asset < 0 || !(body.getValue("numerator") instanceof Number n)
                || !(body.getValue("denominator") instanceof Number d)) {
                return Future.failedFuture(new AdminException(400,
                    "give symbol (an xStock), numerator, denominator and activation (ISO-8601 instant or epoch ms)"));
            }
            Instant activation;
            try {
                activation = body.getValue("activation") instanceof Number ms ? Instant.ofEpochMilli(ms.longValue())
                    : Instant.parse(body.getString("activation"));
            } catch (DateTimeParseException | NullPointerException | ClassCastException e) {
                return Future.failedFuture(new AdminException(400, "activation: an ISO-8601 instant or epoch ms"));
            }
            return issuer.schedule(asset, n.longValue(), d.longValue(), activation)
                .map(a -> actionJson(a, issuer))
                .recover(e -> Future.failedFuture(e instanceof AdminException ? e
                    : new AdminException(e instanceof IllegalStateException ? 409 : 400, e.getMessage())));
        });
    }

    private IssuerStore issuerStore() {
        return verticle.store();
    }

    private static long accountId(JsonObject body) {
        if (!(body.getValue("accountId") instanceof Number id) || id.longValue() <= 0 || id.longValue() > 0xFFFF_FFFFL) {
            throw new AdminException(400, "accountId: a venue account id");
        }
        return id.longValue();
    }

    private static JsonObject requestJson(IssuerStore.Request r) {
        return new JsonObject().put("id", r.id()).put("accountId", r.accountId()).put("side", r.side().name())
            .put("asset", r.asset()).put("quantity", r.quantity()).put("status", r.status().name())
            .put("reference", r.reference()).put("price", r.price()).put("usdt", r.usdt()).put("fee", r.fee())
            .put("executeAt", r.executeAt() == null ? null : r.executeAt().toString())
            .put("refusal", r.refusal()).put("detail", r.detail()).put("txHash", r.txHash())
            .put("createdAt", r.createdAt().toString());
    }

    private static JsonObject actionJson(IssuerStore.Action a, IssuerVerticle issuer) {
        IssuerVerticle.XStock xStock = issuer.xStock(a.asset());
        return new JsonObject().put("id", a.id()).put("symbol", xStock == null ? null : xStock.symbol())
            .put("asset", a.asset()).put("numerator", a.numerator()).put("denominator", a.denominator())
            .put("multiplier", a.multiplier().toString()).put("activation", a.activation().toString())
            .put("status", a.status().name()).put("txHash", a.txHash()).put("seq", a.seq()).put("reason", a.reason());
    }
}
