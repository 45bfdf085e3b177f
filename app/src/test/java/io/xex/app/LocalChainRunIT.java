package io.xex.app;

import io.vertx.core.Future;
import io.xex.gateway.GatewayConfig;
import io.xex.gateway.Listings;
import io.xex.gateway.demo.DemoAccounts;
import io.xex.matching.Command;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;
import io.xex.runtime.Conditions;
import io.xex.runtime.Venue;
import io.xex.runtime.VenueComponent;
import io.xex.runtime.config.ConfigException;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.config.InstrumentCatalog;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;
import io.xex.settlement.ChainUnits;
import io.xex.settlement.SettlementComponent;
import io.xex.settlement.SettlementConfig;
import io.xex.settlement.chain.Anvil;
import io.xex.settlement.chain.ChainClient;
import io.xex.settlement.chain.ChainException;
import io.xex.settlement.chain.SettlementVault;
import io.xex.settlement.localchain.LocalChain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code xex run} as it starts by default, with its own anvil chain ({@code settlement.localChain}) in a test folder
 * and free ports: the demo accounts are funded through the vault and the deposit watcher, so that engine and vault
 * agree; a trade is settled in a CONFIRMED batch; anvil stops with the venue; a second start finds the saved chain and
 * contracts again; a start with the chain but not its database, or with the database but not its chain state, refuses
 * with what to delete.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class LocalChainRunIT {
    static final Duration BOUND = Duration.ofSeconds(60);
    static final long FEE_ACCOUNT = 0;
    static final long BUYER = 1;
    static final long SELLER = 2;
    static final int TSLAX = 0;
    /** 420.00 USDT in ticks of 0.01, TSLAx's reference price. */
    static final long PRICE = 42_000;
    /** 1.5 TSLAx in lots of 0.001. */
    static final long QUANTITY = 1_500;
    static final Pattern CONFIRMED = Pattern.compile("^xex_settlement_batches\\{[^}]*status=\"CONFIRMED\"[^}]*} (\\S+)$",
        Pattern.MULTILINE);

    @TempDir
    Path dir;

    /** HTTP/1.1: the JDK client's default, HTTP/2 over an h2c upgrade, can stall on the ops server. */
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10)).build();

    @AfterEach
    void closeClient() {
        http.close();
    }

    @Test
    void settlesToItsOwnChainAndFindsItAgainAfterARestart() throws Exception {
        ConfigSource config = config();
        List<Command.Deposit> demo = DemoAccounts.deposits(GatewayConfig.from(config),
            new Listings(InstrumentCatalog.from(config)));
        assertEquals(3 * 11, demo.size(), "3 demo accounts, each given USDT and 10 xStocks");

        List<VenueComponent> components = XexApp.components(config);
        SettlementComponent settlement = settlement(components);
        Venue venue = await(Venue.start(config, components));
        LocalChain chain = settlement.localChain();
        String vaultAddress;
        try {
            assertTrue(chain.deployedNow(), "a new chain for a new database");
            assertTrue(Files.exists(dir.resolve("anvil").resolve(LocalChain.DEPLOYMENT_FILE)));
            SettlementConfig located = settlement.config();
            vaultAddress = located.vault();
            try (ChainClient reader = ChainClient.connect(located.rpcUrl(), Anvil.DEV_KEYS.get(3))) {
                SettlementVault vault = SettlementVault.at(reader, vaultAddress);
                ChainUnits units = new ChainUnits(located.assets());
                for (Command.Deposit deposit : demo) {
                    Conditions.awaitTrue(BOUND, () -> "demo deposit credited: " + deposit,
                        () -> balance(venue, deposit.accountId(), deposit.asset()) == deposit.amount());
                    assertEquals(deposit.amount(), units.toEngine(deposit.asset(), vault.balanceOf(deposit.accountId(),
                        deposit.asset())), "vault balance of " + deposit);
                }

                CommandResult sell = submit(venue, Command.PlaceOrder.limit(SELLER, 1, TSLAX, Side.SELL, TimeInForce.GTC,
                    PRICE, QUANTITY));
                CommandResult buy = submit(venue, Command.PlaceOrder.limit(BUYER, 1, TSLAX, Side.BUY, TimeInForce.GTC,
                    PRICE, QUANTITY));
                assertTrue(buy.events().stream().anyMatch(EngineEvent.Trade.class::isInstance),
                    "the orders cross: " + buy.events() + " after " + sell.events());
                Conditions.awaitTrue(BOUND, () -> "a CONFIRMED batch and the vault equal to the engine",
                    () -> confirmedBatches(venue) >= 1 && vaultEqualsEngine(venue, vault, units, demo));
            }
        } finally {
            await(venue.stop());
        }
        assertFalse(chain.isAlive(), "anvil stops with the venue");
        assertTrue(Files.exists(dir.resolve("anvil").resolve(LocalChain.STATE_FILE)), "anvil wrote its state");
        assertFalse(Files.exists(dir.resolve("anvil").resolve(LocalChain.PID_FILE)), "a clean stop removes the pid file");

        // As if the previous venue had been killed with SIGKILL: its anvil still runs, named by the pid file.
        Anvil leftover = Anvil.start();
        Files.writeString(dir.resolve("anvil").resolve(LocalChain.PID_FILE), Long.toString(leftover.pid()));
        List<VenueComponent> again = XexApp.components(config);
        SettlementComponent second = settlement(again);
        Venue restarted = await(Venue.start(config, again));
        try {
            assertFalse(ProcessHandle.of(leftover.pid()).map(ProcessHandle::isAlive).orElse(false),
                "the anvil a killed run left behind is stopped");
            leftover.close();
            assertFalse(second.localChain().deployedNow(), "the saved chain and contracts are found again");
            assertEquals(vaultAddress, second.config().vault());
            try (ChainClient reader = ChainClient.connect(second.config().rpcUrl(), Anvil.DEV_KEYS.get(3))) {
                SettlementVault vault = SettlementVault.at(reader, vaultAddress);
                assertTrue(vault.lastBatchId() >= 1, "the settled batches are on the kept chain");
                assertTrue(vaultEqualsEngine(restarted, vault, new ChainUnits(second.config().assets()), demo),
                    "engine and vault still agree");
            }
        } finally {
            await(restarted.stop());
        }
        assertFalse(second.localChain().isAlive());

        Files.move(dir.resolve("pg"), dir.resolve("pg-kept"));
        assertRefused(config, "has settled");
        deleteTree(dir.resolve("pg"));
        Files.move(dir.resolve("pg-kept"), dir.resolve("pg"));
        Files.delete(dir.resolve("anvil").resolve(LocalChain.STATE_FILE));
        assertRefused(config, "delete both " + dir.resolve("anvil").toAbsolutePath());
    }

    /** A start that fails before the engine recovers, saying {@code what}, with anvil and the database stopped. */
    private void assertRefused(ConfigSource config, String what) throws Exception {
        List<VenueComponent> components = XexApp.components(config);
        ExecutionException refused = assertThrows(ExecutionException.class, () -> await(Venue.start(config, components)));
        assertInstanceOf(ConfigException.class, refused.getCause());
        assertTrue(refused.getCause().getMessage().contains(what), refused.getCause().getMessage());
        assertFalse(settlement(components).localChain().isAlive(), "anvil stopped after the refusal");
        assertFalse(Files.exists(dir.resolve("pg").resolve("postmaster.pid")), "the database stopped before the refusal");
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private ConfigSource config() {
        return LocalVenue.config(dir, Map.of());
    }

    private static SettlementComponent settlement(List<VenueComponent> components) {
        return components.stream().filter(SettlementComponent.class::isInstance).map(SettlementComponent.class::cast)
            .findFirst().orElseThrow();
    }

    /** Every demo account's and the fee account's balance of every demo asset is the same in the vault and the engine. */
    private static boolean vaultEqualsEngine(Venue venue, SettlementVault vault, ChainUnits units,
                                             List<Command.Deposit> demo) {
        try {
            for (Command.Deposit deposit : demo) {
                for (long account : List.of(FEE_ACCOUNT, deposit.accountId())) {
                    if (balance(venue, account, deposit.asset())
                        != units.toEngine(deposit.asset(), vault.balanceOf(account, deposit.asset()))) {
                        return false;
                    }
                }
            }
            return true;
        } catch (ChainException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long balance(Venue venue, long account, int asset) {
        return LocalVenue.balance(venue, account, asset);
    }

    /** {@code xex_settlement_batches{status="CONFIRMED"}} from the ops server's /metrics. */
    private double confirmedBatches(Venue venue) {
        try {
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + venue.opsPort() + "/metrics"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
            Matcher confirmed = CONFIRMED.matcher(metrics);
            return confirmed.find() ? Double.parseDouble(confirmed.group(1)) : 0;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static CommandResult submit(Venue venue, Command command) throws Exception {
        return await(venue.runtime().proxy().submit(command));
    }

    private static <T> T await(Future<T> future) throws Exception {
        return LocalVenue.await(future);
    }
}
