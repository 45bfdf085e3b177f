package io.xex.loadtests.roundtrip;

import io.xex.loadtests.journal.Usage;
import org.HdrHistogram.Histogram;

import java.text.DecimalFormat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The echo's and xex's runs over one rate ladder, and their report: each step as it ends, the side-by-side table,
 * where the CPU went, and the goal. A rate is <em>sustained</em> when at least {@value #SUSTAINED_SHARE} of it was
 * achieved, nothing failed or went unanswered, and p99 stayed within the bound; a server whose achieved rate falls
 * below {@value #SATURATED_SHARE} of the offered, or leaves requests unanswered, is saturated: its ladder stops.
 *
 * <p>Used from the main thread only.
 */
public final class Comparison {
    public static final String ECHO = "echo";
    public static final String XEX = "xex";
    public static final double SUSTAINED_SHARE = 0.95;
    public static final double SATURATED_SHARE = 0.90;
    private static final String CPU_HEADER = "busy  jvm   pg kern other (cpus)";
    private static final double OTHER_CPUS_WARNING = 0.15;
    private static final int BUSIEST_THREADS = 6;

    /**
     * How the report names things.
     *
     * @param ok    a good answer, plural ("200-answers")
     * @param error a bad one, plural ("non-200 answers")
     * @param extra requests beside the schedule's, plural ("cancels")
     */
    public record Labels(String ok, String error, String extra) {
    }

    /**
     * The goal: xex at least {@code throughputShare} of the echo's throughput, compared at the highest sustained
     * rates or at the peak achieved ({@code onPeak}), and a p99 at most {@code p99Factor} × the echo's at every
     * offered rate both sustained.
     */
    public record Goal(double throughputShare, boolean onPeak, double p99Factor) {
    }

    /**
     * How it went: the throughput share (on the goal's basis) and whether it is met, whether the echo saturated (if
     * not, the share is an upper bound), the p99 ratios at rates both sustained and whether all are within the goal;
     * a {@code null} verdict where nothing could be compared.
     */
    public record Verdict(double share, Boolean throughputMet, boolean echoSaturated, double worstP99Ratio, Boolean p99Met,
                          int compared) {
    }

    private final Labels labels;
    private final Goal goal;
    private final int p99BoundMs;
    private final List<RunResult> echoResults = new ArrayList<>();
    private final List<RunResult> xexResults = new ArrayList<>();
    private double maxOtherCpus;

    public Comparison(Labels labels, Goal goal, int p99BoundMs) {
        this.labels = labels;
        this.goal = goal;
        this.p99BoundMs = p99BoundMs;
    }

    /** Records a run of either server and prints its line. */
    public void add(RunResult r) {
        (r.system().equals(ECHO) ? echoResults : xexResults).add(r);
        printStep(r);
    }

    /**
     * Whether {@code system}'s ladder goes on: its last run was not clearly saturated (at least
     * {@value #SATURATED_SHARE} of the offered rate achieved, every request answered within the drain time). A p99
     * over the bound alone does not stop it: on a shared machine a stall of another process can cause it at any rate.
     */
    public boolean keepsGoing(String system) {
        List<RunResult> results = results(system);
        if (results.isEmpty()) {
            return true;
        }
        RunResult last = results.getLast();
        return last.achievedShare() >= SATURATED_SHARE && last.unanswered() == 0;
    }

    public boolean sustained(RunResult r) {
        return r.achievedShare() >= SUSTAINED_SHARE && r.errors() == 0 && r.unanswered() == 0
            && ms(r.latencyNs(), 99) <= p99BoundMs;
    }

    public List<RunResult> results(String system) {
        return system.equals(ECHO) ? echoResults : xexResults;
    }

    /** One run's line (and its errors, if any), as it ends. A pre-warm run is printed but not {@link #add}ed. */
    public void printStep(RunResult r) {
        Histogram h = r.latencyNs();
        Usage.Between u = r.usage();
        System.out.printf(Locale.ROOT, "%-4s %,8d/s offered: achieved %,9.0f/s (%5.1f%%) | p50 %7.2f p99 %7.2f p99.9 %7.2f"
                + " max %7.2f ms | errors %d, unanswered %d%s | lag p99 %.2f ms | cpus %s%s%n", r.system(), r.rate(),
            r.achievedPerSecond(), 100 * r.achievedShare(), ms(h, 50), ms(h, 99), ms(h, 99.9), h.getMaxValue() / 1e6,
            r.errors(), r.unanswered(), r.extras() > 0 ? String.format(Locale.ROOT, ", %s %d (%d failed)",
                labels.extra(), r.extras(), r.extraErrors()) : "", ms(r.lagNs(), 99), cpus(u),
            sustained(r) ? "" : "  (not sustained)");
        if (r.errors() + r.errorsOutsideWindow() > 0 || r.unexpected() > 0) {
            System.out.printf(Locale.ROOT, "     errors by code %s (%d outside the window), %d unexpected frames;"
                + " first: %s%n", r.errorCodes(), r.errorsOutsideWindow(), r.unexpected(), r.firstError());
        }
    }

    /** The side-by-side table, one row per offered rate. */
    public void printTable(String title) {
        System.out.printf(Locale.ROOT, "%n== %s, ms (p50 / p99 / p99.9 / max), achieved = %s per second in the measured"
            + " window%n", title, labels.ok());
        System.out.printf(Locale.ROOT, "%10s | %10s %29s | %10s %29s %7s | %9s%n", "offered/s", "echo ach/s",
            "p50 / p99 / p99.9 / max", "xex ach/s", "p50 / p99 / p99.9 / max", "errors", "p99 x/e");
        List<Integer> rates = Stream.concat(echoResults.stream(), xexResults.stream()).map(RunResult::rate)
            .distinct().sorted().toList();
        for (int rate : rates) {
            RunResult e = find(echoResults, rate);
            RunResult x = find(xexResults, rate);
            System.out.printf(Locale.ROOT, "%,10d | %s | %s %7s | %9s%n", rate, cells(e), cells(x),
                x == null ? "" : Long.toString(x.errors() + x.unanswered()),
                e == null || x == null ? ""
                    : String.format(Locale.ROOT, "%.2f", ms(x.latencyNs(), 99) / ms(e.latencyNs(), 99)));
        }
        System.out.printf(Locale.ROOT, "(* not sustained; errors: %s and unanswered requests of xex)%n", labels.error());
    }

    private String cells(RunResult r) {
        if (r == null) {
            return String.format(Locale.ROOT, "%10s %29s", "-", "-");
        }
        Histogram h = r.latencyNs();
        return String.format(Locale.ROOT, "%,9.0f%s %29s", r.achievedPerSecond(), sustained(r) ? " " : "*",
            String.format(Locale.ROOT, "%.2f / %.2f / %.2f / %.1f", ms(h, 50), ms(h, 99), ms(h, 99.9),
                h.getMaxValue() / 1e6));
    }

    /** Where the time went, per run: CPU, CPU per answer, the journal's batches and commits, GC, busiest threads. */
    public void printDetails() {
        System.out.printf(Locale.ROOT, "%n== where the time went, per run: %s; CPU per answered request (us: this JVM, the"
            + " client's threads among it, PostgreSQL, the kernel); journal batch (mean rows per write), commit (mean ms);"
            + " GC pauses and snapshots (count/total ms); commands history had not written at the window's end; busiest"
            + " threads (cpus)%n", CPU_HEADER);
        for (RunResult r : echoResults) {
            System.out.printf(Locale.ROOT, "echo %,7d/s | %s | %s | %s%n", r.rate(), cpus(r.usage()), perRequest(r),
                threads(r.usage()));
        }
        for (RunResult r : xexResults) {
            Usage.Between u = r.usage();
            System.out.printf(Locale.ROOT, "xex  %,7d/s | %s | %s | batch %6.1f, commit %5.2f ms | gc %d/%d ms, snapshots"
                    + " %d/%.0f ms | history behind %,d | %s%n", r.rate(), cpus(u), perRequest(r), u.meanJournalBatch(),
                u.meanCommitMs(), u.gcPauses(), u.gcPauseMs(), u.snapshots(), u.snapshotMs(), u.historyBacklog(), threads(u));
        }
    }

    /** Each server's highest sustained and peak achieved rate, and the goal's verdict. */
    public Verdict printGoal() {
        RunResult echoBest = bestSustained(echoResults);
        RunResult xexBest = bestSustained(xexResults);
        RunResult echoPeak = peak(echoResults);
        RunResult xexPeak = peak(xexResults);
        System.out.printf(Locale.ROOT, "highest sustained rate: echo %s, xex %s%n", rateText(echoBest), rateText(xexBest));
        System.out.printf(Locale.ROOT, "peak achieved: echo %s, xex %s%n", peakText(echoPeak), peakText(xexPeak));
        boolean echoSaturated = !echoResults.isEmpty() && !keepsGoing(ECHO);
        if (!echoResults.isEmpty() && !echoSaturated) {
            System.out.println("note: the echo did not saturate within the ladder: its throughput is at least the figure"
                + " above, the ratio below at most what it says");
        }
        if (!xexResults.isEmpty() && keepsGoing(XEX)) {
            System.out.println("note: xex did not saturate within the ladder");
        }
        double sustainedShare = echoBest == null || xexBest == null ? Double.NaN : (double) xexBest.rate() / echoBest.rate();
        double peakShare = echoPeak == null || xexPeak == null ? Double.NaN
            : xexPeak.achievedPerSecond() / echoPeak.achievedPerSecond();
        double share = goal.onPeak() ? peakShare : sustainedShare;
        Boolean throughputMet = Double.isNaN(share) ? null : share >= goal.throughputShare();
        if (throughputMet == null) {
            System.out.printf(Locale.ROOT, "goal: xex throughput >= %.0f%% of the echo's: not measured (no %s for %s)%n",
                goal.throughputShare() * 100, goal.onPeak() ? "run" : "sustained rate",
                (goal.onPeak() ? echoPeak : echoBest) == null ? "the echo" : "xex");
        } else {
            System.out.printf(Locale.ROOT, "goal: xex throughput >= %.0f%% of the echo's (%s): %s (%.1f%%; %s: %s)%n",
                goal.throughputShare() * 100, goal.onPeak() ? "peak achieved" : "highest sustained rates",
                throughputMet ? "yes" : "NO", 100 * share, goal.onPeak() ? "highest sustained rates" : "peak achieved",
                percent(goal.onPeak() ? sustainedShare : peakShare));
        }
        StringBuilder ratios = new StringBuilder();
        boolean allMet = true;
        int compared = 0;
        double worst = Double.NaN;
        for (RunResult x : xexResults) {
            RunResult e = find(echoResults, x.rate());
            if (e == null || !sustained(e) || !sustained(x)) {
                continue;
            }
            double ratio = ms(x.latencyNs(), 99) / ms(e.latencyNs(), 99);
            allMet &= ratio <= goal.p99Factor();
            worst = compared == 0 ? ratio : Math.max(worst, ratio);
            compared++;
            ratios.append(String.format(Locale.ROOT, " %,d/s %.2f;", x.rate(), ratio));
        }
        System.out.printf(Locale.ROOT, "goal: xex p99 <= %s x the echo's at equal offered rates (both sustained): %s"
            + " (xex/echo p99:%s)%n", new DecimalFormat("0.##").format(goal.p99Factor()),
            compared == 0 ? "not measured" : allMet ? "yes" : "NO",
            ratios.isEmpty() ? " none" : ratios.substring(0, ratios.length() - 1));
        if (maxOtherCpus > OTHER_CPUS_WARNING) {
            System.out.printf(Locale.ROOT, "WARNING: other processes used up to %.2f CPUs during a run (column other):"
                + " the machine was not quiet%n", maxOtherCpus);
        }
        return new Verdict(share, throughputMet, echoSaturated, worst, compared == 0 ? null : allMet, compared);
    }

    private static String percent(double share) {
        return Double.isNaN(share) ? "not measured" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
    }

    private RunResult bestSustained(List<RunResult> results) {
        return results.stream().filter(this::sustained).max(Comparator.comparingInt(RunResult::rate)).orElse(null);
    }

    private static RunResult peak(List<RunResult> results) {
        return results.stream().max(Comparator.comparingDouble(RunResult::achievedPerSecond)).orElse(null);
    }

    private static String rateText(RunResult r) {
        return r == null ? "none" : String.format(Locale.ROOT, "%,d/s (p99 %.2f ms)", r.rate(), ms(r.latencyNs(), 99));
    }

    private static String peakText(RunResult r) {
        return r == null ? "none" : String.format(Locale.ROOT, "%,.0f/s (offered %,d/s)", r.achievedPerSecond(), r.rate());
    }

    private static RunResult find(List<RunResult> results, int rate) {
        return results.stream().filter(r -> r.rate() == rate).findFirst().orElse(null);
    }

    private String cpus(Usage.Between u) {
        maxOtherCpus = Math.max(maxOtherCpus, u.otherCpus());
        return String.format(Locale.ROOT, "%4.2f %4.2f %4.2f %4.2f %5.2f", u.machineBusyCpus(), u.jvmCpus(),
            u.postgresCpus(), u.kernelCpus(), u.otherCpus());
    }

    /**
     * CPU microseconds per good answer in the window: the JVM's (client, servers, venue), the client's part of it
     * (its event loops, the generator and the sampler), PostgreSQL's and the kernel's. On a shared machine these hold
     * up better than rates: another process takes CPU time away, it adds little to ours.
     */
    private static String perRequest(RunResult r) {
        Usage.Between u = r.usage();
        double answers = r.okInWindow();
        double client = 0;
        for (Map.Entry<String, Double> thread : u.busiestThreads(Integer.MAX_VALUE)) {
            if (thread.getKey().startsWith(ClientLoops.THREAD_PREFIX) || thread.getKey().equals(LoadRun.GENERATOR_THREAD)
                || thread.getKey().equals(LoadRun.SAMPLER_THREAD)) {
                client += thread.getValue();
            }
        }
        double us = u.seconds() * 1e6 / answers;
        return String.format(Locale.ROOT, "us/req jvm %5.1f (client %4.1f) pg %5.1f kern %4.1f = %5.1f", u.jvmCpus() * us,
            client * us, u.postgresCpus() * us, u.kernelCpus() * us, (u.jvmCpus() + u.postgresCpus() + u.kernelCpus()) * us);
    }

    private static String threads(Usage.Between u) {
        StringBuilder line = new StringBuilder();
        for (Map.Entry<String, Double> thread : u.busiestThreads(BUSIEST_THREADS)) {
            line.append(String.format(Locale.ROOT, "%s %.2f, ", thread.getKey(), thread.getValue()));
        }
        return line.isEmpty() ? "" : line.substring(0, line.length() - 2);
    }

    public static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e6;
    }
}
