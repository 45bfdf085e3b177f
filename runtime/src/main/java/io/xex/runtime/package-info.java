/**
 * The xex runtime: the matching engine made a durable service (SPEC §5, §12).
 *
 * <h2>Threads and data flow</h2>
 * <pre>
 *  any context ──submit──► EngineProxy ──inbox (MPSC)──► xex-matching thread ──► JournalWriter context
 *   (gateways, /admin)      refuses when busy,              sequence, timestamp,      group commit to
 *        ▲                  away or stopping                 engine.apply, events      PostgreSQL
 *        │                                                   copied, snapshots            │ durable
 *        └──────────── ack on the submitter's context ◄──────────────────────────────────┤
 *                      EngineEventAdapter ──► each subscriber's context (HistoryWriter, later gateways)
 * </pre>
 * <ul>
 *   <li>{@code engine}: the proxy, the matching thread (one platform thread it owns, see
 *       {@code MatchingLoop}), the journal writer, the event adapter, recovery.</li>
 *   <li>{@code store} and {@code db}: PostgreSQL (embedded or external), migrations, journal, snapshots,
 *       history tables.</li>
 *   <li>{@code history}: orders, trades and balance movements written behind the journal.</li>
 *   <li>{@code ops}: {@code /metrics} and {@code /admin/*}.</li>
 *   <li>{@code config}: the configuration file, environment overrides, one small record per component.</li>
 *   <li>{@code wallet}: what a gateway asks settlement before a withdrawal (the whitelisted address).</li>
 *   <li>{@code calendar}: the underlying US market's sessions (NYSE rules, holidays, early closes), pure.</li>
 * </ul>
 *
 * <h2>Durability</h2>
 * The engine applies a command as soon as it takes it; the command's events are held until the journal
 * write that contains it has committed, and only then acknowledged and published. A crash loses only
 * commands nobody was told about; recovery (newest snapshot, then the journal after it) rebuilds exactly
 * the state of the durable commands. Nothing blocks an event loop: PostgreSQL is reached through
 * vertx-pg-client, recovery and the embedded database's start run on worker threads or before Vert.x
 * serves anything.
 */
package io.xex.runtime;
