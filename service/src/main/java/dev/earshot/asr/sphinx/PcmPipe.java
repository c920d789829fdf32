package dev.earshot.asr.sphinx;

import java.io.InputStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Hands 16-bit little-endian PCM from a stream's audio thread to its decoder thread, which
 * reads it as the {@link InputStream} Sphinx4 expects. The queue is bounded: when the decoder
 * falls behind, {@link #write} blocks, and the gRPC flow-control window pushes back on the
 * client, instead of memory growing. {@link #cancel} unblocks both sides at once.
 */
final class PcmPipe extends InputStream {
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> chunks;
    private volatile boolean cancelled;
    private byte[] current = new byte[0];
    private int offset;
    private boolean ended;
    private long bytesRead;

    /** @param capacityChunks how many chunks may wait before the writer blocks */
    PcmPipe(int capacityChunks) {
        this.chunks = new ArrayBlockingQueue<>(capacityChunks);
    }

    /** Queues samples for the decoder; blocks while the queue is full. Dropped if cancelled. */
    void write(short[] samples) {
        if (samples.length == 0) {
            return;
        }
        byte[] bytes = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            bytes[2 * i] = (byte) samples[i];
            bytes[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        put(bytes);
    }

    /** End of audio: the decoder reads what is queued, then end of stream. */
    void endOfAudio() {
        put(END);
    }

    /** Called by the reader (Sphinx4 closes its source at end of stream): nothing to release. */
    @Override
    public void close() {}

    /** Abandons the stream: the decoder sees end of stream at its next read. */
    void cancel() {
        cancelled = true;
        chunks.clear();
        chunks.offer(END);
    }

    boolean cancelled() {
        return cancelled;
    }

    /** Bytes the decoder has read so far. Only meaningful on the reading thread. */
    long bytesRead() {
        return bytesRead;
    }

    private void put(byte[] bytes) {
        try {
            while (!cancelled && !chunks.offer(bytes, 100, TimeUnit.MILLISECONDS)) {
                // wait for the decoder, re-checking for cancellation
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cancel();
        }
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] target, int off, int len) {
        if (len == 0) {
            return 0;
        }
        while (offset >= current.length) {
            if (ended || cancelled) {
                ended = true;
                return -1;
            }
            try {
                current = chunks.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                ended = true;
                return -1;
            }
            offset = 0;
            if (current == END) {
                ended = true;
                return -1;
            }
        }
        int n = Math.min(len, current.length - offset);
        System.arraycopy(current, offset, target, off, n);
        offset += n;
        bytesRead += n;
        return n;
    }
}
