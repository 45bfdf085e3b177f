/**
 * The binary order-entry protocol shared by the server and its clients: framing ({@link io.xex.protocol.Framing}),
 * session signing ({@link io.xex.protocol.SessionSigning}) and codes ({@link io.xex.protocol.ProtocolCode}).
 * The codecs in {@code io.xex.protocol.sbe} are generated at build time from
 * {@code src/main/resources/sbe/xex-binary.xml}; docs/binary-protocol.md describes the protocol.
 * {@code io.xex.protocol.client} is the Java client library built on them.
 */
package io.xex.protocol;
