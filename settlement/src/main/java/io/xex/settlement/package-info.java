/**
 * On-chain settlement (SPEC §8): the contracts' artefacts and their Java bindings, netting of a batch of trades,
 * fees and withdrawals into per-account, per-asset movements, and the settlement and deposit verticles.
 */
package io.xex.settlement;
