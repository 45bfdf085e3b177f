/**
 * The reference price feed (SPEC §9, pluggable): {@link io.xex.runtime.feed.ReferenceFeed} gives each
 * underlying's latest price and tells a listener of every move; {@link io.xex.runtime.feed.SimulatedFeed}, the
 * demo's, is a seeded random walk that moves only while the underlying market is open. Feeds are confined to
 * their owner's context (the market session's verticle); the simulated one has no clock of its own.
 */
package io.xex.runtime.feed;
