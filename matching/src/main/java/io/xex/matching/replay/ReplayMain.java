package io.xex.matching.replay;

import io.xex.matching.MatchingEngine;
import io.xex.matching.Side;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * {@code xex replay --stream FILE --tape OUT [--runs N] [--warmup N]}: replays an order stream through
 * the engine, writes the trade tape, and prints the final books, the cancel and reduce counts and the
 * throughput measured the anchor's way (shared/bench/README.md §5): the stream parsed into memory first,
 * warm-up passes, then N measured passes each on a fresh engine, the median reported.
 */
public final class ReplayMain {
    static final String USAGE = "usage: xex replay --stream FILE --tape OUT [--runs N] [--warmup N]";

    private ReplayMain() {
    }

    public static void main(String[] args) throws IOException {
        Path streamFile = null;
        Path tapeFile = null;
        int runs = 5;
        int warmup = 5;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (i + 1 >= args.length && !arg.equals("--help")) {
                fail("missing value after " + arg);
            }
            switch (arg) {
                case "--stream" -> streamFile = Path.of(args[++i]);
                case "--tape" -> tapeFile = Path.of(args[++i]);
                case "--runs" -> runs = positive(args[++i], "--runs", 1);
                case "--warmup" -> warmup = positive(args[++i], "--warmup", 0);
                case "--help" -> {
                    System.out.println(USAGE);
                    return;
                }
                default -> fail("unknown option " + arg);
            }
        }
        if (streamFile == null || tapeFile == null) {
            fail("--stream and --tape are required");
        }
        if (!Files.isReadable(streamFile)) {
            fail("cannot read " + streamFile);
        }
        OrderStream stream = OrderStream.read(streamFile);
        Report report = run(stream, runs, warmup);
        writeTape(report.replayer, tapeFile);
        PrintStream out = System.out;
        report.print(out);
        out.flush();
    }

    /** The outcome of a replay: the last pass's engine and counts, and the measured pass times. */
    record Report(Replayer replayer, long[] passNanos) {
        long medianNanos() {
            long[] sorted = passNanos.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        void print(PrintStream out) {
            OrderStream stream = replayer.stream();
            MatchingEngine engine = replayer.engine();
            for (int s = 0; s < stream.symbols().size(); s++) {
                out.println("final book " + stream.symbols().get(s) + ": bids[" + fingerprint(engine, s, Side.BUY)
                    + "] asks[" + fingerprint(engine, s, Side.SELL) + "]");
            }
            int cancels = 0;
            int reduces = 0;
            for (int i = 0; i < stream.size(); i++) {
                if (stream.op(i) == OrderStream.OP_CANCEL) {
                    cancels++;
                } else if (stream.op(i) == OrderStream.OP_REDUCE) {
                    reduces++;
                }
            }
            out.println("cancel ok=" + (cancels - replayer.cancelsRejected()) + " rejected=" + replayer.cancelsRejected()
                + " | reduce ok=" + (reduces - replayer.reducesRejected()) + " (to_zero=" + replayer.reducedToZero()
                + ") rejected=" + replayer.reducesRejected() + " | live_at_end=" + engine.liveOrderCount());
            long median = medianNanos();
            out.println("commands=" + stream.size() + " trades=" + replayer.trades()
                + " seconds=" + String.format(Locale.ROOT, "%.6f", median / 1e9)
                + " throughput=" + Math.round(stream.size() * 1e9 / median));
        }
    }

    /** Warm-up passes, then measured passes each on a fresh engine. */
    static Report run(OrderStream stream, int runs, int warmup) {
        Replayer replayer = new Replayer(stream);
        for (int i = 0; i < warmup; i++) {
            replayer.freshEngine();
            replayer.runAll();
        }
        long[] passNanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            replayer.freshEngine();
            long start = System.nanoTime();
            replayer.runAll();
            passNanos[i] = System.nanoTime() - start;
        }
        return new Report(replayer, passNanos);
    }

    /**
     * One side's fingerprint as in the {@code *.expected.txt} files: levels, orders, quantity, best price
     * and a hash folded over the levels in priority order.
     */
    static String fingerprint(MatchingEngine engine, int instrumentId, Side side) {
        long[] f = {0, 0, 0, -1, 1};
        engine.forEachLevel(instrumentId, side, Integer.MAX_VALUE, (price, quantity, orderCount) -> {
            if (f[0] == 0) {
                f[3] = price;
            }
            f[0]++;
            f[1] += orderCount;
            f[2] += quantity;
            long h = f[4];
            h = h * 31 + price;
            h = h * 31 + quantity;
            h = h * 31 + orderCount;
            f[4] = h;
        });
        return "levels=" + f[0] + " orders=" + f[1] + " qty=" + f[2] + " best=" + f[3]
            + " hash=" + String.format("%016x", f[4]);
    }

    static void writeTape(Replayer replayer, Path tapeFile) throws IOException {
        Path parent = tapeFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tapeFile), 1 << 16)) {
            writeTape(replayer, out);
        }
    }

    static void writeTape(Replayer replayer, OutputStream out) throws IOException {
        StringBuilder line = new StringBuilder(64);
        out.write("taker_order_id,maker_order_id,price,qty\n".getBytes(StandardCharsets.US_ASCII));
        long[] tape = replayer.tape();
        long trades = replayer.trades();
        for (int t = 0; t < trades; t++) {
            line.setLength(0);
            line.append(tape[t * 4]).append(',').append(tape[t * 4 + 1]).append(',')
                .append(tape[t * 4 + 2]).append(',').append(tape[t * 4 + 3]).append('\n');
            for (int i = 0; i < line.length(); i++) {
                out.write(line.charAt(i));
            }
        }
    }

    private static int positive(String value, String option, int min) {
        try {
            int n = Integer.parseInt(value);
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        fail(option + " needs a whole number >= " + min + ", got " + value);
        return 0;
    }

    private static void fail(String message) {
        System.err.println("xex replay: " + message);
        System.err.println(USAGE);
        System.exit(2);
    }
}
