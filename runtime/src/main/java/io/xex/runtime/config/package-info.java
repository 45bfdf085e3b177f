/**
 * Configuration: {@link io.xex.runtime.config.ConfigSource} layers the documented defaults
 * ({@code xex-defaults.properties}), an optional file and {@code XEX_*} environment variables; each
 * component reads one small validated record from it, and the whole configuration fails before anything
 * starts. Immutable, thread-safe.
 */
package io.xex.runtime.config;
