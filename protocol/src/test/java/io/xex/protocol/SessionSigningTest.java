package io.xex.protocol;

import io.xex.protocol.sbe.CancelOnDisconnect;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SessionSigningTest {

    @Test
    void negotiateIsTheDocumentedExample() {
        assertEquals("NEGOTIATE\n42\n1763683200000000000\ndemo-1\nON\n5000",
            SessionSigning.negotiate(42, 1_763_683_200_000_000_000L, "demo-1", CancelOnDisconnect.ON, 5000));
    }

    @Test
    void negotiateWritesOffAndZeroGrace() {
        assertEquals("NEGOTIATE\n7\n1\nk\nOFF\n0",
            SessionSigning.negotiate(7, 1, "k", CancelOnDisconnect.OFF, 0));
    }

    @Test
    void establishHasTheSameShapeWithTheKeepAliveInterval() {
        assertEquals("ESTABLISH\n42\n1763683200000000000\ndemo-1\n5000",
            SessionSigning.establish(42, 1_763_683_200_000_000_000L, "demo-1", 5000));
    }

    @Test
    void numbersAreUnsignedDecimal() {
        assertEquals("ESTABLISH\n18446744073709551615\n9223372036854775808\nk\n1000",
            SessionSigning.establish(-1L, Long.MIN_VALUE, "k", 1000));
    }

    @Test
    void signatureIsRawHmacSha256() {
        // RFC 4231, test case 2.
        byte[] signature = SessionSigning.sign("Jefe".getBytes(StandardCharsets.US_ASCII), "what do ya want for nothing?");
        assertEquals(SessionSigning.SIGNATURE_LENGTH, signature.length);
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
            HexFormat.of().formatHex(signature));
    }
}
