package io.xex.loadtests.binary;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A report names its order's request by the clOrdId alone, and only in its own run. */
class OrderSessionTest {

    private static byte[] field(String clOrdId) {
        return Arrays.copyOf(clOrdId.getBytes(StandardCharsets.US_ASCII), OrderSession.CL_ORD_ID_LENGTH);
    }

    @Test
    void aClOrdIdCarriesItsRunAndRequest() {
        StringBuilder clOrdId = new StringBuilder();
        OrderSession.appendClOrdId(clOrdId, 12, 345_678_901L);

        assertEquals("12-345678901", clOrdId.toString());
        assertEquals(345_678_901L, OrderSession.requestOf(field(clOrdId.toString()), 12));
        assertEquals(0, OrderSession.requestOf(field("7-0"), 7));
    }

    @Test
    void aClOrdIdOfAnotherRunOrShapeNamesNoRequest() {
        assertEquals(-1, OrderSession.requestOf(field("11-5"), 12));
        assertEquals(-1, OrderSession.requestOf(field("probe-1"), 12));
        assertEquals(-1, OrderSession.requestOf(field("12-"), 12));
        assertEquals(-1, OrderSession.requestOf(field("12"), 12));
        assertEquals(-1, OrderSession.requestOf(field("12-5x"), 12));
        assertEquals(-1, OrderSession.requestOf(field(""), 12));
    }

    @Test
    void aClOrdIdFillingTheWholeFieldIsRead() {
        byte[] full = field("1-" + "9".repeat(OrderSession.CL_ORD_ID_LENGTH - 2));

        assertEquals(-1, OrderSession.requestOf(full, 1)); // more digits than a request number has
        assertEquals(123_456_789_012_345_678L, OrderSession.requestOf(field("1-123456789012345678"), 1));
    }
}
