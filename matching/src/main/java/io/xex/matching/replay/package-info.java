/**
 * {@code xex replay}: runs an order stream in the shared bench format through the same
 * {@link io.xex.matching.MatchingEngine} the venue runs, configured without self-trade prevention,
 * balances or bands, writes the trade tape, and measures throughput the way the exchange-core anchor
 * did. Single-threaded: the caller's thread owns the replayer and its engine.
 */
package io.xex.matching.replay;
