/**
 * What the runtime keeps in PostgreSQL, one class per table family: {@link io.xex.runtime.store.JournalStore}
 * (the command journal, one statement per group-commit batch), {@link io.xex.runtime.store.SnapshotStore}
 * (engine snapshots) and {@link io.xex.runtime.store.HistoryStore} (orders, trades, balance movements and
 * numbered execution reports for queries, with the cursor through which they are written). Every write is
 * idempotent, so a batch retried after a lost answer or a restart changes nothing.
 *
 * <p>Threads: the stores are stateless over a thread-safe {@code Pool}; every method returns a Vert.x future that
 * completes on the caller's context and never blocks. The SQL types stay in this package: callers see longs,
 * byte arrays, the row records and the history package's execution reports.
 */
package io.xex.runtime.store;
