package io.xex.loadtests.ws;

/**
 * When every request of one run is due, open model: request {@code i} at {@code t0 + i / perSecond}, whatever
 * happened to the earlier ones; {@code total} requests over the warm-up and the measured window
 * [{@code measureStartNs}, {@code measureEndNs}), shared by {@code connections} connections ({@code i % connections}).
 *
 * @param perSecond      the offered rate
 * @param t0Ns           when request 0 is due ({@link System#nanoTime()})
 * @param measureStartNs requests due from here on are measured
 * @param measureEndNs   …up to here
 * @param total          requests in the run
 * @param connections    connections sharing it
 */
record Schedule(double perSecond, long t0Ns, long measureStartNs, long measureEndNs, long total, int connections) {

    static Schedule of(double perSecond, long startNs, long warmupNs, long measureNs, int connections) {
        long measureStartNs = startNs + warmupNs;
        long total = (long) Math.ceil((warmupNs + measureNs) / 1e9 * perSecond);
        return new Schedule(perSecond, startNs, measureStartNs, measureStartNs + measureNs, total, connections);
    }

    long dueNs(long i) {
        return t0Ns + (long) (i * 1e9 / perSecond);
    }

    /** How many requests are due by {@code nowNs} (requests {@code 0..n-1}). */
    long dueBy(long nowNs) {
        return nowNs < t0Ns ? 0 : Math.min(total, (long) ((nowNs - t0Ns) * perSecond / 1e9) + 1);
    }

    boolean measured(long ns) {
        return ns >= measureStartNs && ns < measureEndNs;
    }

    long measureNs() {
        return measureEndNs - measureStartNs;
    }
}
