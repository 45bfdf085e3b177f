package io.xex.runtime.calendar;

import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.Month;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The calendar against a reference written differently: holidays found by walking the days of a month,
 * Easter from a table, early closes from the holiday after them, and the next open and close found by
 * scanning minute by minute for a change of {@code isOpen}.
 */
class MarketCalendarReferenceTest {
    private static final Instant FROM = Instant.parse("2024-01-01T00:00:00Z");
    private static final Instant TO = Instant.parse("2031-01-01T00:00:00Z");
    private static final Set<LocalDate> CLOSURES = Set.of(LocalDate.parse("2025-01-09"), LocalDate.parse("2029-03-14"));
    private static final Set<LocalDate> EARLY_CLOSES = Set.of(LocalDate.parse("2028-08-08"));

    private final MarketCalendar calendar = new MarketCalendar(new CalendarConfig(CLOSURES, EARLY_CLOSES));
    private final Reference reference = new Reference();

    @Test
    void everyDayFrom2024To2030AgreesWithTheReference() {
        for (LocalDate date = LocalDate.of(2024, 1, 1); date.getYear() <= 2030; date = date.plusDays(1)) {
            Optional<Session> session = calendar.session(date);
            assertEquals(reference.trades(date), session.isPresent(), date.toString());
            assertEquals(reference.trades(date) && reference.closesEarly(date),
                session.map(Session::earlyClose).orElse(false), date.toString());
        }
    }

    @Test
    void randomInstantsAgreeWithTheBruteForceReference() {
        Random random = new Random(20250109L);
        long span = TO.getEpochSecond() - FROM.getEpochSecond();
        for (int i = 0; i < 3000; i++) {
            Instant t = FROM.plusSeconds((long) (random.nextDouble() * span)).plusNanos(random.nextInt(1_000_000_000));
            if (i % 3 == 0) {
                t = t.truncatedTo(ChronoUnit.MINUTES);
            }
            check(t);
        }
    }

    @Test
    void sessionBoundariesAgreeWithTheBruteForceReference() {
        Random random = new Random(7L);
        for (int i = 0; i < 500; i++) {
            LocalDate date = LocalDate.of(2024, 1, 1).plusDays(random.nextInt(7 * 365));
            Optional<Session> session = calendar.session(date);
            if (session.isEmpty()) {
                continue;
            }
            for (Instant boundary : List.of(session.get().openInstant(), session.get().closeInstant())) {
                check(boundary);
                check(boundary.minusNanos(1));
                check(boundary.plusNanos(1));
                check(boundary.minusSeconds(60));
            }
        }
    }

    private void check(Instant t) {
        boolean open = calendar.isOpen(t);
        Instant nextOpen = calendar.nextOpen(t);
        Instant nextClose = calendar.nextClose(t);
        assertEquals(reference.isOpen(t), open, "isOpen " + t);
        assertEquals(reference.nextChange(t, true), nextOpen, "nextOpen " + t);
        assertEquals(reference.nextChange(t, false), nextClose, "nextClose " + t);

        assertTrue(nextOpen.isAfter(t), "nextOpen after " + t);
        assertTrue(calendar.isOpen(nextOpen), "open at nextOpen " + t);
        assertFalse(calendar.isOpen(nextOpen.minusNanos(1)), "closed just before nextOpen " + t);
        assertTrue(nextClose.isAfter(t), "nextClose after " + t);
        assertTrue(calendar.isOpen(nextClose.minusNanos(1)), "open just before nextClose " + t);
        assertFalse(calendar.isOpen(nextClose), "closed at nextClose " + t);
        assertEquals(open, nextClose.isBefore(nextOpen), "in a session the close comes first " + t);
    }

    /** NYSE's rules restated: slow, simple, and not sharing code with the calendar. */
    private static final class Reference {
        private static final Map<Integer, LocalDate> EASTER = Map.of(2024, LocalDate.of(2024, 3, 31),
            2025, LocalDate.of(2025, 4, 20), 2026, LocalDate.of(2026, 4, 5), 2027, LocalDate.of(2027, 3, 28),
            2028, LocalDate.of(2028, 4, 16), 2029, LocalDate.of(2029, 4, 1), 2030, LocalDate.of(2030, 4, 21),
            2031, LocalDate.of(2031, 4, 13));
        private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
        private static final LocalTime CLOSED = LocalTime.MIN;
        private final Map<Integer, Set<LocalDate>> closedByYear = new HashMap<>();
        private final Map<LocalDate, LocalTime> closeByDate = new HashMap<>();

        boolean isOpen(Instant t) {
            ZonedDateTime ny = t.atZone(NEW_YORK);
            LocalTime close = closeByDate.computeIfAbsent(ny.toLocalDate(),
                date -> !trades(date) ? CLOSED : closesEarly(date) ? LocalTime.of(13, 0) : LocalTime.of(16, 0));
            LocalTime time = ny.toLocalTime();
            return !time.isBefore(LocalTime.of(9, 30)) && time.isBefore(close);
        }

        /** The first whole minute after {@code t} where the market opens (or closes). */
        Instant nextChange(Instant t, boolean toOpen) {
            Instant minute = t.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60);
            while (!(isOpen(minute) == toOpen && isOpen(minute.minusSeconds(60)) != toOpen)) {
                minute = minute.plusSeconds(60);
            }
            return minute;
        }

        boolean trades(LocalDate date) {
            DayOfWeek day = date.getDayOfWeek();
            return day != DayOfWeek.SATURDAY && day != DayOfWeek.SUNDAY
                && !closedByYear.computeIfAbsent(date.getYear(), Reference::closedDays).contains(date);
        }

        boolean closesEarly(LocalDate date) {
            if (EARLY_CLOSES.contains(date)) {
                return true;
            }
            LocalDate independenceDay = LocalDate.of(date.getYear(), Month.JULY, 4);
            LocalDate christmas = LocalDate.of(date.getYear(), Month.DECEMBER, 25);
            return date.equals(independenceDay.minusDays(1)) && weekday(independenceDay)
                || date.equals(christmas.minusDays(1)) && weekday(christmas)
                || date.equals(nth(date.getYear(), Month.NOVEMBER, 4, DayOfWeek.THURSDAY).plusDays(1));
        }

        private static Set<LocalDate> closedDays(int year) {
            Set<LocalDate> closed = new HashSet<>(CLOSURES);
            LocalDate newYear = LocalDate.of(year, 1, 1);
            if (newYear.getDayOfWeek() == DayOfWeek.SUNDAY) {
                closed.add(newYear.plusDays(1));
            } else if (newYear.getDayOfWeek() != DayOfWeek.SATURDAY) {
                closed.add(newYear);
            }
            closed.add(nth(year, Month.JANUARY, 3, DayOfWeek.MONDAY));
            closed.add(nth(year, Month.FEBRUARY, 3, DayOfWeek.MONDAY));
            closed.add(EASTER.get(year).minusDays(2));
            LocalDate memorial = LocalDate.of(year, Month.MAY, 31);
            while (memorial.getDayOfWeek() != DayOfWeek.MONDAY) {
                memorial = memorial.minusDays(1);
            }
            closed.add(memorial);
            closed.add(observed(LocalDate.of(year, Month.JUNE, 19)));
            closed.add(observed(LocalDate.of(year, Month.JULY, 4)));
            closed.add(nth(year, Month.SEPTEMBER, 1, DayOfWeek.MONDAY));
            closed.add(nth(year, Month.NOVEMBER, 4, DayOfWeek.THURSDAY));
            closed.add(observed(LocalDate.of(year, Month.DECEMBER, 25)));
            return closed;
        }

        private static LocalDate observed(LocalDate holiday) {
            return switch (holiday.getDayOfWeek()) {
                case SATURDAY -> holiday.minusDays(1);
                case SUNDAY -> holiday.plusDays(1);
                default -> holiday;
            };
        }

        private static boolean weekday(LocalDate date) {
            return date.getDayOfWeek() != DayOfWeek.SATURDAY && date.getDayOfWeek() != DayOfWeek.SUNDAY;
        }

        /** The {@code n}th {@code day} of the month, by walking its days. */
        private static LocalDate nth(int year, Month month, int n, DayOfWeek day) {
            int seen = 0;
            for (LocalDate date = LocalDate.of(year, month, 1); ; date = date.plusDays(1)) {
                if (date.getDayOfWeek() == day && ++seen == n) {
                    return date;
                }
            }
        }
    }
}
