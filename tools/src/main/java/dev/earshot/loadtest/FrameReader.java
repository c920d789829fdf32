package dev.earshot.loadtest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads one connection's server frames through its loop's shared read buffer. A connection owns
 * bytes of its own only while a frame is split across reads: then the remainder waits in a small
 * heap buffer and is put back in front of the next read. A frame larger than the shared buffer is
 * read straight into a buffer of its own size. Thousands of idle connections thus hold no read
 * buffer at all.
 */
final class FrameReader {
    /** Bytes of a frame split across reads (write mode), or null. */
    private ByteBuffer pending;

    /**
     * Reads what the channel has (one read) and hands every complete frame to the handler.
     *
     * @return the bytes read, or -1 at the end of the stream
     */
    int read(ReadableByteChannel channel, ByteBuffer shared, FrameCodec.FrameHandler handler) throws IOException {
        ByteBuffer in;
        if (pending != null && pending.capacity() > shared.capacity()) {
            in = pending;
        } else {
            shared.clear();
            if (pending != null) {
                shared.put(pending.flip());
                pending = null;
            }
            in = shared;
        }
        int n = channel.read(in);
        if (n < 0) {
            return -1;
        }
        in.flip();
        process(in, handler);
        return n;
    }

    /**
     * Hands the complete frames in {@code in} (read mode) to the handler and keeps an incomplete
     * last frame for the next read. Also used for frame bytes that arrived with the handshake.
     */
    void process(ByteBuffer in, FrameCodec.FrameHandler handler) throws IOException {
        int need = FrameCodec.parse(in, handler);
        if (need < 0 || !in.hasRemaining()) {
            if (in == pending) {
                pending = null;
            }
            return;
        }
        if (in == pending && need <= pending.capacity()) {
            in.compact();
        } else {
            pending = ByteBuffer.allocate(Math.max(need, in.remaining()));
            pending.put(in);
        }
    }

    /** Whether part of a frame is waiting for its rest. */
    boolean hasPending() {
        return pending != null;
    }
}
