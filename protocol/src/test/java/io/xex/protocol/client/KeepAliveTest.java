package io.xex.protocol.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeepAliveTest {
    private static final long MS = 1_000_000L;

    private final KeepAlive keepAlive = new KeepAlive();

    @Test
    void aHeartbeatIsDueAfterOneIntervalWithoutSending() {
        keepAlive.start(1000, 5_000 * MS);
        assertFalse(keepAlive.heartbeatDue(5_999 * MS));
        assertTrue(keepAlive.heartbeatDue(6_000 * MS));
        keepAlive.onSent(6_000 * MS);
        assertFalse(keepAlive.heartbeatDue(6_999 * MS));
        assertTrue(keepAlive.heartbeatDue(7_000 * MS));
    }

    @Test
    void receivingDoesNotCountAsSending() {
        keepAlive.start(1000, 0);
        keepAlive.onReceived(900 * MS);
        assertTrue(keepAlive.heartbeatDue(1_000 * MS));
    }

    @Test
    void theConnectionLapsesAfterTwoIntervalsWithoutReceiving() {
        keepAlive.start(1000, 0);
        assertFalse(keepAlive.lapsed(1_999 * MS));
        assertTrue(keepAlive.lapsed(2_000 * MS));
        keepAlive.onReceived(1_500 * MS);
        assertFalse(keepAlive.lapsed(3_499 * MS));
        assertTrue(keepAlive.lapsed(3_500 * MS));
    }

    @Test
    void sendingDoesNotKeepTheConnectionAlive() {
        keepAlive.start(1000, 0);
        keepAlive.onSent(1_900 * MS);
        assertTrue(keepAlive.lapsed(2_000 * MS));
    }

    @Test
    void startForgetsThePreviousConnection() {
        keepAlive.start(1000, 0);
        keepAlive.start(2000, 10_000 * MS);
        assertFalse(keepAlive.heartbeatDue(11_999 * MS));
        assertFalse(keepAlive.lapsed(13_999 * MS));
        assertTrue(keepAlive.lapsed(14_000 * MS));
    }

    @Test
    void checksAreAQuarterInterval() {
        assertEquals(250, KeepAlive.checkPeriodMs(1000));
        assertEquals(15_000, KeepAlive.checkPeriodMs(60_000));
    }
}
