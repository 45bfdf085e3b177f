/**
 * The durability benchmark: the runtime's durable commands per second (group commit) and acknowledgement
 * latency at fixed offered rates, each beside what the store does by itself with the same journal rows in the same
 * embedded PostgreSQL, in one run ({@link io.xex.loadtests.journal.JournalBenchmark}, {@code ./xex bench-journal}).
 *
 * <p>{@link io.xex.loadtests.journal.DiskProbe} times the disk alone, {@link io.xex.loadtests.journal.PlainInsert}
 * measures the store's own limit and {@link io.xex.loadtests.journal.PlainGroupCommit} its latency at an offered
 * rate; {@link io.xex.loadtests.journal.CommandLoad} drives the runtime's proxy from one Vert.x event-loop context (a
 * closed loop for throughput, an open model for latency), {@link io.xex.loadtests.journal.OrderFlow} makes the
 * commands and {@link io.xex.loadtests.journal.Usage} samples CPU, GC, threads and the journal's meters around each
 * phase. The main thread only starts phases and waits for them.
 */
package io.xex.loadtests.journal;
