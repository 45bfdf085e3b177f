/**
 * How traders reach the venue (SPEC §6): the WebSocket API, REST and market data, as a
 * {@link io.xex.runtime.VenueComponent} of the runtime.
 *
 * <h2>Threads and data flow</h2>
 * <pre>
 *  client ──WS/REST──► GatewayVerticle (one event-loop context: sessions, limits, subscriptions, book mirrors)
 *                        │ commands, queries                    ▲ durable results, in sequence order
 *                        ▼                                      │
 *                     EngineProxy ──► xex-matching ──► journal ─┴─ EngineEventAdapter
 * </pre>
 * Everything the gateway holds is confined to its verticle's context: nothing is shared, nothing locked.
 * A response, a book delta or an execution leaves only after the journal made its command durable.
 * <ul>
 *   <li>{@code ws}: the HTTP server, WebSocket sessions, methods, REST routes, rate limits, slow readers.</li>
 *   <li>{@code market}: the book mirrors (update ids, checksums), recent trades, tickers, statuses, and each
 *       account's executions and balance changes, built from the engine's durable results.</li>
 *   <li>{@code auth}: request signing, API keys and logon.</li>
 *   <li>{@code history}: trade queries on the history tables (account trades, CSV export, seeding).</li>
 *   <li>{@code demo}: the demo accounts and keys of {@code xex run}.</li>
 * </ul>
 * {@link io.xex.gateway.Listings} is the one place where engine units become decimal strings and back;
 * {@link io.xex.gateway.GatewayError} holds the gateway's stable error codes. A withdrawal asks the
 * {@link io.xex.runtime.wallet.WithdrawalGate} it was given (settlement's) for the account's whitelisted address
 * before its {@code Withdraw} command is submitted.
 */
package io.xex.gateway;
