package dev.earshot.session;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The bytes a feed keeps, in pooled blocks: what goes in comes out, and empty blocks go back to the pool. */
class KeptAudioTest {
    private static final int BLOCK = AudioBlocks.BLOCK_BYTES;

    private static byte[] counting(int from, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (from + i);
        }
        return bytes;
    }

    @Test
    void bytesAcrossBlockBoundariesComeBackAsTheyWent() {
        KeptAudio kept = new KeptAudio(new AudioBlocks(16));
        byte[] all = counting(0, 3 * BLOCK + 100);
        for (int at = 0; at < all.length; at += 3000) { // chunks that do not line up with the blocks
            kept.append(ByteString.copyFrom(all, at, Math.min(3000, all.length - at)));
        }
        assertEquals(all.length, kept.size());
        assertArrayEquals(all, kept.copy(0, all.length).toByteArray());
        assertArrayEquals(
                Arrays.copyOfRange(all, BLOCK - 10, 2 * BLOCK + 10),
                kept.copy(BLOCK - 10, BLOCK + 20).toByteArray());

        kept.dropFirst(BLOCK + 5);
        assertEquals(all.length - BLOCK - 5, kept.size());
        assertArrayEquals(
                Arrays.copyOfRange(all, BLOCK + 5, all.length),
                kept.copy(0, (int) kept.size()).toByteArray());
    }

    @Test
    void aChunkThatIsAViewIntoALargerArrayIsCopiedFromItsOwnBytes() {
        // as a WebSocket frame's payload is: a part of the bytes the socket read
        byte[] read = counting(0, 5000);
        KeptAudio kept = new KeptAudio(new AudioBlocks(16));
        kept.append(UnsafeByteOperations.unsafeWrap(read, 14, 3200));
        assertArrayEquals(Arrays.copyOfRange(read, 14, 3214), kept.copy(0, 3200).toByteArray());
    }

    @Test
    void emptiedBlocksGoBackToThePoolAndAreReused() {
        AudioBlocks pool = new AudioBlocks(16);
        KeptAudio kept = new KeptAudio(pool);
        kept.append(ByteString.copyFrom(counting(0, 2 * BLOCK + 1))); // three blocks
        kept.dropFirst(2 * BLOCK);
        assertEquals(2, pool.free(), "the two emptied blocks");
        kept.append(ByteString.copyFrom(counting(7, 2 * BLOCK)));
        assertEquals(0, pool.free(), "reused before any new block is made");
        assertArrayEquals(counting(7, 2 * BLOCK), kept.copy(1, 2 * BLOCK).toByteArray(), "after the one byte left");
        kept.clear();
        assertEquals(3, pool.free());
        assertEquals(0, kept.size());
    }

    @Test
    void aFullPoolLeavesWhatComesBackToTheCollector() {
        AudioBlocks pool = new AudioBlocks(1);
        KeptAudio kept = new KeptAudio(pool);
        kept.append(ByteString.copyFrom(new byte[3 * BLOCK]));
        kept.clear();
        assertEquals(1, pool.free());
    }
}
