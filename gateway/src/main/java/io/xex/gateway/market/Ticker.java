package io.xex.gateway.market;

/**
 * A symbol's trades over the last 24 hours in one-minute buckets: open, high, low, last, volume (lots) and
 * quote volume (quote units) over the rolling window, and the last trade.
 *
 * <p>Confined to the gateway's context.
 */
final class Ticker {
    static final int MINUTES = 24 * 60;
    private static final long MS_PER_MINUTE = 60_000;

    private final long[] minute = new long[MINUTES];
    private final long[] open = new long[MINUTES];
    private final long[] high = new long[MINUTES];
    private final long[] low = new long[MINUTES];
    private final long[] close = new long[MINUTES];
    private final long[] volume = new long[MINUTES];
    private final long[] quoteVolume = new long[MINUTES];
    private long lastPrice;
    private long lastTradeId;

    Ticker() {
        java.util.Arrays.fill(minute, -1);
    }

    void onTrade(long tradeId, long timeMs, long price, long lots, long quoteUnits) {
        if (tradeId <= lastTradeId) {
            return;
        }
        lastTradeId = tradeId;
        lastPrice = price;
        long m = Math.floorDiv(timeMs, MS_PER_MINUTE);
        int i = Math.floorMod(m, MINUTES);
        if (minute[i] != m) {
            minute[i] = m;
            open[i] = price;
            high[i] = price;
            low[i] = price;
            volume[i] = 0;
            quoteVolume[i] = 0;
        }
        high[i] = Math.max(high[i], price);
        low[i] = Math.min(low[i], price);
        close[i] = price;
        volume[i] += lots;
        quoteVolume[i] += quoteUnits;
    }

    long lastPrice() {
        return lastPrice;
    }

    /** The window ending at {@code nowMs}: {open, high, low, volume, quoteVolume}; prices 0 without trades. */
    long[] window(long nowMs) {
        long now = Math.floorDiv(nowMs, MS_PER_MINUTE);
        long firstMinute = Long.MAX_VALUE;
        long o = 0;
        long h = 0;
        long l = Long.MAX_VALUE;
        long v = 0;
        long q = 0;
        for (int i = 0; i < MINUTES; i++) {
            if (minute[i] <= now - MINUTES || minute[i] > now) {
                continue;
            }
            if (minute[i] < firstMinute) {
                firstMinute = minute[i];
                o = open[i];
            }
            h = Math.max(h, high[i]);
            l = Math.min(l, low[i]);
            v += volume[i];
            q += quoteVolume[i];
        }
        return new long[] {o, h, l == Long.MAX_VALUE ? 0 : l, v, q};
    }
}
