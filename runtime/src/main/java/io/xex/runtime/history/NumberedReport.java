package io.xex.runtime.history;

/**
 * An execution report with its number among its account's reports: 1 for the account's first, then every
 * next report one more, in the order {@link ExecutionReports} gives them over the results in sequence order.
 * History and the binary gateway number alike, so report {@code n} of an account is the same everywhere.
 */
public record NumberedReport(long reportNo, ExecutionReport report) {
}
