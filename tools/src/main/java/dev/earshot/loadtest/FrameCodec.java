package dev.earshot.loadtest;

import java.net.ProtocolException;
import java.nio.ByteBuffer;

/**
 * RFC 6455 framing for the client side of the load tool: builds masked client frames once, and
 * parses unmasked server frames in place, straight out of the loop's read buffer. Nothing here
 * allocates per frame, so a chunk round trip costs the tool no garbage beyond a buffer duplicate.
 */
final class FrameCodec {
    /** Largest header of a client frame: 2 + 8 (64-bit length) + 4 (mask key). */
    static final int MAX_CLIENT_HEADER = 14;

    private FrameCodec() {}

    /** Receives the frames {@link #parse} finds. */
    interface FrameHandler {
        /**
         * One complete frame; its payload is {@code buf[offset, offset + length)} (absolute
         * positions), valid only during the call.
         *
         * @return false to stop parsing (the connection is done)
         */
        boolean onFrame(int opcode, boolean fin, ByteBuffer buf, int offset, int length) throws ProtocolException;
    }

    /**
     * A complete, masked client frame (FIN set) as a read-only direct buffer: written with
     * {@code channel.write(frame.duplicate())}, it goes to the socket without a copy.
     */
    static ByteBuffer clientFrame(int opcode, byte[] payload, int maskKey) {
        ByteBuffer frame = ByteBuffer.allocateDirect(MAX_CLIENT_HEADER + payload.length);
        frame.put((byte) (0x80 | opcode));
        if (payload.length <= 125) {
            frame.put((byte) (0x80 | payload.length));
        } else if (payload.length <= 0xFFFF) {
            frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
        } else {
            frame.put((byte) (0x80 | 127)).putLong(payload.length);
        }
        frame.putInt(maskKey);
        for (int i = 0; i < payload.length; i++) {
            frame.put((byte) (payload[i] ^ maskByte(maskKey, i)));
        }
        return frame.flip().asReadOnlyBuffer();
    }

    /** Byte {@code i} of the masking stream: the key's bytes in network order, repeated. */
    static int maskByte(int maskKey, int i) {
        return maskKey >>> (24 - 8 * (i & 3));
    }

    /**
     * Parses the complete frames between the buffer's position and limit, advancing the position
     * past each one handed to the handler.
     *
     * @return 0 when every byte was consumed; -1 when the handler stopped; otherwise the total
     *         size of the incomplete frame now at the position (or at least its header's size)
     * @throws ProtocolException on a masked server frame or a frame too large for the tool
     */
    static int parse(ByteBuffer buf, FrameHandler handler) throws ProtocolException {
        while (true) {
            int at = buf.position();
            int available = buf.limit() - at;
            if (available == 0) {
                return 0;
            }
            if (available < 2) {
                return 2;
            }
            int b0 = buf.get(at) & 0xFF;
            int b1 = buf.get(at + 1) & 0xFF;
            if ((b1 & 0x80) != 0) {
                throw new ProtocolException("masked server frame");
            }
            int len7 = b1 & 0x7F;
            int header = len7 == 126 ? 4 : len7 == 127 ? 10 : 2;
            if (available < header) {
                return header;
            }
            long length = len7 == 126 ? buf.getShort(at + 2) & 0xFFFF : len7 == 127 ? buf.getLong(at + 2) : len7;
            if (length < 0 || length > Integer.MAX_VALUE - 16) {
                throw new ProtocolException("frame of " + length + " bytes");
            }
            int total = header + (int) length;
            if (available < total) {
                return total;
            }
            buf.position(at + total);
            if (!handler.onFrame(b0 & 0x0F, (b0 & 0x80) != 0, buf, at + header, (int) length)) {
                return -1;
            }
        }
    }
}
