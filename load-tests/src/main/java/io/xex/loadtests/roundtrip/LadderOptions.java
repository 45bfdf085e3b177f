package io.xex.loadtests.roundtrip;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What every rate-ladder benchmark takes from its command line, parsed together with the benchmark's own options
 * ({@link Extra}); a bad option prints the usage and exits with status 2, {@code --help} prints it and exits.
 *
 * @param seconds        measured seconds per run
 * @param warmupSeconds  seconds before each run's measured window
 * @param rates          the offered rates, ascending
 * @param clientThreads  the client's event loops
 * @param p99BoundMs     the highest p99 of a sustained rate
 * @param prewarmSeconds seconds at {@value #PREWARM_RATE}/s on each server before the ladder, for the JIT
 * @param tickUs         the generator's tick
 * @param drainSeconds   how long a run waits for answers after its window
 * @param echo           whether the echo server runs
 * @param xex            whether xex runs
 * @param parent         where the temporary folder goes
 */
public record LadderOptions(int seconds, int warmupSeconds, List<Integer> rates, int clientThreads, int p99BoundMs,
                            int prewarmSeconds, int tickUs, int drainSeconds, boolean echo, boolean xex, Path parent) {
    public static final int DEFAULT_SECONDS = 4;
    public static final int DEFAULT_WARMUP_SECONDS = 1;
    public static final int DEFAULT_CLIENT_THREADS = 2;
    public static final int DEFAULT_P99_BOUND_MS = 50;
    public static final int DEFAULT_PREWARM_SECONDS = 3;
    public static final int PREWARM_RATE = 5_000;
    public static final int DEFAULT_TICK_US = 200;
    public static final int DEFAULT_DRAIN_SECONDS = 30;

    /** A benchmark's own options. */
    @FunctionalInterface
    public interface Extra {
        /**
         * Takes {@code option} with its {@code value}.
         *
         * @return false if it is not one of the benchmark's
         * @throws IllegalArgumentException if the value is not allowed (the message says why)
         */
        boolean take(String option, String value);
    }

    /** How a benchmark's command line reads: its name, default rates, own options' usage and a closing note. */
    public record Command(String name, String defaultRates, String extraUsage, String note) {
        /** Prints {@code problem} (unless null) and the usage, and exits: status 2 after a problem, else 0. */
        public void exit(String problem) {
            if (problem != null) {
                System.err.println(name + ": " + problem);
            }
            System.err.println("usage: " + name + " [--seconds N (" + DEFAULT_SECONDS + ")] [--warmup N ("
                + DEFAULT_WARMUP_SECONDS + ")] [--rates R,R.. (" + defaultRates + ")] [--client-threads N ("
                + DEFAULT_CLIENT_THREADS + ")] [--p99-bound-ms N (" + DEFAULT_P99_BOUND_MS + ")] [--prewarm S ("
                + DEFAULT_PREWARM_SECONDS + ", at " + PREWARM_RATE + "/s, 0: none)] [--tick-us N (" + DEFAULT_TICK_US
                + ")] [--drain S (" + DEFAULT_DRAIN_SECONDS + ")] [--servers echo,xex (both)] [--dir PARENT"
                + " (java.io.tmpdir)] " + extraUsage);
            System.err.println(note);
            System.exit(problem == null ? 0 : 2);
        }
    }

    /** Parses {@code args}; exits with the usage on {@code --help} or a bad option. */
    public static LadderOptions parse(Command command, String[] args, Extra extra) {
        try {
            return read(command, args, extra);
        } catch (IllegalArgumentException e) {
            command.exit(e.getMessage());
            throw e; // not reached
        }
    }

    private static LadderOptions read(Command command, String[] args, Extra extra) {
        int seconds = DEFAULT_SECONDS;
        int warmup = DEFAULT_WARMUP_SECONDS;
        String rates = command.defaultRates();
        int clientThreads = DEFAULT_CLIENT_THREADS;
        int p99Bound = DEFAULT_P99_BOUND_MS;
        int prewarm = DEFAULT_PREWARM_SECONDS;
        int tickUs = DEFAULT_TICK_US;
        int drain = DEFAULT_DRAIN_SECONDS;
        String servers = Comparison.ECHO + "," + Comparison.XEX;
        Path parent = Path.of(System.getProperty("java.io.tmpdir"));
        for (int a = 0; a < args.length; a++) {
            String arg = args[a];
            if (arg.equals("--help") || arg.equals("-h")) {
                command.exit(null);
            }
            if (a + 1 == args.length) {
                throw new IllegalArgumentException("missing value after " + arg);
            }
            String value = args[++a];
            switch (arg) {
                case "--seconds" -> seconds = count(arg, value, 1);
                case "--warmup" -> warmup = count(arg, value, 0);
                case "--rates" -> rates = value;
                case "--client-threads" -> clientThreads = count(arg, value, 1);
                case "--p99-bound-ms" -> p99Bound = count(arg, value, 1);
                case "--prewarm" -> prewarm = count(arg, value, 0);
                case "--tick-us" -> tickUs = count(arg, value, 10);
                case "--drain" -> drain = count(arg, value, 1);
                case "--servers" -> servers = value;
                case "--dir" -> parent = Path.of(value);
                default -> {
                    if (!extra.take(arg, value)) {
                        throw new IllegalArgumentException("unknown option " + arg);
                    }
                }
            }
        }
        List<String> serverList = List.of(servers.split("\\s*,\\s*"));
        if (serverList.isEmpty() || !List.of(Comparison.ECHO, Comparison.XEX).containsAll(serverList)) {
            throw new IllegalArgumentException("--servers takes echo, xex or both, got " + servers);
        }
        return new LadderOptions(seconds, warmup, counts("--rates", rates, 1), clientThreads, p99Bound, prewarm, tickUs,
            drain, serverList.contains(Comparison.ECHO), serverList.contains(Comparison.XEX), parent);
    }

    /** A whole number of at least {@code min} ({@code _} allowed between digits). */
    public static int count(String option, String value, int min) {
        try {
            int n = Integer.parseInt(value.replace("_", ""));
            if (n >= min) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(option + " needs whole numbers >= " + min + ", got " + value);
    }

    /** Comma-separated whole numbers of at least {@code min}, ascending. */
    public static List<Integer> counts(String option, String values, int min) {
        List<Integer> list = new ArrayList<>();
        for (String value : values.split(",")) {
            list.add(count(option, value.trim(), min));
        }
        list.sort(Comparator.naturalOrder());
        return List.copyOf(list);
    }

    /** Each run's timing. */
    public LoadRun.Timing timing() {
        return new LoadRun.Timing(TimeUnit.SECONDS.toNanos(warmupSeconds), TimeUnit.SECONDS.toNanos(seconds),
            TimeUnit.MICROSECONDS.toNanos(tickUs), TimeUnit.SECONDS.toNanos(drainSeconds));
    }

    /** The pre-warm run's: all but its last second is warm-up. */
    public LoadRun.Timing prewarmTiming() {
        return new LoadRun.Timing(TimeUnit.SECONDS.toNanos(Math.max(0, prewarmSeconds - 1)), TimeUnit.SECONDS.toNanos(1),
            TimeUnit.MICROSECONDS.toNanos(tickUs), TimeUnit.SECONDS.toNanos(drainSeconds));
    }
}
