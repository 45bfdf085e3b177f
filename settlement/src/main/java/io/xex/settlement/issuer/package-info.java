/**
 * The issuer's primary market (SPEC §9, docs/issuer.md): mint and redeem requests checked, priced and executed
 * exactly once (a journaled transfer in the engine, a mint or burn by the IssuerDesk on chain with the custodian's
 * share ledger), requests queued for the open, the reserves and their metrics, corporate actions scheduled on chain and
 * applied in the engine at activation, and the issuer operator's admin API. {@link io.xex.settlement.issuer.IssuerVerticle}
 * owns the work on one event-loop context and a worker for the chain; {@link io.xex.settlement.issuer.IssuerComponent}
 * wires it into the venue.
 */
package io.xex.settlement.issuer;
