/**
 * The binary order-entry gateway for market makers (docs/binary-protocol.md): {@link
 * io.xex.gateway.binary.BinaryGatewayVerticle}, a TCP server speaking SBE in SOFH frames with a FIXP-style
 * session layer. A {@code Connection} per socket, a {@code BinarySession} per negotiated session (it outlives
 * connections and restarts; stored by {@code SessionStore}), an {@code AccountState} per account (its report
 * count, recent reports, recent client order ids, live quotes), and {@code Wire}, the server's encoders.
 * Sequenced messages are the account's execution reports, numbered as history numbers them. Everything is
 * confined to the verticle's context; the engine is reached through the runtime's proxy and adapter only.
 */
package io.xex.gateway.binary;
