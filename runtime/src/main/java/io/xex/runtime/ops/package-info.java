/**
 * The operations HTTP server ({@code /metrics}, {@code /admin/*}), a verticle on its own event-loop context.
 */
package io.xex.runtime.ops;
