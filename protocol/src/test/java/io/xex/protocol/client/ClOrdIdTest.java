package io.xex.protocol.client;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ClOrdIdTest {

    @Test
    void aNewOrderMayHaveNoIdOrUpTo36PrintableCharacters() {
        assertDoesNotThrow(() -> ClOrdId.checkNew(null));
        assertDoesNotThrow(() -> ClOrdId.checkNew(""));
        assertDoesNotThrow(() -> ClOrdId.checkNew("bid-1"));
        assertDoesNotThrow(() -> ClOrdId.checkNew("!\"#$%&'()*+,-./0123456789:;<=>?"));
        assertDoesNotThrow(() -> ClOrdId.checkNew("@AZ[\\]^_`az{|}~"));
        assertDoesNotThrow(() -> ClOrdId.checkNew("x".repeat(36)));
        assertDoesNotThrow(() -> ClOrdId.checkNew(new StringBuilder("reused-builder-7")));
    }

    @Test
    void longerThan36IsRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClOrdId.checkNew("x".repeat(37)));
        assertThrows(IllegalArgumentException.class, () -> ClOrdId.checkExisting("x".repeat(37)));
    }

    @Test
    void controlAndNonAsciiCharactersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ClOrdId.checkNew("a\u0000b"));
        assertThrows(IllegalArgumentException.class, () -> ClOrdId.checkNew("tab\t"));
        assertThrows(IllegalArgumentException.class, () -> ClOrdId.checkNew("a space"));
        assertThrows(IllegalArgumentException.class, () -> ClOrdId.checkNew("del\u007F"));
        assertThrows(IllegalArgumentException.class, () -> ClOrdId.checkNew("caf\u00e9"));
        assertThrows(IllegalArgumentException.class, () -> ClOrdId.checkExisting("\u20ac1"));
    }

    @Test
    void quoteIdsAreReservedForNewOrdersButNameExistingOnes() {
        assertThrows(IllegalArgumentException.class, () -> ClOrdId.checkNew("~q7b"));
        assertDoesNotThrow(() -> ClOrdId.checkExisting("~q7b"));
        assertDoesNotThrow(() -> ClOrdId.checkNew("a~"));
    }

    @Test
    void anExistingOrderMustBeNamed() {
        assertThrows(IllegalArgumentException.class, () -> ClOrdId.checkExisting(null));
        assertThrows(IllegalArgumentException.class, () -> ClOrdId.checkExisting(""));
    }
}
