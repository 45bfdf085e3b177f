package io.xex.loadtests.engine;

import io.xex.loadtests.Harness;
import io.xex.matching.replay.OrderStream;
import io.xex.matching.replay.Replayer;
import org.HdrHistogram.Histogram;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Measures xex's matching engine and the exchange-core 0.5.3 order book side by side, in one process, on
 * one order stream, the way the anchor was measured (shared/bench/README.md §5): the stream is parsed into
 * memory once; each measured pass runs on a fresh engine and the clock runs from submitting the first
 * command to the return of the last; warm-up passes first; the median pass is reported. The two engines'
 * passes are interleaved, alternating which goes first, so they share the machine's noise. A full GC runs
 * before each pass, outside the clock, so one engine's garbage is not collected on the other's time.
 *
 * <p>Then, per engine, latency passes time each single command with {@link System#nanoTime()} (its own cost,
 * some tens of ns, is included) into an HdrHistogram.
 *
 * <pre>
 * java -cp load-tests/target/benchmarks.jar io.xex.loadtests.engine.EngineComparison \
 *     --stream ../shared/bench/medium.csv.gz [--runs 5] [--warmup 5] [--latency-runs 1] [--tape FILE]
 * </pre>
 *
 * {@code --tape} first checks exchange-core's trade tape against a reference tape file.
 */
public final class EngineComparison {

    static final int DEFAULT_RUNS = 5;
    static final int DEFAULT_WARMUP = 5;
    static final int DEFAULT_LATENCY_RUNS = 1;

    private static final long HIGHEST_LATENCY_NS = TimeUnit.SECONDS.toNanos(60);
    private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99};

    private EngineComparison() {
    }

    /** One engine as the comparison drives it. */
    private interface Engine {
        String name();

        void freshEngine();

        void apply(int i);

        void runAll();

        long trades();
    }

    private static final class XexEngine implements Engine {
        private final Replayer replayer;

        XexEngine(OrderStream stream) {
            this.replayer = new Replayer(stream);
        }

        @Override
        public String name() {
            return "xex";
        }

        @Override
        public void freshEngine() {
            replayer.freshEngine();
        }

        @Override
        public void apply(int i) {
            replayer.apply(i);
        }

        @Override
        public void runAll() {
            replayer.runAll();
        }

        @Override
        public long trades() {
            return replayer.trades();
        }
    }

    private static final class ExchangeCoreEngine implements Engine {
        private final ExchangeCoreBook book;

        ExchangeCoreEngine(ExchangeCoreBook book) {
            this.book = book;
        }

        @Override
        public String name() {
            return "exchange-core";
        }

        @Override
        public void freshEngine() {
            book.freshEngine();
        }

        @Override
        public void apply(int i) {
            book.apply(i);
        }

        @Override
        public void runAll() {
            book.runAll();
        }

        @Override
        public long trades() {
            return book.trades();
        }
    }

    /** What one engine measured. */
    private static final class Result {
        final Engine engine;
        final double[] commandsPerSecond;
        final Histogram latencyNs = new Histogram(HIGHEST_LATENCY_NS, 3);
        long trades = -1;
        boolean tradesVary;

        Result(Engine engine, int runs) {
            this.engine = engine;
            this.commandsPerSecond = new double[runs];
        }

        void checkTrades(long passTrades) {
            if (trades >= 0 && trades != passTrades) {
                tradesVary = true;
            }
            trades = passTrades;
        }

        double median() {
            double[] sorted = commandsPerSecond.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        double min() {
            return Arrays.stream(commandsPerSecond).min().orElse(Double.NaN);
        }

        double max() {
            return Arrays.stream(commandsPerSecond).max().orElse(Double.NaN);
        }
    }

    public static void main(String[] args) throws IOException {
        Path streamFile = null;
        Path tapeFile = null;
        int runs = DEFAULT_RUNS;
        int warmup = DEFAULT_WARMUP;
        int latencyRuns = DEFAULT_LATENCY_RUNS;
        for (int a = 0; a < args.length; a++) {
            String arg = args[a];
            if (a + 1 == args.length) {
                usage("missing value after " + arg);
            }
            String value = args[++a];
            switch (arg) {
                case "--stream" -> streamFile = Path.of(value);
                case "--tape" -> tapeFile = Path.of(value);
                case "--runs" -> runs = count(arg, value, 1);
                case "--warmup" -> warmup = count(arg, value, 0);
                case "--latency-runs" -> latencyRuns = count(arg, value, 0);
                default -> usage("unknown option " + arg);
            }
        }
        if (streamFile == null) {
            usage("--stream is required");
        }

        OrderStream stream = OrderStream.read(streamFile);
        ExchangeCoreBook book = new ExchangeCoreBook(stream);
        if (tapeFile != null) {
            checkTape(book, tapeFile);
        }
        List<Result> results = List.of(
            new Result(new XexEngine(stream), runs),
            new Result(new ExchangeCoreEngine(book), runs));

        printMachine(streamFile, stream, runs, warmup, latencyRuns);

        for (int w = 0; w < warmup; w++) {
            for (Result r : results) {
                pass(r.engine, stream.size());
            }
        }
        for (int run = 0; run < runs; run++) {
            for (int k = 0; k < results.size(); k++) {
                Result r = results.get((run + k) % results.size());
                r.commandsPerSecond[run] = pass(r.engine, stream.size());
                r.checkTrades(r.engine.trades());
            }
        }
        for (int run = 0; run < latencyRuns; run++) {
            for (int k = 0; k < results.size(); k++) {
                Result r = results.get((run + k) % results.size());
                latencyPass(r.engine, stream.size(), r.latencyNs);
                r.checkTrades(r.engine.trades());
            }
        }

        printResults(results, latencyRuns > 0);
        System.out.printf(Locale.ROOT, "exchange-core rejected: cancels=%d reduces=%d%n",
            book.rejectedCancels(), book.rejectedReduces());
    }

    /** One pass on a fresh engine; returns commands per second. */
    private static double pass(Engine engine, int commands) {
        engine.freshEngine();
        System.gc();
        long startNs = System.nanoTime();
        engine.runAll();
        long elapsedNs = System.nanoTime() - startNs;
        return commands * 1e9 / elapsedNs;
    }

    private static void latencyPass(Engine engine, int commands, Histogram latencyNs) {
        engine.freshEngine();
        System.gc();
        for (int i = 0; i < commands; i++) {
            long startNs = System.nanoTime();
            engine.apply(i);
            long elapsedNs = System.nanoTime() - startNs;
            latencyNs.recordValue(Math.min(elapsedNs, HIGHEST_LATENCY_NS));
        }
    }

    private static void checkTape(ExchangeCoreBook book, Path tapeFile) throws IOException {
        book.freshEngine();
        book.runAll();
        ByteArrayOutputStream tape = new ByteArrayOutputStream(1 << 20);
        book.writeTape(tape);
        byte[] expected;
        try (InputStream raw = Files.newInputStream(tapeFile);
             InputStream in = tapeFile.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            expected = in.readAllBytes();
        }
        if (!Arrays.equals(tape.toByteArray(), expected)) {
            System.err.println("exchange-core's tape differs from " + tapeFile);
            System.exit(1);
        }
        System.out.println("exchange-core's tape equals " + tapeFile + " (" + book.trades() + " trades)");
    }

    private static void printMachine(Path streamFile, OrderStream stream, int runs, int warmup, int latencyRuns) {
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "stream: %s, %d commands, %d symbols%n",
            streamFile, stream.size(), stream.symbols().size());
        System.out.printf(Locale.ROOT, "java: %s %s (%s), max heap %d MiB%n",
            System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
            System.getProperty("java.vm.vendor"), rt.maxMemory() >> 20);
        System.out.printf(Locale.ROOT, "os: %s %s %s, availableProcessors (nproc): %d%n",
            System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
            rt.availableProcessors());
        System.out.println("cpu: " + Harness.cpuModel());
        System.out.printf(Locale.ROOT,
            "method: %d warm-up + %d measured passes per engine, each on a fresh engine, interleaved; "
                + "median reported; %d latency pass(es) per engine%n%n", warmup, runs, latencyRuns);
    }

    private static void printResults(List<Result> results, boolean withLatency) {
        System.out.printf(Locale.ROOT, "%-14s %8s %11s %8s %8s", "engine", "trades", "median M/s", "min", "max");
        if (withLatency) {
            System.out.printf(Locale.ROOT, " | %7s %7s %7s %7s %8s %10s  (latency, ns)",
                "p50", "p90", "p99", "p99.9", "p99.99", "max");
        }
        System.out.println();
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-14s %8d %11.3f %8.3f %8.3f", r.engine.name(), r.trades,
                r.median() / 1e6, r.min() / 1e6, r.max() / 1e6);
            if (withLatency) {
                System.out.print(" |");
                for (double p : PERCENTILES) {
                    System.out.printf(Locale.ROOT, " %7d", r.latencyNs.getValueAtPercentile(p));
                }
                System.out.printf(Locale.ROOT, " %10d", r.latencyNs.getMaxValue());
            }
            System.out.println();
            if (r.tradesVary) {
                System.out.println("WARNING: " + r.engine.name() + " traded a different number of times across passes");
            }
        }
        Result xex = results.get(0);
        Result anchor = results.get(1);
        if (xex.trades != anchor.trades) {
            System.out.printf(Locale.ROOT, "WARNING: trade counts differ: xex %d, exchange-core %d%n",
                xex.trades, anchor.trades);
        }
        System.out.printf(Locale.ROOT, "%nxex / exchange-core: throughput %.2fx (higher is better)",
            xex.median() / anchor.median());
        if (withLatency) {
            System.out.printf(Locale.ROOT, ", latency p50 %.2fx, p99 %.2fx (lower is better)",
                ratio(xex.latencyNs, anchor.latencyNs, 50), ratio(xex.latencyNs, anchor.latencyNs, 99));
        }
        System.out.println();
    }

    private static double ratio(Histogram a, Histogram b, double percentile) {
        return (double) a.getValueAtPercentile(percentile) / b.getValueAtPercentile(percentile);
    }

    private static int count(String option, String value, int min) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to usage()
        }
        usage(option + " needs an integer >= " + min + ", got " + value);
        return min;
    }

    private static void usage(String problem) {
        System.err.println(problem);
        System.err.println("usage: EngineComparison --stream FILE [--runs N (default " + DEFAULT_RUNS
            + ")] [--warmup N (default " + DEFAULT_WARMUP + ")] [--latency-runs N (default "
            + DEFAULT_LATENCY_RUNS + ")] [--tape REFERENCE_TAPE]");
        System.exit(2);
    }
}
