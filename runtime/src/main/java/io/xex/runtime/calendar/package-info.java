/**
 * The US equity market calendar (SPEC §9): {@link io.xex.runtime.calendar.MarketCalendar} computes NYSE's
 * regular sessions for any year by rule (weekends, the holidays of {@link io.xex.runtime.calendar.Holiday}
 * with their observed days, 13:00 early closes, daylight-saving time) plus the one-off closures and early
 * closes of {@link io.xex.runtime.calendar.CalendarConfig}. Pure: no clock, no I/O; time arrives as an
 * argument. Immutable and thread-safe.
 */
package io.xex.runtime.calendar;
