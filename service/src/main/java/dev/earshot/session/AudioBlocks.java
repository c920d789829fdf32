package dev.earshot.session;

import java.nio.ByteBuffer;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fixed-size buffers for the audio sessions keep for a replay ({@link KeptAudio}), shared by every
 * session, reused, and off the heap. A session keeps about a second of audio at a time (until the
 * next final) and thousands stream at once. Measured at 2,400 sessions (gateway {@code -Xmx1g}),
 * each way of holding it on the heap cost a sixth more CPU per chunk and doubled the p99: the
 * client's frames themselves were copied by every young collection; a buffer per session fed the
 * old generation with garbage; even pooled heap blocks, never garbage, filled the old generation
 * enough that G1 marked it three times as often. Direct memory is none of the collector's business.
 *
 * <p>Blocks are cut from 1 MB slabs, so there are few direct allocations; if direct memory runs
 * out ({@code -XX:MaxDirectMemorySize}, by default the heap's maximum) a slab comes from the heap
 * instead, slower for the collector but never a failure. At most {@code maxFree} blocks wait here;
 * blocks given back beyond that are left to the collector, which frees a slab once none of its
 * blocks is in use, so a peak of sessions does not hold its memory for ever. The contents of a
 * block given back are not cleared: {@link KeptAudio} only reads bytes it wrote.
 */
final class AudioBlocks {
    /** 8 KB: a quarter second of 16 kHz audio; a session wastes at most one partly used block. */
    static final int BLOCK_BYTES = 8 * 1024;

    private static final int SLAB_BYTES = 128 * BLOCK_BYTES;

    /** The gateway's pool: up to a sixteenth of the heap's size waits for reuse. */
    static final AudioBlocks SHARED = new AudioBlocks(
            (int) Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 16 / BLOCK_BYTES));

    private final ReentrantLock lock = new ReentrantLock();
    private final ByteBuffer[] free;
    private int count;
    private ByteBuffer slab;
    private int cut = SLAB_BYTES; // bytes of the slab already handed out

    AudioBlocks(int maxFree) {
        this.free = new ByteBuffer[Math.max(0, maxFree)];
    }

    /** A block of {@link #BLOCK_BYTES}: one given back earlier, or a new one. */
    ByteBuffer take() {
        lock.lock();
        try {
            if (count > 0) {
                ByteBuffer block = free[--count];
                free[count] = null;
                return block;
            }
            if (cut == SLAB_BYTES) {
                slab = slab();
                cut = 0;
            }
            ByteBuffer block = slab.slice(cut, BLOCK_BYTES);
            cut += BLOCK_BYTES;
            return block;
        } finally {
            lock.unlock();
        }
    }

    /** Gives a block back for reuse. */
    void give(ByteBuffer block) {
        lock.lock();
        try {
            if (count < free.length) {
                free[count++] = block;
            }
        } finally {
            lock.unlock();
        }
    }

    /** Blocks waiting for reuse. */
    int free() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    private static ByteBuffer slab() {
        try {
            return ByteBuffer.allocateDirect(SLAB_BYTES);
        } catch (OutOfMemoryError e) { // direct memory is full: the heap still works
            return ByteBuffer.allocate(SLAB_BYTES);
        }
    }
}
