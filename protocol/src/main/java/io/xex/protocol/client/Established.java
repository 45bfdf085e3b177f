package io.xex.protocol.client;

/**
 * A session established on a connection, from the server's EstablishmentAck.
 *
 * @param nextSeqNo           the seqNo of the server's next live execution report; reports below it that
 *                            this client has not delivered yet are being retransmitted
 * @param keepAliveIntervalMs the keep-alive interval both sides keep on this connection
 */
public record Established(long nextSeqNo, long keepAliveIntervalMs) {
}
