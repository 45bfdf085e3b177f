package io.xex.runtime.session;

import io.vertx.core.Vertx;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/**
 * When the market session's work runs: at the calendar's boundaries and every {@code feed.tickMs} while the
 * underlying is open. In a venue these are Vert.x timers ({@link #vertx}); a test gives its own, fired when it
 * moves its clock, so that it decides when a boundary happens. Tasks run on the context that scheduled them.
 */
public interface SessionTimers {

    /** Runs {@code task} once {@code clock} reads {@code at} or later; returns an id for {@link #cancel}. */
    long at(Instant at, Runnable task);

    /** Runs {@code task} every {@code periodMs} until cancelled; returns an id for {@link #cancel}. */
    long every(long periodMs, Runnable task);

    /** Cancels a timer; one that has already run or been cancelled is ignored. */
    void cancel(long id);

    /**
     * Vert.x timers: {@link #at} waits from {@code clock}'s now to {@code at}, rounded up to the millisecond and
     * at least one. The session reads the clock again when a timer fires, so a timer that fires a little early
     * only re-arms for the same boundary.
     */
    static SessionTimers vertx(Vertx vertx, InstantSource clock) {
        return new SessionTimers() {
            @Override
            public long at(Instant at, Runnable task) {
                Duration wait = Duration.between(clock.instant(), at);
                long ms = Math.max(1, wait.toMillis() + (wait.toNanosPart() % 1_000_000 == 0 ? 0 : 1));
                return vertx.setTimer(ms, id -> task.run());
            }

            @Override
            public long every(long periodMs, Runnable task) {
                return vertx.setPeriodic(periodMs, id -> task.run());
            }

            @Override
            public void cancel(long id) {
                vertx.cancelTimer(id);
            }
        };
    }
}
