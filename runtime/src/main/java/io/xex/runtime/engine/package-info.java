/**
 * The durable engine: {@link io.xex.runtime.engine.EngineProxy} puts commands in, one matching thread
 * ({@code xex-matching}, owned by {@code MatchingLoop}) applies them to the engine it alone touches, the
 * {@code JournalWriter} makes them durable with group commit on its own Vert.x context, and
 * {@link io.xex.runtime.engine.EngineEventAdapter} hands durable results to each subscriber on its own
 * context. Threads are crossed only in these named classes.
 */
package io.xex.runtime.engine;
