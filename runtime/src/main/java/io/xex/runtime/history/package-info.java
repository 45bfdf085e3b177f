/**
 * History for queries and exports: orders, trades, balance movements and execution reports, each with the
 * sequence number of the command that caused it, written in batches behind the journal by
 * {@link io.xex.runtime.history.HistoryWriter} on its own verticle context, never on the matching thread.
 * {@link io.xex.runtime.history.ExecutionReports} derives the reports from durable results as a pure function;
 * the writer numbers each account's densely, the same numbers the binary gateway gives them, so that a client's
 * request to resend from report {@code n} can be answered from the database after a restart.
 */
package io.xex.runtime.history;
