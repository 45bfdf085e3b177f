package io.xex.settlement;

import io.xex.runtime.Venue;
import io.xex.runtime.config.ConfigSource;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The venue that {@link SettlementKillIT} kills, run in a child JVM: the runtime with the {@link SettlementComponent},
 * configured by the {@code XEX_*} environment variables (on the PostgreSQL and the anvil chain the test owns, so both
 * outlive it). Once up it funds Alice and Bob and trades one round ({@link AnvilVenueFixture#fundAccounts},
 * {@link AnvilVenueFixture#trade}), which the venue settles in batches.
 *
 * <p>With {@code -D}{@value #STOP_AT}{@code =POINT}, read here and never by the venue's configuration, it installs a
 * {@link SettlementFaults} hook that, the first time a batch reaches that {@link SettlementFaults.Point}, prints
 * {@code FAULT-POINT POINT batch N} on stdout and then holds the settlement verticle's thread for good: nothing more
 * happens to that batch until the test kills the process with SIGKILL.
 */
final class FaultPointVenue {
    static final String STOP_AT = "xex.test.settlement.stopAt";
    static final String MARKER = "FAULT-POINT";
    private static final long START_TIMEOUT_SECONDS = 120;

    private FaultPointVenue() {
    }

    public static void main(String[] args) {
        try {
            ConfigSource config = ConfigSource.load(null, System.getenv());
            SettlementComponent settlement = SettlementComponent.from(config);
            String stopAt = System.getProperty(STOP_AT);
            if (stopAt != null) {
                settlement.faults(new HoldForever(SettlementFaults.Point.valueOf(stopAt)));
            }
            Venue venue = Venue.start(config, List.of(settlement)).toCompletionStage().toCompletableFuture()
                .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            System.out.println("venue up; " + venue.runtime().recoverySummary());
            AnvilVenueFixture.fundAccounts(venue);
            AnvilVenueFixture.trade(venue, 0);
            System.out.println("trades done");
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Prints the marker at the first batch to reach {@code at}, then never returns. Called on the verticle's context. */
    private static final class HoldForever implements SettlementFaults {
        private final Point at;
        private boolean reached;

        HoldForever(Point at) {
            this.at = at;
        }

        @Override
        public void reached(Point point, long batchId) {
            if (point != at || reached) {
                return;
            }
            reached = true;
            System.out.println(MARKER + " " + point + " batch " + batchId);
            System.out.flush();
            CountDownLatch never = new CountDownLatch(1);
            while (true) {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    // stay here: only SIGKILL ends this
                }
            }
        }
    }
}
