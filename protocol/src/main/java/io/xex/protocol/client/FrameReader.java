package io.xex.protocol.client;

import io.vertx.core.buffer.Buffer;
import io.xex.protocol.Framing;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Splits a TCP byte stream into frames by their framing header. Chunks are copied into one reused array and
 * each complete frame is handed over in place, so reading allocates nothing (a {@code RecordParser} would
 * allocate a buffer per frame). A frame whose length is outside {@link Framing#validLength} or whose
 * encoding type is not {@link Framing#SBE_LITTLE_ENDIAN} breaks the stream: the reader stops and reports it.
 *
 * <p>A frame is consumed before its handler runs, so a handler that throws, or that {@link #reset()}s the
 * reader, never sees it again. Not thread-safe: confined to its connection's context.
 */
final class FrameReader {
    /** Receives each frame's SBE message, from its message header, valid only during the call. */
    @FunctionalInterface
    interface FrameHandler {
        void onMessage(DirectBuffer buffer, int offset, int length);
    }

    static final int DEFAULT_CAPACITY = 16 * 1024;

    private final FrameHandler handler;
    private final byte[] bytes;
    private final UnsafeBuffer buffer;
    /** The first unread byte. */
    private int position;
    /** One past the last byte received. */
    private int limit;
    private boolean broken;
    /** Bumped by {@link #reset()}, so that a handler resetting the reader ends the current read. */
    private int generation;

    FrameReader(FrameHandler handler) {
        this(handler, DEFAULT_CAPACITY);
    }

    FrameReader(FrameHandler handler, int capacity) {
        if (capacity < Framing.MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("capacity below the largest frame: " + capacity);
        }
        this.handler = handler;
        this.bytes = new byte[capacity];
        this.buffer = new UnsafeBuffer(bytes);
    }

    /**
     * Reads a chunk, handing over every frame it completes.
     *
     * @return false if the stream is broken (now or before); nothing more is read until {@link #reset()}
     */
    boolean onData(Buffer chunk) {
        int generationAtStart = generation;
        int chunkLength = chunk.length();
        int chunkPosition = 0;
        while (chunkPosition < chunkLength && !broken) {
            int n = Math.min(bytes.length - limit, chunkLength - chunkPosition);
            chunk.getBytes(chunkPosition, chunkPosition + n, bytes, limit);
            limit += n;
            chunkPosition += n;
            if (!readFrames(generationAtStart)) {
                return !broken;
            }
            compact();
        }
        return !broken;
    }

    /** Forgets any partial frame and a broken state, for a new connection. */
    void reset() {
        position = 0;
        limit = 0;
        broken = false;
        generation++;
    }

    boolean broken() {
        return broken;
    }

    /** @return false if the read must stop: the stream broke or a handler reset the reader */
    private boolean readFrames(int generationAtStart) {
        while (limit - position >= Framing.HEADER_LENGTH) {
            int frameLength = Framing.frameLength(buffer, position);
            if (!Framing.validLength(frameLength)
                || Framing.encodingType(buffer, position) != Framing.SBE_LITTLE_ENDIAN) {
                broken = true;
                return false;
            }
            if (limit - position < frameLength) {
                return true;
            }
            int messageOffset = position + Framing.HEADER_LENGTH;
            position += frameLength;
            handler.onMessage(buffer, messageOffset, frameLength - Framing.HEADER_LENGTH);
            if (generation != generationAtStart) {
                return false;
            }
        }
        return true;
    }

    private void compact() {
        int remaining = limit - position;
        if (remaining > 0 && position > 0) {
            System.arraycopy(bytes, position, bytes, 0, remaining);
        }
        position = 0;
        limit = remaining;
    }
}
