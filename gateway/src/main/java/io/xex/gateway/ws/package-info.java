/**
 * The gateway's server: {@link io.xex.gateway.ws.GatewayVerticle} (one HTTP port, WebSocket at {@code /ws},
 * REST under {@code /api/v1}), a {@code Session} per connection, the methods ({@code Requests}), who
 * receives which message ({@code Hub}), rate limits and the slow-reader policy. Confined to the verticle's
 * context.
 */
package io.xex.gateway.ws;
