/**
 * History for queries and exports: orders, trades and balance movements, each with the sequence number of
 * the command that caused it, written in batches behind the journal by {@link io.xex.runtime.history.HistoryWriter}
 * on its own verticle context, never on the matching thread.
 */
package io.xex.runtime.history;
