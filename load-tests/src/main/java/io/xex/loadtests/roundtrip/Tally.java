package io.xex.loadtests.roundtrip;

import org.HdrHistogram.Histogram;

import java.util.Map;

/**
 * What one connection counted over one run ({@link LoadConnection#tally()}); {@link RunResult#merge} adds them up.
 *
 * @param sent                requests of the schedule sent
 * @param answered            …answered, well or not
 * @param offered             requests due in the measured window that were sent
 * @param ok                  of those, answered well (their latencies are in {@code latencyNs})
 * @param errors              of those, answered with an error
 * @param errorsOutsideWindow errors for requests due outside the measured window
 * @param okInWindow          good answers (to any request) that arrived within the measured window
 * @param extras              requests sent beside the schedule's (the WebSocket rest flow's cancels) and answered
 * @param extraErrors         …answered with an error
 * @param unexpected          frames that answered nothing of this run
 * @param lagNs               how late each measured request went out, from its due time
 * @param errorCodes          errors by code
 * @param firstError          the first error, as text, or {@code null}
 */
public record Tally(long sent, long answered, long offered, long ok, long errors, long errorsOutsideWindow,
                    long okInWindow, long extras, long extraErrors, long unexpected, Histogram latencyNs,
                    Histogram lagNs, Map<String, Long> errorCodes, String firstError) {
}
