/**
 * On-chain settlement (SPEC §8): the contracts' artefacts and their Java bindings, netting of a batch of trades,
 * fees and withdrawals into per-account, per-asset movements, the settlement and deposit verticles, and the demo's own
 * anvil chain ({@code localchain}) that {@code xex run} settles to.
 */
package io.xex.settlement;
