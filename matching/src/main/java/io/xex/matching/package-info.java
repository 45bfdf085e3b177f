/**
 * The matching engine of xex: every symbol's order book, every account's balances, and the rules of
 * trading (SPEC §3–4), as one deterministic state machine.
 *
 * <h2>Shape</h2>
 * <pre>
 *   Command ──► MatchingEngine.apply(sequence, timestampNs, command) ──► EngineListener
 *                 │  OrderBook per instrument: BookSide bids, asks (sorted Level arrays, best last)
 *                 │  Level: FIFO of Order (pooled, intrusive links)
 *                 │  Account: balances available/locked per asset, its resting orders
 *                 └  indexes: order id → Order, (account, client order id) → Order
 * </pre>
 * Commands are immutable records ({@link io.xex.matching.Command}); the sequencer that journals them
 * gives each its sequence number and timestamp, which are the engine's only notion of order and time.
 * Every outcome leaves through the one {@link io.xex.matching.EngineListener}; refusals are values
 * ({@link io.xex.matching.RejectReason}, numbered and grouped by subsystem), never exceptions.
 *
 * <h2>Threading</h2>
 * Everything here is owned by a single matching thread and is not thread-safe. There is no clock, I/O,
 * logging, locking or Vert.x in this package: the runtime around it (issue #3) owns the thread, the
 * journal and the delivery of events to other threads.
 *
 * <h2>Money</h2>
 * Prices are {@code long} ticks and quantities {@code long} lots; balances are {@code long} units of
 * {@code 10^-decimals} of their asset. An instrument's tick and lot sizes are chosen so that one lot at
 * one tick is a whole number of quote units, which makes every order value exact
 * ({@code price × quantity × quoteUnitsPerTickLot}). Fees are rounded down. A buy locks what it can cost
 * at its limit with the worse of its maker and taker fees; after every fill its lock is set back to what
 * its remainder can cost, so locked funds always equal what open orders can still cost, and every asset's
 * total over all accounts changes only through deposits and withdrawals. {@code double} never touches
 * money.
 *
 * <h2>Allocation</h2>
 * Orders and price levels come from pools sized by {@link io.xex.matching.EngineConfig}; the hash
 * indexes are open-addressing arrays. Steady-state matching allocates nothing; only growth past the
 * configured capacity does.
 */
package io.xex.matching;
