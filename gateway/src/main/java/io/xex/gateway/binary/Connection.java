package io.xex.gateway.binary;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import org.agrona.ExpandableArrayBuffer;

import java.util.Arrays;

/**
 * One TCP connection: the bytes received and not yet framed, the bytes encoded and not yet written, and the
 * session established on it. Confined to the gateway's context.
 */
final class Connection {
    final long id;
    final NetSocket socket;
    final long openedMs;
    final ExpandableArrayBuffer in = new ExpandableArrayBuffer(8192);
    final ExpandableArrayBuffer out = new ExpandableArrayBuffer(8192);
    int inLength;
    int outLength;
    /** Waiting for an asynchronous step of a handshake: further frames wait. */
    boolean busy;
    boolean closed;
    boolean dirty;
    BinarySession session;
    long keepAliveMs;
    long lastReceivedMs;
    long lastSentMs;
    long slowSinceMs = -1;

    Connection(long id, NetSocket socket, long nowMs) {
        this.id = id;
        this.socket = socket;
        this.openedMs = nowMs;
        this.lastReceivedMs = nowMs;
        this.lastSentMs = nowMs;
    }

    /** Appends received bytes. */
    void received(Buffer buffer) {
        int length = buffer.length();
        in.checkLimit(inLength + length);
        buffer.getBytes(0, length, in.byteArray(), inLength);
        inLength += length;
    }

    /** Drops the first {@code consumed} received bytes. */
    void consumed(int consumed) {
        if (consumed > 0) {
            System.arraycopy(in.byteArray(), consumed, in.byteArray(), 0, inLength - consumed);
            inLength -= consumed;
        }
    }

    /** Writes what was encoded; returns false if there was nothing. */
    boolean flush(long nowMs) {
        dirty = false;
        if (outLength == 0 || closed) {
            outLength = 0;
            return false;
        }
        socket.write(Buffer.buffer(Arrays.copyOf(out.byteArray(), outLength)));
        outLength = 0;
        lastSentMs = nowMs;
        return true;
    }
}
