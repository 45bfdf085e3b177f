package io.xex.loadtests.engine;

import io.xex.matching.replay.OrderStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The anchor is driven right: its tape and rejection counts on the small stream equal the reference. */
class ExchangeCoreBookTest {

    private static final Pattern REJECTIONS =
        Pattern.compile("cancel ok=\\d+ rejected=(\\d+) \\| reduce ok=\\d+ \\(to_zero=\\d+\\) rejected=(\\d+)");

    private static OrderStream stream;
    private static String expectedTape;
    private static long expectedRejectedCancels;
    private static long expectedRejectedReduces;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = resource("small.csv")) {
            stream = OrderStream.read(in, "small.csv");
        }
        expectedTape = text("small.tape.csv");
        Matcher m = REJECTIONS.matcher(text("small.expected.txt"));
        assertTrue(m.find(), "small.expected.txt has no rejection counts");
        expectedRejectedCancels = Long.parseLong(m.group(1));
        expectedRejectedReduces = Long.parseLong(m.group(2));
    }

    @Test
    void tapeOfAFreshEngineEqualsTheReference() throws IOException {
        ExchangeCoreBook book = new ExchangeCoreBook(stream);
        book.freshEngine();
        book.runAll();

        assertEquals(expectedTape, tape(book));
        assertEquals(1110, book.trades());
        assertEquals(expectedRejectedCancels, book.rejectedCancels());
        assertEquals(expectedRejectedReduces, book.rejectedReduces());
    }

    @Test
    void resetAndFreshPassesRepeatTheTape() throws IOException {
        ExchangeCoreBook book = new ExchangeCoreBook(stream);
        book.freshEngine();
        book.runAll();
        book.resetEngine();
        for (int i = 0; i < stream.size(); i++) {
            book.apply(i);
        }
        assertEquals(expectedTape, tape(book));
        assertEquals(expectedRejectedCancels, book.rejectedCancels());

        book.freshEngine();
        book.runAll();
        assertEquals(expectedTape, tape(book));
        assertEquals(expectedRejectedReduces, book.rejectedReduces());
    }

    private static String tape(ExchangeCoreBook book) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        book.writeTape(out);
        return out.toString(StandardCharsets.US_ASCII);
    }

    private static String text(String name) throws IOException {
        try (InputStream in = resource(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = ExchangeCoreBookTest.class.getResourceAsStream("/" + name);
        assertNotNull(in, name + " is not on the test class path");
        return in;
    }
}
