/**
 * What the gateways ask of settlement before a withdrawal: {@link io.xex.runtime.wallet.WithdrawalGate} says
 * whether an account may withdraw and to which whitelisted address. Defined here so that a gateway needs no
 * settlement module and settlement no gateway; the venue's assembly ({@code XexApp}) hands the one to the other.
 */
package io.xex.runtime.wallet;
