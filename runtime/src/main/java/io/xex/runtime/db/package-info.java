/**
 * The PostgreSQL this process uses: {@link io.xex.runtime.db.DbConfig} says where it is,
 * {@link io.xex.runtime.db.EmbeddedDatabase} starts one in a local folder when no external server is configured
 * (and stops a server a killed predecessor left running on that folder), {@link io.xex.runtime.db.Database} opens
 * the Vert.x connection pool, and {@link io.xex.runtime.db.Migrations} brings the schema
 * ({@code db/migration/V<n>__<name>.sql}) up to date before anything uses it.
 *
 * <p>Threads: {@code EmbeddedDatabase.start} and {@code close} block for seconds, so they run before Vert.x starts,
 * on a worker or on a test thread ({@code Database} does the worker hop itself). Everything else returns Vert.x
 * futures that complete on the caller's context.
 */
package io.xex.runtime.db;
