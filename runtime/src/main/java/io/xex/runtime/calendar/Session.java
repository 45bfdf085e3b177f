package io.xex.runtime.calendar;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZonedDateTime;

/**
 * One regular trading session of the underlying market: from {@code open} (inclusive) to {@code close}
 * (exclusive), both in {@link MarketCalendar#ZONE}.
 *
 * @param date       the New York trading date
 * @param open       09:30 New York time on {@code date}
 * @param close      16:00, or 13:00 on an early close
 * @param earlyClose whether the session closes early
 */
public record Session(LocalDate date, ZonedDateTime open, ZonedDateTime close, boolean earlyClose) {

    public Instant openInstant() {
        return open.toInstant();
    }

    public Instant closeInstant() {
        return close.toInstant();
    }

    /** Whether {@code instant} is in the session: {@code open <= instant < close}. */
    public boolean contains(Instant instant) {
        return !instant.isBefore(openInstant()) && instant.isBefore(closeInstant());
    }
}
