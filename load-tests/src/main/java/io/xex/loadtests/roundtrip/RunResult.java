package io.xex.loadtests.roundtrip;

import io.xex.loadtests.journal.Usage;
import org.HdrHistogram.Histogram;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One run at one offered rate against one server. Of the {@code offered} requests due in the measured window,
 * {@code ok} were answered well (their latencies are in {@code latencyNs}) and {@code errors} with an error;
 * {@code unanswered} requests of the whole run had no answer by the end of the drain; {@code okInWindow} good
 * answers (to any request) arrived within the window: the achieved rate.
 */
public record RunResult(String system, int rate, long offered, long ok, long errors, long errorsOutsideWindow,
                        long unanswered, long okInWindow, long measureNs, Histogram latencyNs, Histogram lagNs,
                        Map<String, Long> errorCodes, String firstError, long extras, long extraErrors, long unexpected,
                        Usage.Between usage) {

    public double achievedPerSecond() {
        return okInWindow * 1e9 / measureNs;
    }

    public double achievedShare() {
        return achievedPerSecond() / rate;
    }

    /** Adds up the connections' tallies of one run; requests of the schedule never sent count as unanswered. */
    public static RunResult merge(String system, int rate, Schedule schedule, List<Tally> tallies, Usage.Between usage) {
        Histogram latency = new Histogram(LoadConnection.HIGHEST_NS, 3);
        Histogram lag = new Histogram(LoadConnection.HIGHEST_NS, 3);
        Map<String, Long> codes = new HashMap<>();
        long offered = 0;
        long ok = 0;
        long errors = 0;
        long errorsOutside = 0;
        long unanswered = 0;
        long okInWindow = 0;
        long extras = 0;
        long extraErrors = 0;
        long unexpected = 0;
        long sent = 0;
        String firstError = null;
        for (Tally t : tallies) {
            latency.add(t.latencyNs());
            lag.add(t.lagNs());
            t.errorCodes().forEach((code, count) -> codes.merge(code, count, Long::sum));
            sent += t.sent();
            offered += t.offered();
            ok += t.ok();
            errors += t.errors();
            errorsOutside += t.errorsOutsideWindow();
            unanswered += t.sent() - t.answered();
            okInWindow += t.okInWindow();
            extras += t.extras();
            extraErrors += t.extraErrors();
            unexpected += t.unexpected();
            firstError = firstError != null ? firstError : t.firstError();
        }
        unanswered += schedule.total() - sent;
        return new RunResult(system, rate, offered, ok, errors, errorsOutside, unanswered, okInWindow,
            schedule.measureNs(), latency, lag, Map.copyOf(codes), firstError, extras, extraErrors, unexpected, usage);
    }
}
