package io.xex.gateway.market;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.xex.gateway.Listings.Listing;
import io.xex.matching.Side;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.zip.CRC32;

/**
 * One symbol's price levels, rebuilt from the engine's durable order events, with the update id of the
 * last command that changed them and the levels changed since the last delta.
 *
 * <p>The checksum is a CRC32 of the top {@value #CHECKSUM_LEVELS} levels of each side written as text:
 * the bids best first, then {@code ;}, then the asks best first; each level {@code price:quantity} with the
 * decimal strings exactly as sent, levels joined by {@code |}. An empty book is the string {@code ;}.
 *
 * <p>Confined to the gateway's context.
 */
final class BookMirror {
    static final int CHECKSUM_LEVELS = 10;

    private final Listing listing;
    private final TreeMap<Long, Long> bids = new TreeMap<>(Collections.reverseOrder());
    private final TreeMap<Long, Long> asks = new TreeMap<>();
    private final TreeSet<Long> changedBids = new TreeSet<>(Collections.reverseOrder());
    private final TreeSet<Long> changedAsks = new TreeSet<>();
    private long updateId;
    /** The update id the pending changes apply on top of. */
    private long deltaFrom;

    BookMirror(Listing listing, long updateId) {
        this.listing = listing;
        this.updateId = updateId;
        this.deltaFrom = updateId;
    }

    long updateId() {
        return updateId;
    }

    /** Adds {@code lots} (negative: removes) at a price, as part of the command with sequence {@code sequence}. */
    void change(Side side, long price, long lots, long sequence) {
        if (lots == 0) {
            return;
        }
        TreeMap<Long, Long> levels = side == Side.BUY ? bids : asks;
        long now = levels.getOrDefault(price, 0L) + lots;
        if (now < 0) {
            throw new IllegalStateException(listing.symbol() + " level " + price + " below zero");
        }
        if (now == 0) {
            levels.remove(price);
        } else {
            levels.put(price, now);
        }
        (side == Side.BUY ? changedBids : changedAsks).add(price);
        updateId = sequence;
    }

    boolean hasChanges() {
        return !changedBids.isEmpty() || !changedAsks.isEmpty();
    }

    /** The changes since the last delta as one message body, and forgets them. */
    JsonObject takeDelta() {
        JsonObject delta = new JsonObject()
            .put("symbol", listing.symbol())
            .put("updateId", updateId)
            .put("prevUpdateId", deltaFrom)
            .put("bids", levels(changedBids, bids))
            .put("asks", levels(changedAsks, asks))
            .put("checksum", checksum());
        changedBids.clear();
        changedAsks.clear();
        deltaFrom = updateId;
        return delta;
    }

    /** The book down to {@code depth} levels a side (all of them if {@code depth} is 0). */
    JsonObject snapshot(int depth) {
        return new JsonObject()
            .put("symbol", listing.symbol())
            .put("updateId", updateId)
            .put("bids", top(bids, depth))
            .put("asks", top(asks, depth))
            .put("checksum", checksum());
    }

    /** The best price of a side and its quantity, or {@code null}. */
    Map.Entry<Long, Long> best(Side side) {
        return (side == Side.BUY ? bids : asks).firstEntry();
    }

    long checksum() {
        StringBuilder text = new StringBuilder(512);
        appendTop(text, bids);
        text.append(';');
        appendTop(text, asks);
        CRC32 crc = new CRC32();
        crc.update(text.toString().getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    private void appendTop(StringBuilder text, TreeMap<Long, Long> levels) {
        int n = 0;
        for (Iterator<Map.Entry<Long, Long>> it = levels.entrySet().iterator(); it.hasNext() && n < CHECKSUM_LEVELS; n++) {
            Map.Entry<Long, Long> level = it.next();
            if (n > 0) {
                text.append('|');
            }
            text.append(listing.price(level.getKey())).append(':').append(listing.quantity(level.getValue()));
        }
    }

    private JsonArray levels(TreeSet<Long> prices, TreeMap<Long, Long> levels) {
        JsonArray out = new JsonArray();
        for (long price : prices) {
            out.add(new JsonArray().add(listing.price(price)).add(listing.quantity(levels.getOrDefault(price, 0L))));
        }
        return out;
    }

    private JsonArray top(TreeMap<Long, Long> levels, int depth) {
        JsonArray out = new JsonArray();
        for (Map.Entry<Long, Long> level : levels.entrySet()) {
            if (depth > 0 && out.size() == depth) {
                break;
            }
            out.add(new JsonArray().add(listing.price(level.getKey())).add(listing.quantity(level.getValue())));
        }
        return out;
    }
}
