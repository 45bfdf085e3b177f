package io.xex.runtime.calendar;

import io.xex.runtime.config.ConfigException;
import io.xex.runtime.config.ConfigSource;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;

/**
 * The market calendar's one-off days, beyond its rules: {@code calendar.closures} (the market closed all
 * day, such as 2025-01-09, the national day of mourning for President Carter) and
 * {@code calendar.earlyCloses} (closing at 13:00 New York time). Each a comma-separated list of ISO dates;
 * a date on a weekend or a holiday changes nothing. A date in both lists is refused.
 *
 * @param closures    New York dates with no session
 * @param earlyCloses New York dates whose session closes at {@link MarketCalendar#EARLY_CLOSE_TIME}
 */
public record CalendarConfig(Set<LocalDate> closures, Set<LocalDate> earlyCloses) {
    public static final String CLOSURES_KEY = "calendar.closures";
    public static final String EARLY_CLOSES_KEY = "calendar.earlyCloses";
    /** No one-off days: the rules alone. */
    public static final CalendarConfig NONE = new CalendarConfig(Set.of(), Set.of());

    public CalendarConfig {
        closures = Collections.unmodifiableSortedSet(new TreeSet<>(closures));
        earlyCloses = Collections.unmodifiableSortedSet(new TreeSet<>(earlyCloses));
        for (LocalDate date : closures) {
            if (earlyCloses.contains(date)) {
                throw new IllegalArgumentException(date + " is both a closure and an early close");
            }
        }
    }

    public static CalendarConfig from(ConfigSource config) {
        Set<LocalDate> closures = dates(config, CLOSURES_KEY);
        Set<LocalDate> earlyCloses = dates(config, EARLY_CLOSES_KEY);
        for (LocalDate date : closures) {
            if (earlyCloses.contains(date)) {
                throw new ConfigException(date + " is in both " + CLOSURES_KEY + " (from " + config.origin(CLOSURES_KEY)
                    + ") and " + EARLY_CLOSES_KEY + " (from " + config.origin(EARLY_CLOSES_KEY) + ")");
            }
        }
        return new CalendarConfig(closures, earlyCloses);
    }

    private static Set<LocalDate> dates(ConfigSource config, String key) {
        Set<LocalDate> dates = new TreeSet<>();
        String value = config.optionalString(key);
        if (value == null) {
            return dates;
        }
        for (String item : value.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            try {
                dates.add(LocalDate.parse(item.trim()));
            } catch (DateTimeParseException e) {
                throw config.invalid(key, value, "a comma-separated list of dates like 2025-01-09");
            }
        }
        return dates;
    }
}
