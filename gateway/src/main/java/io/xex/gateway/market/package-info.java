/**
 * Market data and account events built from the engine's durable results: price-level mirrors of every
 * book with update ids and CRC32 checksums, recent trades, 24-hour tickers, trading statuses, executions
 * and balances. Seeded from one read of the engine on the matching thread, then follows every result after
 * it. Confined to the gateway's context.
 */
package io.xex.gateway.market;
