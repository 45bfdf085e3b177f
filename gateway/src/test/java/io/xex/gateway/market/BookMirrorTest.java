package io.xex.gateway.market;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xex.gateway.Listings;
import io.xex.gateway.Listings.Listing;
import io.xex.matching.Side;
import io.xex.runtime.config.ConfigSource;
import io.xex.runtime.config.InstrumentCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The price-level mirror on its own: levels adding up and disappearing, what a delta carries, and the
 * checksum as its javadoc defines it (the worked example is the one in the API documentation).
 * TSLAx/USDT: tick 0.01 (prices in ticks: 42000 is 420.00), lot 0.001 (1500 lots is 1.500).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class BookMirrorTest {
    private static final Listing TSLA = new Listings(InstrumentCatalog.from(
        ConfigSource.load(null, Map.of("XEX_INSTRUMENTS", "TSLAx")))).bySymbol("TSLAx/USDT");

    /** The worked example: two bid levels and two ask levels. */
    private static final String WORKED_EXAMPLE_TEXT = "419.99:1.500|419.98:0.250;420.01:2.000|420.05:0.010";
    private static final long WORKED_EXAMPLE_CHECKSUM = 1_035_351_121L;

    private static long crc32(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    private static JsonArray level(String price, String quantity) {
        return new JsonArray().add(price).add(quantity);
    }

    private static BookMirror workedExample(long sequence) {
        BookMirror book = new BookMirror(TSLA, sequence - 1);
        book.change(Side.BUY, 41_998, 250, sequence);
        book.change(Side.BUY, 41_999, 1_500, sequence);
        book.change(Side.SELL, 42_005, 10, sequence);
        book.change(Side.SELL, 42_001, 2_000, sequence);
        return book;
    }

    @Test
    void theChecksumIsTheCrc32OfTheDocumentedText() {
        // Independent of the mirror: the number the documentation states is the CRC32 of its text.
        assertEquals(WORKED_EXAMPLE_CHECKSUM, crc32(WORKED_EXAMPLE_TEXT));

        BookMirror book = workedExample(5);

        assertEquals(WORKED_EXAMPLE_CHECKSUM, book.checksum());
        JsonObject snapshot = book.snapshot(0);
        assertEquals(WORKED_EXAMPLE_CHECKSUM, snapshot.getLong("checksum"));
        assertEquals(new JsonArray().add(level("419.99", "1.500")).add(level("419.98", "0.250")), snapshot.getJsonArray("bids"));
        assertEquals(new JsonArray().add(level("420.01", "2.000")).add(level("420.05", "0.010")), snapshot.getJsonArray("asks"));
    }

    @Test
    void anEmptyBookChecksumsTheSeparatorAlone() {
        BookMirror book = new BookMirror(TSLA, 7);

        assertEquals(crc32(";"), book.checksum());
        JsonObject snapshot = book.snapshot(0);
        assertEquals(7L, snapshot.getLong("updateId"));
        assertTrue(snapshot.getJsonArray("bids").isEmpty());
        assertTrue(snapshot.getJsonArray("asks").isEmpty());
        assertEquals("TSLAx/USDT", snapshot.getString("symbol"));
        assertNull(book.best(Side.BUY));
        assertFalse(book.hasChanges());
    }

    @Test
    void oneSidedBooksKeepTheSeparator() {
        BookMirror book = new BookMirror(TSLA, 1);
        book.change(Side.SELL, 42_001, 2_000, 2);
        assertEquals(crc32(";420.01:2.000"), book.checksum());

        book.change(Side.SELL, 42_001, -2_000, 3);
        book.change(Side.BUY, 41_999, 1_500, 3);
        assertEquals(crc32("419.99:1.500;"), book.checksum());
    }

    @Test
    void onlyTheTopTenLevelsOfEachSideCount() {
        BookMirror book = new BookMirror(TSLA, 0);
        StringBuilder bids = new StringBuilder();
        StringBuilder asks = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            book.change(Side.BUY, 41_990 - i, 100 + i, 1);
            book.change(Side.SELL, 42_010 + i, 200 + i, 1);
        }
        // Written out by hand, not with the mirror's formatting: 419.90 down to 419.81; 420.10 up to 420.19.
        for (int i = 0; i < 10; i++) {
            bids.append(i == 0 ? "" : "|").append("419.").append(90 - i).append(":0.").append(100 + i);
            asks.append(i == 0 ? "" : "|").append("420.").append(10 + i).append(":0.").append(200 + i);
        }
        long top10 = crc32(bids + ";" + asks);
        assertEquals(top10, book.checksum());

        book.change(Side.BUY, 41_979, 5, 2); // the 12th bid level
        book.change(Side.SELL, 42_020, 5, 2); // the 11th ask level
        assertEquals(top10, book.checksum(), "levels below the top 10 do not count");

        book.change(Side.BUY, 41_981, 1, 3); // the 10th bid level
        assertNotEquals(top10, book.checksum(), "the 10th level counts");
    }

    @Test
    void levelsAddUpAndDisappearAtZero() {
        BookMirror book = new BookMirror(TSLA, 10);
        book.change(Side.BUY, 41_999, 1_000, 11);
        book.change(Side.BUY, 41_999, 500, 12);
        book.change(Side.BUY, 41_998, 250, 12);

        assertEquals(new JsonArray().add(level("419.99", "1.500")).add(level("419.98", "0.250")),
            book.snapshot(0).getJsonArray("bids"));
        assertEquals(41_999L, book.best(Side.BUY).getKey());
        assertEquals(1_500L, book.best(Side.BUY).getValue());
        assertEquals(12L, book.updateId());

        book.change(Side.BUY, 41_999, -1_500, 13);

        assertEquals(new JsonArray().add(level("419.98", "0.250")), book.snapshot(0).getJsonArray("bids"));
        assertEquals(41_998L, book.best(Side.BUY).getKey());
        assertEquals(13L, book.updateId());
        assertEquals(crc32("419.98:0.250;"), book.checksum());
    }

    @Test
    void aZeroChangeChangesNothing() {
        BookMirror book = new BookMirror(TSLA, 10);
        book.change(Side.SELL, 42_001, 0, 11);

        assertFalse(book.hasChanges());
        assertEquals(10L, book.updateId());
    }

    @Test
    void aLevelCannotGoBelowZero() {
        BookMirror book = new BookMirror(TSLA, 10);
        book.change(Side.SELL, 42_001, 100, 11);

        assertThrows(IllegalStateException.class, () -> book.change(Side.SELL, 42_001, -101, 12));
    }

    @Test
    void aSnapshotCanBeLimitedInDepth() {
        BookMirror book = workedExample(5);

        JsonObject top = book.snapshot(1);

        assertEquals(new JsonArray().add(level("419.99", "1.500")), top.getJsonArray("bids"));
        assertEquals(new JsonArray().add(level("420.01", "2.000")), top.getJsonArray("asks"));
        assertEquals(5L, top.getLong("updateId"));
        assertEquals(WORKED_EXAMPLE_CHECKSUM, top.getLong("checksum"), "the checksum is of the book, not of the page");
    }

    @Test
    void aDeltaCarriesTheChangedLevelsAndChainsToTheLastOne() {
        BookMirror book = workedExample(101);

        assertTrue(book.hasChanges());
        JsonObject first = book.takeDelta();

        assertEquals("TSLAx/USDT", first.getString("symbol"));
        assertEquals(101L, first.getLong("updateId"));
        assertEquals(100L, first.getLong("prevUpdateId"));
        assertEquals(new JsonArray().add(level("419.99", "1.500")).add(level("419.98", "0.250")), first.getJsonArray("bids"),
            "changed bids, best first");
        assertEquals(new JsonArray().add(level("420.01", "2.000")).add(level("420.05", "0.010")), first.getJsonArray("asks"),
            "changed asks, best first");
        assertEquals(WORKED_EXAMPLE_CHECKSUM, first.getLong("checksum"));
        assertFalse(book.hasChanges(), "a delta forgets what it sent");

        // Command 102 takes the best bid away and adds to an ask; 103 touches nothing on this book.
        book.change(Side.BUY, 41_999, -1_500, 102);
        book.change(Side.SELL, 42_005, 90, 102);
        JsonObject second = book.takeDelta();

        assertEquals(102L, second.getLong("updateId"));
        assertEquals(101L, second.getLong("prevUpdateId"), "chains to the previous delta's updateId");
        assertEquals(new JsonArray().add(level("419.99", "0.000")), second.getJsonArray("bids"),
            "a removed level is sent with quantity zero (in the lot's decimals); unchanged levels are not sent");
        assertEquals(new JsonArray().add(level("420.05", "0.100")), second.getJsonArray("asks"));
        assertEquals(crc32("419.98:0.250;420.01:2.000|420.05:0.100"), second.getLong("checksum"));

        // Changes spread over several commands of one batch make one delta from the last delta's updateId.
        book.change(Side.SELL, 42_001, -500, 104);
        book.change(Side.BUY, 41_997, 20, 106);
        JsonObject third = book.takeDelta();

        assertEquals(106L, third.getLong("updateId"));
        assertEquals(102L, third.getLong("prevUpdateId"));
        assertEquals(new JsonArray().add(level("419.97", "0.020")), third.getJsonArray("bids"));
        assertEquals(new JsonArray().add(level("420.01", "1.500")), third.getJsonArray("asks"));
        assertEquals(crc32("419.98:0.250|419.97:0.020;420.01:1.500|420.05:0.100"), third.getLong("checksum"));
        assertEquals(106L, book.snapshot(0).getLong("updateId"));
    }
}
