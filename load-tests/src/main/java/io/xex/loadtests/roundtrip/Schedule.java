package io.xex.loadtests.roundtrip;

/**
 * When every request of one run is due, open model: request {@code i} at {@code t0 + i / perSecond}, whatever
 * happened to the earlier ones; {@code total} requests over the warm-up and the measured window
 * [{@code measureStartNs}, {@code measureEndNs}), shared by {@code connections} connections: connection {@code c}
 * sends requests {@code i} with {@code i % connections == c}, its {@code k}-th being {@code k * connections + c}.
 *
 * @param perSecond      the offered rate
 * @param t0Ns           when request 0 is due ({@link System#nanoTime()})
 * @param measureStartNs requests due from here on are measured
 * @param measureEndNs   …up to here
 * @param total          requests in the run
 * @param connections    connections sharing it
 */
public record Schedule(double perSecond, long t0Ns, long measureStartNs, long measureEndNs, long total,
                       int connections) {

    public static Schedule of(double perSecond, long startNs, long warmupNs, long measureNs, int connections) {
        long measureStartNs = startNs + warmupNs;
        long total = (long) Math.ceil((warmupNs + measureNs) / 1e9 * perSecond);
        return new Schedule(perSecond, startNs, measureStartNs, measureStartNs + measureNs, total, connections);
    }

    public long dueNs(long i) {
        return t0Ns + (long) (i * 1e9 / perSecond);
    }

    /** How many requests are due by {@code nowNs} (requests {@code 0..n-1}). */
    public long dueBy(long nowNs) {
        return nowNs < t0Ns ? 0 : Math.min(total, (long) ((nowNs - t0Ns) * perSecond / 1e9) + 1);
    }

    public boolean measured(long ns) {
        return ns >= measureStartNs && ns < measureEndNs;
    }

    public long measureNs() {
        return measureEndNs - measureStartNs;
    }

    /** How many requests connection {@code index} sends in the whole run. */
    public long shareOf(int index) {
        return total > index ? (total - index + connections - 1) / connections : 0;
    }

    /** How many of connection {@code index}'s requests are due by {@code nowNs}: its {@code 0..n-1}. */
    public long shareDueBy(int index, long nowNs) {
        long due = dueBy(nowNs);
        return due <= index ? 0 : Math.min(shareOf(index), (due - index + connections - 1) / connections);
    }

    /** The request that is connection {@code index}'s {@code k}-th. */
    public long requestOf(int index, long k) {
        return k * connections + index;
    }
}
