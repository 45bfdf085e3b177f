/**
 * Matching engine benchmarks: xex's engine side by side with the exchange-core 0.5.3 anchor on the same
 * order stream (shared/bench/README.md).
 *
 * <p>{@link io.xex.loadtests.engine.ExchangeCoreBook} drives exchange-core's order book directly and writes
 * its trade tape; {@link io.xex.loadtests.engine.EngineComparison} measures both engines' throughput and
 * per-command latency in one process; {@link io.xex.loadtests.engine.ReplayBenchmark} is the JMH view,
 * mainly to show allocation per command with {@code -prof gc}. Everything here runs on the calling thread.
 */
package io.xex.loadtests.engine;
