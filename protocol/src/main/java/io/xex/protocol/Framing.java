package io.xex.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * How messages travel on TCP: each one is preceded by a Simple Open Framing Header (SOFH, FIX Trading
 * Community): a 4-byte big-endian length of the whole frame, header included, and a 2-byte big-endian
 * encoding type, {@value #SBE_LITTLE_ENDIAN} for SBE 1.0 little-endian. The SBE message header and body
 * follow.
 */
public final class Framing {
    /** Bytes of the framing header. */
    public static final int HEADER_LENGTH = 6;
    /** The SOFH encoding type of SBE 1.0 little-endian messages. */
    public static final int SBE_LITTLE_ENDIAN = 0xEB50;
    /** The largest frame either side accepts, header included; a longer length ends the connection. */
    public static final int MAX_FRAME_LENGTH = 4096;
    /** The smallest valid frame: the framing header and an SBE message header. */
    public static final int MIN_FRAME_LENGTH = HEADER_LENGTH + 8;

    private Framing() {
    }

    /** Writes a framing header at {@code offset} for a message of {@code messageLength} bytes. */
    public static void writeHeader(MutableDirectBuffer buffer, int offset, int messageLength) {
        buffer.putInt(offset, HEADER_LENGTH + messageLength, ByteOrder.BIG_ENDIAN);
        buffer.putShort(offset + 4, (short) SBE_LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);
    }

    /** The frame length in the header at {@code offset}, header included. */
    public static int frameLength(DirectBuffer buffer, int offset) {
        return buffer.getInt(offset, ByteOrder.BIG_ENDIAN);
    }

    /** The encoding type in the header at {@code offset}. */
    public static int encodingType(DirectBuffer buffer, int offset) {
        return buffer.getShort(offset + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /** Whether a frame of {@code length} bytes (header included) can be read. */
    public static boolean validLength(long length) {
        return length >= MIN_FRAME_LENGTH && length <= MAX_FRAME_LENGTH;
    }
}
