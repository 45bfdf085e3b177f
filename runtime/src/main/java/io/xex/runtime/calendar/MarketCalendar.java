package io.xex.runtime.calendar;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;

/**
 * The NYSE regular-session calendar, by rule for any year: sessions 09:30–16:00 America/New_York on
 * weekdays that are not a {@link Holiday} (on its observed day) or a configured one-off closure; 13:00
 * early closes on July 3 and December 24 when they trade, on the day after Thanksgiving and on configured
 * dates. Sessions are computed in New York local time, so daylight-saving changes move them in UTC.
 *
 * <p>Session boundaries are half-open: an instant is in a session when {@code open <= t < close}.
 * {@link #nextOpen} and {@link #nextClose} return the first open, respectively close, strictly after the
 * given instant: at an open the next open is the following session's, at a close the next close is too.
 *
 * <p>Pure (no clock, no I/O) and immutable; safe to share between threads.
 */
public final class MarketCalendar {
    public static final ZoneId ZONE = ZoneId.of("America/New_York");
    public static final LocalTime OPEN_TIME = LocalTime.of(9, 30);
    public static final LocalTime CLOSE_TIME = LocalTime.of(16, 0);
    public static final LocalTime EARLY_CLOSE_TIME = LocalTime.of(13, 0);
    /** {@link #closure} of a Saturday or Sunday. */
    public static final String WEEKEND = "weekend";
    /** {@link #closure} of a configured one-off closure. */
    public static final String SPECIAL_CLOSURE = "special closure";
    /** Suffix of {@link #closure} for a holiday closed on another day than its own. */
    public static final String OBSERVED = " (observed)";

    private final CalendarConfig config;

    public MarketCalendar(CalendarConfig config) {
        this.config = config;
    }

    /** The rules alone, without one-off closures or early closes. */
    public static MarketCalendar nyse() {
        return new MarketCalendar(CalendarConfig.NONE);
    }

    public CalendarConfig config() {
        return config;
    }

    /** The session of the New York date {@code date}; empty when the market is closed all day. */
    public Optional<Session> session(LocalDate date) {
        if (closure(date).isPresent()) {
            return Optional.empty();
        }
        boolean early = isEarlyClose(date);
        return Optional.of(new Session(date, date.atTime(OPEN_TIME).atZone(ZONE),
            date.atTime(early ? EARLY_CLOSE_TIME : CLOSE_TIME).atZone(ZONE), early));
    }

    /**
     * Why the market is closed all day on {@code date}: {@link #WEEKEND}, a holiday's
     * {@linkplain Holiday#displayName() name} (with {@link #OBSERVED} when closed on another day than the
     * holiday's own), or {@link #SPECIAL_CLOSURE}; empty on a trading day.
     */
    public Optional<String> closure(LocalDate date) {
        DayOfWeek day = date.getDayOfWeek();
        if (day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY) {
            return Optional.of(WEEKEND);
        }
        for (Holiday holiday : Holiday.values()) {
            if (holiday.observed(date.getYear()).filter(date::equals).isPresent()) {
                boolean own = holiday.date(date.getYear()).equals(date);
                return Optional.of(own ? holiday.displayName() : holiday.displayName() + OBSERVED);
            }
        }
        return config.closures().contains(date) ? Optional.of(SPECIAL_CLOSURE) : Optional.empty();
    }

    /** The session {@code instant} is in, if any. */
    public Optional<Session> sessionAt(Instant instant) {
        return session(instant.atZone(ZONE).toLocalDate()).filter(s -> s.contains(instant));
    }

    /** Whether the market is open at {@code instant}: {@code open <= instant < close} of that day's session. */
    public boolean isOpen(Instant instant) {
        return sessionAt(instant).isPresent();
    }

    /**
     * The first session open strictly after {@code instant}: today's open before it, otherwise (in the
     * session, at its open, or after its close) the next trading day's.
     */
    public Instant nextOpen(Instant instant) {
        return nextSession(instant, true).openInstant();
    }

    /**
     * The first session close strictly after {@code instant}: the close of the session in progress, or
     * before today's open today's close, otherwise (at or after the close) the next trading day's.
     */
    public Instant nextClose(Instant instant) {
        return nextSession(instant, false).closeInstant();
    }

    /**
     * The first session whose open (or close) is after {@code instant}. Ends: every holiday leaves the days
     * around it trading, and the configured closures are finitely many.
     */
    private Session nextSession(Instant instant, boolean byOpen) {
        for (LocalDate date = instant.atZone(ZONE).toLocalDate(); ; date = date.plusDays(1)) {
            Optional<Session> session = session(date);
            if (session.isPresent()) {
                Instant boundary = byOpen ? session.get().openInstant() : session.get().closeInstant();
                if (boundary.isAfter(instant)) {
                    return session.get();
                }
            }
        }
    }

    /**
     * For a trading day: July 3, December 24, the day after Thanksgiving, and the configured dates. July 3
     * and December 24 trade only when the holiday after them falls on a weekday (on a Saturday it is
     * observed on them), so a holiday observed on a Friday or a Monday has no early close before it.
     */
    private boolean isEarlyClose(LocalDate date) {
        if (config.earlyCloses().contains(date)) {
            return true;
        }
        int day = date.getDayOfMonth();
        return switch (date.getMonth()) {
            case JULY -> day == 3;
            case DECEMBER -> day == 24;
            case NOVEMBER -> date.minusDays(1).equals(Holiday.THANKSGIVING_DAY.date(date.getYear()));
            default -> false;
        };
    }
}
