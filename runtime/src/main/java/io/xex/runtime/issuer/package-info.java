/**
 * The issuer's primary market as the gateways see it ({@link io.xex.runtime.issuer.PrimaryMarket}): mint and redeem
 * requests of eligible accounts, and the reserves of each xStock. The implementation, which talks to the chain, is
 * settlement's issuer component; a venue without it refuses every request.
 */
package io.xex.runtime.issuer;
