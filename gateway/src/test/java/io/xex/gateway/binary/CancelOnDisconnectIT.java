package io.xex.gateway.binary;

import io.xex.runtime.Conditions;
import io.xex.gateway.TestVenue;
import io.xex.protocol.sbe.ExecType;
import io.xex.protocol.sbe.Side;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Cancel-on-disconnect: a session that chose it and stays away past its grace window has the orders it
 * entered cancelled; one that did not choose it, or that came back in time, keeps them. Absence is shown
 * against a control session whose longer grace window ran out after theirs.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class CancelOnDisconnectIT {
    @TempDir
    static Path dir;
    static TestVenue venue;
    static int tsla;

    @BeforeAll
    static void start() throws Exception {
        venue = TestVenue.start(dir, Map.of("XEX_GATEWAY_DEMO_ACCOUNTS", "4"));
        tsla = venue.instrumentId("TSLAx");
    }

    @AfterAll
    static void stop() {
        venue.close();
    }

    /** A session on {@code account} with one resting buy; returns the order id. */
    private static long restingOrder(RawClient client, long account, long uuid, boolean cod, long graceMs) throws Exception {
        client.logon(uuid, "demo-" + account, venue.demoSecret(account), cod, graceMs);
        client.send(RawClient.limitOrder("cod-" + uuid, tsla, Side.BUY, 40_000, 1_000));
        RawClient.Report ack = client.nextReport();
        assertEquals(ExecType.NEW, ack.execType());
        return ack.orderId();
    }

    @Test
    void ordersOfASessionThatStaysAwayAreCancelledAfterTheGraceWindowOnly() throws Exception {
        RawClient control = RawClient.connect(venue.binaryPort());
        RawClient off = RawClient.connect(venue.binaryPort());
        RawClient back = RawClient.connect(venue.binaryPort());
        long controlOrder = restingOrder(control, 1, 41, true, 6_000);
        long offOrder = restingOrder(off, 2, 42, false, 0);
        long backOrder = restingOrder(back, 3, 43, true, 4_000);
        // An order the account entered elsewhere is not the session's to cancel.
        try (RawClient other = RawClient.connect(venue.binaryPort())) {
            other.logon(44, "demo-1", venue.demoSecret(1), false, 0);
            other.send(RawClient.limitOrder("elsewhere", tsla, Side.BUY, 40_010, 1_000));
            other.nextReport();
        }
        List<Long> account1Before = venue.liveOrders(1);
        assertEquals(2, account1Before.size());

        control.close();
        off.close();
        back.close();
        control.awaitClosed();
        try (RawClient again = RawClient.connect(venue.binaryPort())) {
            again.establish(43, System.currentTimeMillis() * 1_000_000L, "demo-3", venue.demoSecret(3));

            Conditions.awaitTrue(Duration.ofSeconds(20), () -> "the control session's order is cancelled",
                () -> !venue.liveOrders(1).contains(controlOrder));
            assertEquals(account1Before.stream().filter(id -> id != controlOrder).toList(), venue.liveOrders(1));
            assertEquals(List.of(offOrder), venue.liveOrders(2), "cancel-on-disconnect off: the order stays");
            assertEquals(List.of(backOrder), venue.liveOrders(3), "back within its grace window: the order stays");
        }
    }
}
