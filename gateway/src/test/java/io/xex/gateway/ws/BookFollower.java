package io.xex.gateway.ws;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xex.gateway.WsClient;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * For tests: a client-side order book kept the way the API documentation tells a client to: take the
 * {@code book.<symbol>} snapshot, then apply every delta in order, checking that each one continues from
 * the last update id applied ({@code prevUpdateId}) and that the book's checksum (CRC32 of the top 10
 * levels as text) equals the one sent. A new snapshot (sent after a slow reader catches up) replaces the
 * book. Works from the messages a {@link WsClient} has received; call {@link #drain} on the test thread.
 */
final class BookFollower {
    static final int CHECKSUM_LEVELS = 10;

    private final WsClient client;
    private final String channel;
    private final String symbol;
    /** Price → {price text, quantity text} exactly as received. */
    private final TreeMap<BigDecimal, String[]> bids = new TreeMap<>(Collections.reverseOrder());
    private final TreeMap<BigDecimal, String[]> asks = new TreeMap<>(Comparator.naturalOrder());
    private int next;
    private long lastUpdateId = -1;
    private long firstSnapshotUpdateId = -1;
    private int snapshots;
    private int deltas;
    private int checksumsVerified;
    private int levelsRemoved;

    BookFollower(WsClient client, String symbol) {
        this.client = client;
        this.symbol = symbol;
        this.channel = "book." + symbol;
    }

    /** Applies every message of the channel received since the last call; fails on any inconsistency. */
    BookFollower drain() {
        List<JsonObject> pushed = client.pushed;
        while (next < pushed.size()) {
            JsonObject message = pushed.get(next++);
            if (!channel.equals(message.getString("channel"))) {
                continue;
            }
            JsonObject data = message.getJsonObject("data");
            assertEquals(symbol, data.getString("symbol"), message.encode());
            switch (message.getString("type")) {
                case "snapshot" -> snapshot(data);
                case "delta" -> delta(data);
                default -> fail("unexpected message on " + channel + ": " + message.encode());
            }
        }
        return this;
    }

    private void snapshot(JsonObject data) {
        bids.clear();
        asks.clear();
        put(bids, data.getJsonArray("bids"), false);
        put(asks, data.getJsonArray("asks"), false);
        long updateId = data.getLong("updateId");
        assertTrue(updateId >= lastUpdateId, "a snapshot never goes back: " + updateId + " after " + lastUpdateId);
        lastUpdateId = updateId;
        if (snapshots++ == 0) {
            firstSnapshotUpdateId = updateId;
        }
        verify(data);
    }

    private void delta(JsonObject data) {
        if (lastUpdateId < 0) {
            fail("a delta before the snapshot: " + data.encode());
        }
        long prev = data.getLong("prevUpdateId");
        long updateId = data.getLong("updateId");
        assertEquals(lastUpdateId, prev, "delta does not continue from the last update id applied: " + data.encode());
        assertTrue(updateId > prev, "update ids grow: " + data.encode());
        JsonArray changedBids = data.getJsonArray("bids");
        JsonArray changedAsks = data.getJsonArray("asks");
        assertTrue(!changedBids.isEmpty() || !changedAsks.isEmpty(), "an empty delta: " + data.encode());
        put(bids, changedBids, true);
        put(asks, changedAsks, true);
        lastUpdateId = updateId;
        deltas++;
        verify(data);
        if (!bids.isEmpty() && !asks.isEmpty()) {
            assertTrue(bids.firstKey().compareTo(asks.firstKey()) < 0,
                "crossed after delta " + updateId + ": " + bids.firstKey() + " / " + asks.firstKey());
        }
    }

    private void put(TreeMap<BigDecimal, String[]> side, JsonArray levels, boolean delta) {
        BigDecimal previous = null;
        for (int i = 0; i < levels.size(); i++) {
            JsonArray level = levels.getJsonArray(i);
            assertEquals(2, level.size(), levels.encode());
            String priceText = (String) level.getValue(0);
            String quantityText = (String) level.getValue(1);
            BigDecimal price = new BigDecimal(priceText);
            BigDecimal quantity = new BigDecimal(quantityText);
            assertTrue(price.signum() > 0 && quantity.signum() >= 0, levels.encode());
            if (previous != null) {
                assertTrue(side.comparator().compare(previous, price) < 0, "levels best first: " + levels.encode());
            }
            previous = price;
            if (quantity.signum() == 0) {
                if (!delta) {
                    fail("a snapshot with an empty level: " + levels.encode());
                }
                if (side.remove(price) != null) {
                    levelsRemoved++;
                }
            } else {
                side.put(price, new String[] {priceText, quantityText});
            }
        }
    }

    private void verify(JsonObject data) {
        assertEquals(data.getLong("checksum").longValue(), checksum(), () -> "checksum after update " + data.getLong("updateId")
            + ", top 10 " + checksumText());
        checksumsVerified++;
    }

    /** The text the checksum covers: top 10 bids best first, {@code ;}, top 10 asks best first. */
    String checksumText() {
        StringBuilder text = new StringBuilder();
        appendTop(text, bids);
        text.append(';');
        appendTop(text, asks);
        return text.toString();
    }

    long checksum() {
        CRC32 crc = new CRC32();
        crc.update(checksumText().getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    private static void appendTop(StringBuilder text, TreeMap<BigDecimal, String[]> side) {
        Iterator<String[]> it = side.values().iterator();
        for (int n = 0; n < CHECKSUM_LEVELS && it.hasNext(); n++) {
            String[] level = it.next();
            text.append(n == 0 ? "" : "|").append(level[0]).append(':').append(level[1]);
        }
    }

    /** Up to {@code depth} levels of a side (0: all) as [[price, quantity], ...] text, as the API sends them. */
    JsonArray levels(boolean bidSide, int depth) {
        JsonArray out = new JsonArray();
        for (Map.Entry<BigDecimal, String[]> level : (bidSide ? bids : asks).entrySet()) {
            if (depth > 0 && out.size() == depth) {
                break;
            }
            out.add(new JsonArray().add(level.getValue()[0]).add(level.getValue()[1]));
        }
        return out;
    }

    List<String> describe() {
        List<String> out = new ArrayList<>();
        out.add("updateId=" + lastUpdateId + " snapshots=" + snapshots + " deltas=" + deltas);
        out.add("top " + checksumText());
        return out;
    }

    long lastUpdateId() {
        return lastUpdateId;
    }

    long firstSnapshotUpdateId() {
        return firstSnapshotUpdateId;
    }

    int snapshots() {
        return snapshots;
    }

    int deltas() {
        return deltas;
    }

    int checksumsVerified() {
        return checksumsVerified;
    }

    int levelsRemoved() {
        return levelsRemoved;
    }

    int levelCount(boolean bidSide) {
        return (bidSide ? bids : asks).size();
    }
}
