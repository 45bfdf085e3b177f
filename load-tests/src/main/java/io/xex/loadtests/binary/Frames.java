package io.xex.loadtests.binary;

import io.vertx.core.buffer.Buffer;
import io.xex.protocol.Framing;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Splits a TCP byte stream into SOFH frames ({@link Framing}) as the protocol's client and the gateway do: chunks are
 * copied into one reused array and each complete frame is handed over in place, its SBE message from the message
 * header on, valid during the call only. The harness's raw sessions and the echo server read with it.
 *
 * <p>Not thread-safe: confined to its connection's context.
 */
final class Frames {
    /** Receives each frame's SBE message. */
    @FunctionalInterface
    interface Handler {
        void onMessage(DirectBuffer buffer, int offset, int length);
    }

    private static final int CAPACITY = 64 * 1024;

    private final Handler handler;
    private final byte[] bytes = new byte[CAPACITY];
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    /** One past the last byte received and not yet handed over. */
    private int limit;

    Frames(Handler handler) {
        this.handler = handler;
    }

    /**
     * Reads a chunk, handing over every frame it completes.
     *
     * @return false if a frame's length or encoding type is not allowed: the stream is broken
     */
    boolean onData(Buffer chunk) {
        int chunkLength = chunk.length();
        int chunkPosition = 0;
        while (chunkPosition < chunkLength) {
            int n = Math.min(bytes.length - limit, chunkLength - chunkPosition);
            chunk.getBytes(chunkPosition, chunkPosition + n, bytes, limit);
            limit += n;
            chunkPosition += n;
            int position = 0;
            while (limit - position >= Framing.HEADER_LENGTH) {
                int frameLength = Framing.frameLength(buffer, position);
                if (!Framing.validLength(frameLength) || Framing.encodingType(buffer, position) != Framing.SBE_LITTLE_ENDIAN) {
                    return false;
                }
                if (limit - position < frameLength) {
                    break;
                }
                handler.onMessage(buffer, position + Framing.HEADER_LENGTH, frameLength - Framing.HEADER_LENGTH);
                position += frameLength;
            }
            if (position > 0) {
                System.arraycopy(bytes, position, bytes, 0, limit - position);
                limit -= position;
            }
        }
        return true;
    }
}
