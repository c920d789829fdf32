package dev.earshot.session;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * A run of audio bytes, added at the end and let go from the front, held in blocks from an
 * {@link AudioBlocks} pool and given back as soon as they are empty: the storage behind an
 * {@link AudioFeed}. Each chunk is copied in (a fraction of a microsecond) rather than kept as the
 * client's frame, so the feed holds nothing the collector has to copy or mark. Not thread-safe:
 * the feed's lock guards it.
 */
final class KeptAudio {
    private static final int BLOCK = AudioBlocks.BLOCK_BYTES;

    private final AudioBlocks pool;
    private final List<ByteBuffer> blocks = new ArrayList<>();
    private int first; // blocks before this index were given back
    private int skip; // bytes of blocks[first] already let go
    private long size;

    KeptAudio(AudioBlocks pool) {
        this.pool = pool;
    }

    /** Bytes held. */
    long size() {
        return size;
    }

    /** Copies {@code chunk} in after the last byte. */
    void append(ByteString chunk) {
        int length = chunk.size();
        ByteBuffer source = chunk.asReadOnlyByteBuffer(); // a view's buffer starts at its position, not at 0
        int done = 0;
        while (done < length) {
            long fill = skip + size; // from the start of blocks[first] to the end of the audio
            int index = first + (int) (fill / BLOCK);
            int at = (int) (fill % BLOCK);
            if (index == blocks.size()) {
                blocks.add(pool.take());
            }
            int n = Math.min(length - done, BLOCK - at);
            blocks.get(index).put(at, source, source.position() + done, n);
            done += n;
            size += n;
        }
    }

    /** Lets go of the first {@code bytes} (at most all); empty blocks go back to the pool. */
    void dropFirst(long bytes) {
        long n = Math.min(bytes, size);
        size -= n;
        long skipped = skip + n;
        while (skipped >= BLOCK && first < blocks.size()) {
            pool.give(blocks.set(first++, null));
            skipped -= BLOCK;
        }
        skip = (int) skipped;
        if (first > 32 && first * 2 > blocks.size()) { // forget the given-back slots now and then
            blocks.subList(0, first).clear();
            first = 0;
        }
    }

    /** {@code length} bytes from {@code offset} (counted from the first byte held), as a buffer of their own. */
    ByteString copy(long offset, int length) {
        byte[] out = new byte[length];
        long from = skip + offset;
        int done = 0;
        while (done < length) {
            int index = first + (int) (from / BLOCK);
            int at = (int) (from % BLOCK);
            int n = Math.min(length - done, BLOCK - at);
            blocks.get(index).get(at, out, done, n);
            done += n;
            from += n;
        }
        return UnsafeByteOperations.unsafeWrap(out);
    }

    /** Lets go of everything and gives every block back. */
    void clear() {
        for (int i = first; i < blocks.size(); i++) {
            pool.give(blocks.get(i));
        }
        blocks.clear();
        first = 0;
        skip = 0;
        size = 0;
    }
}
