package io.xex.runtime.calendar;

import io.xex.runtime.config.ConfigException;
import io.xex.runtime.config.ConfigSource;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MarketCalendarTest {
    /** As configured by default: the rules plus the closure of 2025-01-09. */
    private final MarketCalendar calendar = new MarketCalendar(CalendarConfig.from(ConfigSource.load(null, Map.of())));

    @Test
    void nyse2025AsPublished() {
        assertYear(2025,
            dates("2025-01-01", "2025-01-09", "2025-01-20", "2025-02-17", "2025-04-18", "2025-05-26", "2025-06-19",
                "2025-07-04", "2025-09-01", "2025-11-27", "2025-12-25"),
            dates("2025-07-03", "2025-11-28", "2025-12-24"));
    }

    @Test
    void nyse2026AsPublished() {
        assertYear(2026,
            dates("2026-01-01", "2026-01-19", "2026-02-16", "2026-04-03", "2026-05-25", "2026-06-19", "2026-07-03",
                "2026-09-07", "2026-11-26", "2026-12-25"),
            dates("2026-11-27", "2026-12-24"));
    }

    @Test
    void nyse2027AsPublished() {
        assertYear(2027,
            dates("2027-01-01", "2027-01-18", "2027-02-15", "2027-03-26", "2027-05-31", "2027-06-18", "2027-07-05",
                "2027-09-06", "2027-11-25", "2027-12-24"),
            dates("2027-11-26"));
    }

    @Test
    void closuresSayWhy() {
        assertEquals(Optional.of("Good Friday"), calendar.closure(LocalDate.parse("2025-04-18")));
        assertEquals(Optional.of("special closure"), calendar.closure(LocalDate.parse("2025-01-09")));
        assertEquals(Optional.of("Independence Day (observed)"), calendar.closure(LocalDate.parse("2026-07-03")));
        assertEquals(Optional.of("Juneteenth National Independence Day (observed)"),
            calendar.closure(LocalDate.parse("2027-06-18")));
        assertEquals(Optional.of("Christmas Day (observed)"), calendar.closure(LocalDate.parse("2027-12-24")));
        assertEquals(Optional.of("New Year's Day (observed)"), calendar.closure(LocalDate.parse("2023-01-02")));
        assertEquals(Optional.of("weekend"), calendar.closure(LocalDate.parse("2026-07-04")));
        assertEquals(Optional.empty(), calendar.closure(LocalDate.parse("2026-07-02")));
    }

    @Test
    void newYearOnASaturdayIsNotObservedOnTheFridayBefore() {
        assertEquals(DayOfWeek.SATURDAY, LocalDate.parse("2028-01-01").getDayOfWeek());
        Session session = calendar.session(LocalDate.parse("2027-12-31")).orElseThrow();
        assertFalse(session.earlyClose());
        assertEquals(Instant.parse("2027-12-31T21:00:00Z"), session.closeInstant());
        assertEquals(Optional.empty(), Holiday.NEW_YEARS_DAY.observed(2028));
        assertTrue(calendar.session(LocalDate.parse("2022-12-30")).isPresent(), "2022-01-01 was a Saturday too");
    }

    @Test
    void juneteenthOnlyFrom2022() {
        assertTrue(calendar.session(LocalDate.parse("2021-06-18")).isPresent(), "June 19, 2021 was a Saturday");
        assertEquals(Optional.of("Juneteenth National Independence Day (observed)"),
            calendar.closure(LocalDate.parse("2022-06-20")));
        assertTrue(calendar.session(LocalDate.parse("1997-01-20")).isPresent(), "MLK Day from 1998");
        assertTrue(calendar.session(LocalDate.parse("1998-01-19")).isEmpty());
    }

    @Test
    void easterFromTheComputus() {
        Map<Integer, String> published = Map.ofEntries(Map.entry(1818, "1818-03-22"), Map.entry(1943, "1943-04-25"),
            Map.entry(2000, "2000-04-23"), Map.entry(2008, "2008-03-23"), Map.entry(2011, "2011-04-24"),
            Map.entry(2019, "2019-04-21"), Map.entry(2024, "2024-03-31"), Map.entry(2025, "2025-04-20"),
            Map.entry(2026, "2026-04-05"), Map.entry(2027, "2027-03-28"), Map.entry(2028, "2028-04-16"),
            Map.entry(2029, "2029-04-01"), Map.entry(2030, "2030-04-21"), Map.entry(2038, "2038-04-25"),
            Map.entry(2285, "2285-03-22"));
        published.forEach((year, easter) -> assertEquals(LocalDate.parse(easter), Holiday.easterSunday(year), "" + year));
    }

    @Test
    void daylightSavingChangesMoveTheSessionsInUtc() {
        // {Friday before, Monday after} each change: spring forward (EST to EDT), fall back (EDT to EST).
        assertSessions("2025-03-07", "14:30", "21:00", "2025-03-10", "13:30", "20:00");
        assertSessions("2025-10-31", "13:30", "20:00", "2025-11-03", "14:30", "21:00");
        assertSessions("2026-03-06", "14:30", "21:00", "2026-03-09", "13:30", "20:00");
        assertSessions("2026-10-30", "13:30", "20:00", "2026-11-02", "14:30", "21:00");
        assertSessions("2027-03-12", "14:30", "21:00", "2027-03-15", "13:30", "20:00");
        assertSessions("2027-11-05", "13:30", "20:00", "2027-11-08", "14:30", "21:00");

        Instant fridayClose = Instant.parse("2026-03-06T21:00:00Z");
        Instant mondayOpen = Instant.parse("2026-03-09T13:30:00Z");
        assertEquals(mondayOpen, calendar.nextOpen(fridayClose));
        assertEquals(Duration.ofHours(64).plusMinutes(30), Duration.between(fridayClose, mondayOpen), "an hour short");
        assertEquals(Instant.parse("2026-03-09T20:00:00Z"), calendar.nextClose(Instant.parse("2026-03-08T07:00:00Z")));
        assertFalse(calendar.isOpen(mondayOpen.minusNanos(1)));
        assertTrue(calendar.isOpen(mondayOpen));
        assertTrue(calendar.isOpen(Instant.parse("2026-03-09T19:59:59Z")));
        assertFalse(calendar.isOpen(Instant.parse("2026-03-09T20:00:00Z")), "16:00 EDT");

        Instant fallFridayClose = Instant.parse("2026-10-30T20:00:00Z");
        assertEquals(Instant.parse("2026-11-02T14:30:00Z"), calendar.nextOpen(fallFridayClose));
        assertFalse(calendar.isOpen(Instant.parse("2026-11-02T14:00:00Z")), "09:00 EST");
        assertTrue(calendar.isOpen(Instant.parse("2026-11-02T20:59:59Z")));
        assertFalse(calendar.isOpen(Instant.parse("2026-11-02T21:00:00Z")));
    }

    @Test
    void boundariesAreHalfOpenAndNextIsStrictlyAfter() {
        Instant open = Instant.parse("2025-07-03T13:30:00Z");
        Instant earlyClose = Instant.parse("2025-07-03T17:00:00Z");
        Instant nextOpen = Instant.parse("2025-07-07T13:30:00Z");
        assertTrue(calendar.isOpen(open));
        assertFalse(calendar.isOpen(open.minusNanos(1)));
        assertTrue(calendar.isOpen(earlyClose.minusNanos(1)));
        assertFalse(calendar.isOpen(earlyClose));

        assertEquals(open, calendar.nextOpen(open.minusNanos(1)), "before the open: today's");
        assertEquals(earlyClose, calendar.nextClose(open.minusNanos(1)));
        assertEquals(nextOpen, calendar.nextOpen(open), "at the open: the next session's");
        assertEquals(earlyClose, calendar.nextClose(open));
        assertEquals(nextOpen, calendar.nextOpen(earlyClose), "over Independence Day and the weekend");
        assertEquals(Instant.parse("2025-07-07T20:00:00Z"), calendar.nextClose(earlyClose));

        assertEquals(Instant.parse("2025-01-10T14:30:00Z"), calendar.nextOpen(Instant.parse("2025-01-08T21:00:00Z")),
            "past the day of mourning");
        assertEquals(Optional.of(calendar.session(LocalDate.parse("2025-07-03")).orElseThrow()),
            calendar.sessionAt(earlyClose.minusSeconds(1)));
        assertEquals(Optional.empty(), calendar.sessionAt(earlyClose));
    }

    @Test
    void withoutConfigurationOnlyTheRulesApply() {
        MarketCalendar rules = MarketCalendar.nyse();
        assertTrue(rules.session(LocalDate.parse("2025-01-09")).isPresent());
        assertEquals(Set.of(LocalDate.parse("2025-01-09")), calendar.config().closures(), "the default");
    }

    @Test
    void oneOffClosuresAndEarlyClosesAreConfigured() {
        ConfigSource source = ConfigSource.load(null,
            Map.of("XEX_CALENDAR_CLOSURES", "2026-03-10, 2026-03-11", "XEX_CALENDAR_EARLYCLOSES", "2026-03-12"));
        MarketCalendar configured = new MarketCalendar(CalendarConfig.from(source));
        assertEquals(Optional.of("special closure"), configured.closure(LocalDate.parse("2026-03-11")));
        assertTrue(configured.session(LocalDate.parse("2025-01-09")).isPresent(), "the default list was replaced");
        Session early = configured.session(LocalDate.parse("2026-03-12")).orElseThrow();
        assertTrue(early.earlyClose());
        assertEquals(Instant.parse("2026-03-12T17:00:00Z"), early.closeInstant());
        assertEquals(Instant.parse("2026-03-12T13:30:00Z"), configured.nextOpen(Instant.parse("2026-03-09T20:00:00Z")));

        ConfigSource none = ConfigSource.load(null, Map.of("XEX_CALENDAR_CLOSURES", ""));
        assertEquals(CalendarConfig.NONE, CalendarConfig.from(none));
    }

    @Test
    void badConfigurationIsRefusedWithTheKey() {
        ConfigException bad = assertThrows(ConfigException.class,
            () -> CalendarConfig.from(ConfigSource.load(null, Map.of("XEX_CALENDAR_CLOSURES", "2025-01-09,2025-13-01"))));
        assertEquals("calendar.closures = '2025-01-09,2025-13-01' (from environment variable XEX_CALENDAR_CLOSURES)"
            + " is not a comma-separated list of dates like 2025-01-09", bad.getMessage());
        ConfigException both = assertThrows(ConfigException.class,
            () -> CalendarConfig.from(ConfigSource.load(null, Map.of("XEX_CALENDAR_EARLYCLOSES", "2025-01-09"))));
        assertTrue(both.getMessage().startsWith("2025-01-09 is in both calendar.closures"), both.getMessage());
    }

    /** Every weekday of {@code year}: closed exactly on {@code closed}, early exactly on {@code early}. */
    private void assertYear(int year, Set<LocalDate> closed, Set<LocalDate> early) {
        List<LocalDate> actualClosed = new ArrayList<>();
        List<LocalDate> actualEarly = new ArrayList<>();
        for (LocalDate date = LocalDate.of(year, 1, 1); date.getYear() == year; date = date.plusDays(1)) {
            Optional<Session> session = calendar.session(date);
            boolean weekend = date.getDayOfWeek() == DayOfWeek.SATURDAY || date.getDayOfWeek() == DayOfWeek.SUNDAY;
            if (weekend) {
                assertEquals(Optional.empty(), session, date.toString());
                assertEquals(Optional.of(MarketCalendar.WEEKEND), calendar.closure(date));
                continue;
            }
            if (session.isEmpty()) {
                assertTrue(calendar.closure(date).isPresent(), date.toString());
                actualClosed.add(date);
                continue;
            }
            assertEquals(Optional.empty(), calendar.closure(date));
            Session s = session.get();
            assertEquals(date, s.date());
            assertEquals(date.atTime(9, 30).atZone(MarketCalendar.ZONE), s.open());
            LocalTime close = s.earlyClose() ? LocalTime.of(13, 0) : LocalTime.of(16, 0);
            assertEquals(date.atTime(close).atZone(MarketCalendar.ZONE), s.close());
            if (s.earlyClose()) {
                actualEarly.add(date);
            }
        }
        assertEquals(List.copyOf(closed), actualClosed, "closed weekdays of " + year);
        assertEquals(List.copyOf(early), actualEarly, "early closes of " + year);
    }

    private void assertSessions(String friday, String fridayOpenUtc, String fridayCloseUtc,
                                String monday, String mondayOpenUtc, String mondayCloseUtc) {
        assertSession(friday, fridayOpenUtc, fridayCloseUtc);
        assertSession(monday, mondayOpenUtc, mondayCloseUtc);
    }

    private void assertSession(String date, String openUtc, String closeUtc) {
        Session session = calendar.session(LocalDate.parse(date)).orElseThrow();
        assertEquals(Instant.parse(date + "T" + openUtc + ":00Z"), session.openInstant(), date);
        assertEquals(Instant.parse(date + "T" + closeUtc + ":00Z"), session.closeInstant(), date);
    }

    private static Set<LocalDate> dates(String... dates) {
        Set<LocalDate> set = new TreeSet<>();
        for (String date : dates) {
            set.add(LocalDate.parse(date));
        }
        return set;
    }
}
