package io.xex.loadtests.roundtrip;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.HdrHistogram.Histogram;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client connection taking part in a {@link Schedule}, on one event-loop context of the client's own Vert.x: it
 * sends its share (its {@code k}-th request is {@link Schedule#requestOf}) when the generator tells it that some are
 * due, however far behind, and counts every answer against the request's due time, which the subclass finds from
 * the answer alone (the request number it carries). A subclass says how a request goes out ({@link #send}) and
 * reports what comes back ({@link #answered}, {@link #failed}, {@link #extraAnswered}, {@link #unexpected}).
 *
 * <p>Confined to its context; the generator thread only calls {@link #post}.
 */
public abstract class LoadConnection {
    public static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);

    protected final int index;
    protected final Context context;
    private final AtomicBoolean posted = new AtomicBoolean();
    private final Promise<Void> done = Promise.promise();

    // Confined to the context:
    private Schedule schedule;
    private long sentK;
    private long ownTotal;
    private boolean allSent;
    private long sent;
    private long answered;
    private long extrasInFlight;
    private long offered;
    private long ok;
    private long errors;
    private long errorsOutsideWindow;
    private long okInWindow;
    private long extras;
    private long extraErrors;
    private long unexpected;
    private String firstError;
    private final Map<String, Long> errorCodes = new HashMap<>();
    private final Histogram latencyNs = new Histogram(HIGHEST_NS, 3);
    private final Histogram lagNs = new Histogram(HIGHEST_NS, 3);

    protected LoadConnection(int index, Context context) {
        this.index = index;
        this.context = context;
    }

    /**
     * Sends request {@code id}, this connection's {@code k}-th, and anything that goes with it.
     *
     * @return false, sending nothing, when the connection cannot take it now (back-pressure): it is sent later, by
     *     the next {@link #sendDue()} (the generator's next tick, or the subclass when the connection is writable)
     */
    protected abstract boolean send(long id, long k);

    /** After the requests of one {@link #sendDue()} went out: where a subclass flushes what it batched. */
    protected void afterSends() {
    }

    /** Closes the connection; completes when it is closed. */
    public abstract Future<Void> close();

    /** Takes part in {@code schedule} from now on; call before its start time. */
    public void start(Schedule schedule) {
        context.runOnContext(v -> {
            this.schedule = schedule;
            this.ownTotal = schedule.shareOf(index);
            if (ownTotal == 0) {
                allSent = true;
                maybeDone();
            }
        });
    }

    /** Completes when every request of the schedule is sent and answered, or the connection closed. */
    public Future<Void> done() {
        return done.future();
    }

    /** From the generator thread: something of this connection's is due; posts one sending task unless one waits. */
    public void post() {
        if (posted.compareAndSet(false, true)) {
            context.runOnContext(v -> sendDue());
        }
    }

    /** Sends every request of this connection that is due by now, however far behind, until back-pressured. */
    protected final void sendDue() {
        posted.set(false);
        if (schedule == null || allSent) {
            return;
        }
        long dueK = schedule.shareDueBy(index, System.nanoTime());
        while (sentK < dueK) {
            long id = schedule.requestOf(index, sentK);
            long dueNs = schedule.dueNs(id);
            long nowNs = System.nanoTime();
            if (!send(id, sentK)) {
                break;
            }
            if (schedule.measured(dueNs)) {
                offered++;
                lagNs.recordValue(clamp(nowNs - dueNs));
            }
            sent++;
            sentK++;
        }
        afterSends();
        if (sentK == ownTotal) {
            allSent = true;
            maybeDone();
        }
    }

    /** The request that is this connection's {@code k}-th in the current run. */
    protected final long requestOf(long k) {
        return schedule.requestOf(index, k);
    }

    /** Whether a run is going on (answers are expected). */
    protected final boolean running() {
        return schedule != null;
    }

    /** Request {@code id} was answered well at {@code nowNs}. */
    protected final void answered(long id, long nowNs) {
        answered++;
        long dueNs = schedule.dueNs(id);
        if (schedule.measured(nowNs)) {
            okInWindow++;
        }
        if (schedule.measured(dueNs)) {
            ok++;
            latencyNs.recordValue(clamp(nowNs - dueNs));
        }
        maybeDone();
    }

    /** Request {@code id} was answered with an error, counted under {@code code}; {@code text} describes it. */
    protected final void failed(long id, String code, String text) {
        answered++;
        if (schedule.measured(schedule.dueNs(id))) {
            errors++;
        } else {
            errorsOutsideWindow++;
        }
        noteError(code, text);
        maybeDone();
    }

    /** A request outside the schedule's (a cancel) went out; the run waits for its answer too. */
    protected final void extraSent() {
        extrasInFlight++;
    }

    /** The answer to an extra request; an error is counted under {@code code}. */
    protected final void extraAnswered(boolean good, String code, String text) {
        extrasInFlight--;
        extras++;
        if (!good) {
            extraErrors++;
            noteError(code, text);
        }
        maybeDone();
    }

    /** A frame that answers nothing of this run. */
    protected final void unexpected() {
        unexpected++;
    }

    /** The connection is gone: the run ends for it, whatever is still unanswered. */
    protected final void connectionClosed() {
        done.tryComplete();
    }

    private void noteError(String code, String text) {
        errorCodes.merge(code, 1L, Long::sum);
        if (firstError == null) {
            firstError = text.length() > 300 ? text.substring(0, 300) + "..." : text;
        }
    }

    private void maybeDone() {
        if (allSent && answered == sent && extrasInFlight == 0) {
            done.tryComplete();
        }
    }

    private static long clamp(long ns) {
        return Math.min(Math.max(0, ns), HIGHEST_NS);
    }

    /** What this connection counted so far, read on its context. */
    public Future<Tally> tally() {
        Promise<Tally> tally = Promise.promise();
        context.runOnContext(v -> tally.complete(new Tally(sent, answered, offered, ok, errors, errorsOutsideWindow,
            okInWindow, extras, extraErrors, unexpected, latencyNs.copy(), lagNs.copy(), Map.copyOf(errorCodes),
            firstError)));
        return tally.future();
    }
}
