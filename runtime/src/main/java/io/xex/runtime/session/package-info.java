/**
 * The underlying market's session in the venue (SPEC §4, §9): {@link io.xex.runtime.session.MarketSessionComponent}
 * moves every instrument between OPEN and CLOSED_UNDERLYING at the market calendar's opens and closes and journals
 * the reference feed's prices while the underlying trades. Its verticle owns the feed and every timer; all of it runs
 * on that verticle's event-loop context, through the engine proxy's futures.
 */
package io.xex.runtime.session;
