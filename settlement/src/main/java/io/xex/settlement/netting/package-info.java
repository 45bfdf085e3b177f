/**
 * Netting (SPEC §8): the durable results of one settlement batch → each account's net movement per asset, in
 * engine units. {@link io.xex.settlement.netting.Netting} computes {@link io.xex.settlement.netting.NetMovements}:
 * the transfers that trades and their fees made between accounts (the fee account included; every asset adds up
 * to zero) and the withdrawals the engine accepted, both as sorted {@link io.xex.settlement.netting.Leg}s with
 * zero movements dropped, so that a batch nets, records and encodes identically every time. Deposits are no
 * movement: their tokens are in the vault already. {@link io.xex.settlement.netting.BatchPositions} (closing
 * balances and deposits) is what converting the movements at a multiplier other than 1 needs besides them.
 *
 * <p>Pure functions over immutable values: no chain, database, clock, I/O or Vert.x, and no state between calls;
 * safe on any thread. What a batch is, and what becomes of its movements on chain, belong to the settlement
 * verticle.
 */
package io.xex.settlement.netting;
