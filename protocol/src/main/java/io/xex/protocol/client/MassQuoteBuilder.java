package io.xex.protocol.client;

import io.xex.protocol.sbe.TimeInForce;

/**
 * The quotes of one MassQuote, gathered without allocating: {@link BinaryClient#massQuote} hands out the
 * client's one builder, reset; add up to {@value #MAX_QUOTES} quotes and {@link #send()}. Confined to the
 * client's context, like the client.
 */
public final class MassQuoteBuilder {
    /** The most quotes one MassQuote may hold. */
    public static final int MAX_QUOTES = 32;
    /** Longs per quote in {@link #quotes}: securityId, bidPrice, bidQuantity, askPrice, askQuantity. */
    static final int FIELDS = 5;

    private final BinaryClient client;
    private final long[] quotes = new long[MAX_QUOTES * FIELDS];
    private int count;
    private long requestId;
    private TimeInForce timeInForce;

    MassQuoteBuilder(BinaryClient client) {
        this.client = client;
    }

    MassQuoteBuilder start(long requestId, TimeInForce timeInForce) {
        if (timeInForce != TimeInForce.GTC && timeInForce != TimeInForce.POST_ONLY) {
            throw new IllegalArgumentException("a MassQuote is GTC or POST_ONLY, not " + timeInForce);
        }
        this.requestId = requestId;
        this.timeInForce = timeInForce;
        this.count = 0;
        return this;
    }

    /**
     * Replaces the quote on one instrument; a quantity of 0 means no order on that side (a resting one is
     * cancelled). Prices in ticks, quantities in lots.
     */
    public MassQuoteBuilder quote(long securityId, long bidPrice, long bidQuantity, long askPrice, long askQuantity) {
        if (count == MAX_QUOTES) {
            throw new IllegalArgumentException("more than " + MAX_QUOTES + " quotes");
        }
        int at = count * FIELDS;
        quotes[at] = securityId;
        quotes[at + 1] = bidPrice;
        quotes[at + 2] = bidQuantity;
        quotes[at + 3] = askPrice;
        quotes[at + 4] = askQuantity;
        count++;
        return this;
    }

    /** Quotes added so far. */
    public int count() {
        return count;
    }

    /** Sends the MassQuote; same result as the client's other sends. */
    public boolean send() {
        return client.sendMassQuote(requestId, timeInForce, quotes, count);
    }
}
