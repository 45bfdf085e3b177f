package io.xex.runtime.calendar;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.Month;
import java.time.temporal.TemporalAdjusters;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The NYSE holidays (NYSE Rule 7.2), each a rule for its date in any year and for the day the exchange
 * closes for it. A holiday on a Saturday is observed the Friday before and one on a Sunday the Monday
 * after, except New Year's Day: on a Saturday it is not observed at all (the Friday before, December 31,
 * ends a month, a quarter and a year and trades normally). The rules are today's; a holiday exists from
 * its first year on (Martin Luther King Jr. Day since 1998, Juneteenth since 2022), and older changes
 * (before the Monday holidays of 1971) are not modelled.
 */
public enum Holiday {
    NEW_YEARS_DAY("New Year's Day", 0, false, year -> LocalDate.of(year, Month.JANUARY, 1)),
    MARTIN_LUTHER_KING_JR_DAY("Martin Luther King Jr. Day", 1998, true,
        year -> nth(year, Month.JANUARY, 3, DayOfWeek.MONDAY)),
    WASHINGTONS_BIRTHDAY("Washington's Birthday", 0, true, year -> nth(year, Month.FEBRUARY, 3, DayOfWeek.MONDAY)),
    GOOD_FRIDAY("Good Friday", 0, true, year -> easterSunday(year).minusDays(2)),
    MEMORIAL_DAY("Memorial Day", 0, true,
        year -> LocalDate.of(year, Month.MAY, 1).with(TemporalAdjusters.lastInMonth(DayOfWeek.MONDAY))),
    JUNETEENTH("Juneteenth National Independence Day", 2022, true, year -> LocalDate.of(year, Month.JUNE, 19)),
    INDEPENDENCE_DAY("Independence Day", 0, true, year -> LocalDate.of(year, Month.JULY, 4)),
    LABOR_DAY("Labor Day", 0, true, year -> nth(year, Month.SEPTEMBER, 1, DayOfWeek.MONDAY)),
    THANKSGIVING_DAY("Thanksgiving Day", 0, true, year -> nth(year, Month.NOVEMBER, 4, DayOfWeek.THURSDAY)),
    CHRISTMAS_DAY("Christmas Day", 0, true, year -> LocalDate.of(year, Month.DECEMBER, 25));

    private final String displayName;
    private final int firstYear;
    private final boolean saturdayObservedFriday;
    private final IntFunction<LocalDate> rule;

    Holiday(String displayName, int firstYear, boolean saturdayObservedFriday, IntFunction<LocalDate> rule) {
        this.displayName = displayName;
        this.firstYear = firstYear;
        this.saturdayObservedFriday = saturdayObservedFriday;
        this.rule = rule;
    }

    /** The name NYSE publishes, e.g. {@code "Washington's Birthday"}. */
    public String displayName() {
        return displayName;
    }

    /** The holiday's own date in {@code year} (a Saturday or Sunday for the fixed-date ones, some years). */
    public LocalDate date(int year) {
        return rule.apply(year);
    }

    /**
     * The weekday the exchange is closed for this holiday in {@code year}; empty before the holiday's first
     * year and for New Year's Day on a Saturday. Always in {@code year}: only New Year's Day could move
     * into the year before, and it does not.
     */
    public Optional<LocalDate> observed(int year) {
        if (year < firstYear) {
            return Optional.empty();
        }
        LocalDate date = date(year);
        return switch (date.getDayOfWeek()) {
            case SATURDAY -> saturdayObservedFriday ? Optional.of(date.minusDays(1)) : Optional.empty();
            case SUNDAY -> Optional.of(date.plusDays(1));
            default -> Optional.of(date);
        };
    }

    /** Easter Sunday of the Gregorian calendar (the anonymous Gregorian computus of Meeus, Jones and Butcher). */
    public static LocalDate easterSunday(int year) {
        int a = year % 19;
        int b = year / 100;
        int c = year % 100;
        int d = b / 4;
        int e = b % 4;
        int f = (b + 8) / 25;
        int g = (b - f + 1) / 3;
        int h = (19 * a + b - d - g + 15) % 30;
        int i = c / 4;
        int k = c % 4;
        int l = (32 + 2 * e + 2 * i - h - k) % 7;
        int m = (a + 11 * h + 22 * l) / 451;
        int monthAndDay = h + l - 7 * m + 114;
        return LocalDate.of(year, monthAndDay / 31, monthAndDay % 31 + 1);
    }

    private static LocalDate nth(int year, Month month, int n, DayOfWeek day) {
        return LocalDate.of(year, month, 1).with(TemporalAdjusters.dayOfWeekInMonth(n, day));
    }
}
