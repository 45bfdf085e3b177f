package io.xex.settlement;

import io.vertx.core.Future;
import io.xex.matching.Command;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;
import io.xex.runtime.Venue;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;
import io.xex.settlement.chain.Anvil;
import io.xex.settlement.chain.Erc20Token;
import io.xex.settlement.chain.SettlementVault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Settlement lag, trade to confirmed, at a sustained trade rate (BENCHMARKS.md, "Settlement lag"): a whole venue
 * settling to anvil mining a block every {@code blockSeconds}, crossing orders submitted at {@code rate} trades a
 * second for {@code seconds}, and for every trade the time from its durable acknowledgement to the moment the
 * settlement verticle's confirmed sequence covers it. The goal is p99 at most the batch interval plus two blocks.
 *
 * <p>In the test suite it runs briefly (a few seconds) and asserts what must hold at any speed: every trade
 * confirmed, one {@code BatchSettled} per batch, every vault balance equal to the engine's. The figures are printed
 * and written to {@code target/settlement-lag.txt}; the full run's settings are system properties
 * ({@code xex.bench.lag.seconds}, {@code .rate}, {@code .batchMs}, {@code .confirmations}, {@code .blockSeconds},
 * {@code .maxInFlight}); each run appends its line.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SettlementLagIT extends AnvilVenueFixture {
    private static final int SECONDS = Integer.getInteger("xex.bench.lag.seconds", 6);
    private static final int RATE = Integer.getInteger("xex.bench.lag.rate", 50);
    private static final long BATCH_MS = Long.getLong("xex.bench.lag.batchMs", SettlementConfig.DEFAULT_BATCH_MS);
    private static final int CONFIRMATIONS = Integer.getInteger("xex.bench.lag.confirmations",
        SettlementConfig.DEFAULT_CONFIRMATIONS);
    private static final int BLOCK_SECONDS = Integer.getInteger("xex.bench.lag.blockSeconds", 1);
    private static final int MAX_IN_FLIGHT = Integer.getInteger("xex.bench.lag.maxInFlight",
        SettlementConfig.DEFAULT_MAX_IN_FLIGHT);
    private static final long PRICE = 42_000;
    private static final long QUANTITY = 100;

    /** A trade: the sequence of the command that made it, and when it was acknowledged durable. */
    private record Trade(long sequence, long ackedNs) {
    }

    @Override
    Anvil startAnvil() throws IOException {
        return Anvil.start(Anvil.defaultBinary(), Anvil.freePort(), List.of("--block-time",
            Integer.toString(BLOCK_SECONDS)));
    }

    @Override
    ConfigSource config(String rpcUrl, int confirmations) {
        Map<String, String> env = environment(rpcUrl, confirmations);
        env.put("XEX_SETTLEMENT_BATCHMS", Long.toString(BATCH_MS));
        env.remove("XEX_SETTLEMENT_POLLMS"); // the venue's default, as it runs
        env.put("XEX_SETTLEMENT_MAXINFLIGHT", Integer.toString(MAX_IN_FLIGHT));
        return ConfigSource.load(null, env);
    }

    @Test
    void tradeToConfirmedLagAtASustainedTradeRate() throws Exception {
        // Bob buys back what he sold, so he needs USDT too: in the vault and in the engine alike.
        BigInteger bobUsdt = BigInteger.valueOf(ALICE_USDT);
        usdt.mint(wallet.address(), bobUsdt);
        Erc20Token.at(wallet, usdt.address()).approve(vault.address(), bobUsdt);
        SettlementVault.at(wallet, vault.address()).deposit(BOB, USDT, bobUsdt);
        SettlementComponent settlement = SettlementComponent.from(config(anvil.rpcUrl(), CONFIRMATIONS));
        Venue venue = await(Venue.start(config(anvil.rpcUrl(), CONFIRMATIONS), List.of(settlement)));
        long[] lagsNs;
        try {
            fundAccounts(venue);
            submit(venue, new Command.Deposit(BOB, USDT, ALICE_USDT));
            ConcurrentLinkedQueue<Trade> acked = new ConcurrentLinkedQueue<>();
            AtomicInteger failures = new AtomicInteger();
            int total = SECONDS * RATE;
            // Every change of the confirmed sequence and when it was seen, read every millisecond while trading goes
            // on: a lag is exact to about that.
            List<long[]> confirmations = new ArrayList<>();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = Thread.ofPlatform().name("lag-sampler").start(() -> {
                long seen = -1;
                while (sampling.get()) {
                    long through = settlement.verticle().confirmedThrough();
                    if (through != seen) {
                        synchronized (confirmations) {
                            confirmations.add(new long[] {through, System.nanoTime()});
                        }
                        seen = through;
                    }
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
            });
            long periodNs = TimeUnit.SECONDS.toNanos(1) / RATE;
            long startNs = System.nanoTime();
            List<Future<CommandResult>> inFlight = new ArrayList<>(total);
            for (int i = 0; i < total; i++) {
                LockSupport.parkNanos(startNs + i * periodNs - System.nanoTime());
                // Bob sells to Alice, then she sells it back: the accounts can trade for as long as the run lasts.
                long seller = i % 2 == 0 ? BOB : ALICE;
                long buyer = i % 2 == 0 ? ALICE : BOB;
                venue.runtime().proxy().submit(Command.PlaceOrder.limit(seller, 1, TSLAX, Side.SELL, TimeInForce.GTC,
                    PRICE, QUANTITY));
                Future<CommandResult> buy = venue.runtime().proxy().submit(Command.PlaceOrder.limit(buyer, 1, TSLAX,
                    Side.BUY, TimeInForce.GTC, PRICE, QUANTITY));
                buy.onComplete(ar -> {
                    if (ar.succeeded() && traded(ar.result())) {
                        acked.add(new Trade(ar.result().sequence(), System.nanoTime()));
                    } else {
                        failures.incrementAndGet();
                    }
                });
                inFlight.add(buy);
            }
            for (Future<CommandResult> buy : inFlight) {
                await(buy);
            }
            assertEquals(0, failures.get(), "every buy acknowledged with a trade");
            assertEquals(total, acked.size());
            long lastTrade = acked.stream().mapToLong(Trade::sequence).max().orElseThrow();
            try {
                awaitTrue("every trade confirmed", () -> settlement.verticle().confirmedThrough() >= lastTrade);
            } finally {
                sampling.set(false);
                sampler.join();
            }

            lagsNs = new long[total];
            int i = 0;
            for (Trade trade : acked) {
                long confirmedNs = confirmations.stream().filter(c -> c[0] >= trade.sequence()).findFirst()
                    .orElseThrow()[1];
                lagsNs[i++] = confirmedNs - trade.ackedNs();
            }
            long batches = settlement.verticle().batches(BatchStatus.CONFIRMED);
            assertEquals(batches, vault.lastBatchId());
            assertEquals(batches, vault.batchesSettled(BigInteger.ZERO, operator.blockNumber()).size(),
                "each batch once");
            assertBalancesEqual(venue, settlement.config());
            report(lagsNs, batches);
        } finally {
            await(venue.stop());
        }
    }

    private static boolean traded(CommandResult result) {
        return result.events().stream().anyMatch(event -> event instanceof EngineEvent.Trade);
    }

    private static void report(long[] lagsNs, long batches) throws IOException {
        Arrays.sort(lagsNs);
        long goalMs = BATCH_MS + 2_000L * BLOCK_SECONDS;
        String line = String.format(Locale.ROOT, "settlement lag: %d trades at %d/s over %d s, batch every %d ms,"
                + " %d confirmation(s), a block every %d s, at most %d in flight, %d batches: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms"
                + " (goal p99 <= %d ms)", lagsNs.length, RATE, SECONDS, BATCH_MS, CONFIRMATIONS, BLOCK_SECONDS, MAX_IN_FLIGHT, batches,
            ms(lagsNs, 0.50), ms(lagsNs, 0.90), ms(lagsNs, 0.99), ms(lagsNs, 1.0), goalMs);
        System.out.println(line);
        Path out = Path.of("target", "settlement-lag.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The {@code quantile} of sorted nanosecond lags, in milliseconds (nearest rank). */
    private static long ms(long[] sortedNs, double quantile) {
        int rank = (int) Math.ceil(quantile * sortedNs.length);
        return TimeUnit.NANOSECONDS.toMillis(sortedNs[Math.max(0, rank - 1)]);
    }
}
