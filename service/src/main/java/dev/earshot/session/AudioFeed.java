package dev.earshot.session;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.earshot.riva.RivaStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The audio of a session's recognition stream that no final result has covered yet, and the Riva
 * stream it goes to. When that stream fails, the next one is opened here and given this audio
 * first ({@link #reopen}), so the words a final had not yet fixed are heard again and none is
 * lost; audio a final covered is let go ({@link #release}), so none is heard twice.
 *
 * <p>Positions are byte offsets in the session's audio. The audio is copied into one ring buffer
 * per feed, grown to the most it has had to hold and then reused: holding the client's frames
 * themselves for the second or so until a final came made every young garbage collection copy
 * them (at 2,400 sessions, twice the pause time and a sixth more CPU per chunk), where a copy into
 * a long-lived buffer costs a fraction of a microsecond per chunk. The socket's thread adds audio
 * and sends it to the stream {@link #add} returns; the session's result thread releases audio and
 * opens streams. One lock makes "add a chunk and pick its stream" and "take the audio and switch
 * streams" exclusive, so a chunk goes either into the replay or to the new stream, never both and
 * never neither.
 *
 * <p><b>Bound.</b> Normally what is kept is short: the audio since the end of the last final's
 * last word, a few seconds of speech, plus what Riva has not processed yet. Two parts, each
 * bounded:
 *
 * <ul>
 *   <li>audio Riva reported as processed ({@code audio_processed}) that no final covers: at most
 *       {@code capacity}. If no final comes for longer (a long utterance without a pause, a
 *       backend that sends no finals), the oldest of it is let go: a recovery then replays from
 *       the oldest audio kept, and the words before it that no final covered are lost;</li>
 *   <li>audio Riva has not processed: never let go, and bounded by what the transport holds (the
 *       backend's HTTP/2 window) plus the stream's own buffer ({@code sessions.buffer-seconds},
 *       beyond which the session stops reading its socket).</li>
 * </ul>
 *
 * <p>So a session keeps at most about twice {@code sessions.buffer-seconds} of audio plus a
 * window (and its buffer stays the size of the most it kept, halved back once mostly empty). While no stream takes audio (between a failure and the next stream) a feed holding
 * {@code capacity} makes {@link #add} wait, which stops the socket's reads: the client is slowed
 * down, nothing is dropped.
 */
final class AudioFeed {
    private static final int MIN_RING = 16 * 1024;
    private static final int SHRINK_ABOVE = 256 * 1024;

    /**
     * What the next stream was given.
     *
     * @param startByte where the new stream's audio begins in the session's audio
     * @param bytes     audio replayed to it
     * @param dropped   audio let go since the last final without a final covering it (see the bound)
     */
    record Replay(RivaStream stream, long startByte, long bytes, long dropped) {}

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final int frameBytes;
    private final long capacity;
    private final int pieceBytes;
    private byte[] ring = new byte[0];
    private int head; // where in the ring the byte at offset start is
    private long start; // offset of the first byte kept
    private long end; // offset after the last byte added
    private long dropped;
    private boolean closed;
    private volatile long processed; // Riva processed the audio before this offset (one writer: the result thread)
    private volatile RivaStream stream;
    private volatile long streamStart;

    /**
     * @param startByte  where the feed's audio begins in the session's audio
     * @param frameBytes bytes of one sample of every channel: the feed lets go of audio on those
     *                   boundaries only; 0 keeps nothing (the audio cannot be cut, or recovery is off)
     * @param capacity   processed audio no final covers beyond which the oldest is let go
     * @param pieceBytes a replay is sent in requests of this size
     */
    AudioFeed(long startByte, int frameBytes, long capacity, int pieceBytes) {
        this.start = startByte;
        this.end = startByte;
        this.streamStart = startByte;
        this.frameBytes = frameBytes;
        this.capacity = capacity;
        this.pieceBytes = Math.max(1, pieceBytes);
    }

    /**
     * Keeps a chunk and says which stream to send it to; waits while no stream takes audio and the
     * feed is full.
     *
     * @return the stream, or null once the feed is closed (the session ended, or its stream is gone)
     */
    RivaStream add(ByteString chunk) throws InterruptedException {
        lock.lock();
        try {
            while (!closed && replayable() && end - start >= capacity && !live()) {
                room.await();
            }
            if (closed) {
                return null;
            }
            if (replayable()) {
                write(chunk);
                end += chunk.size();
                letGoProcessedBeyondCapacity();
            } else {
                end += chunk.size();
                start = end;
            }
            return stream;
        } finally {
            lock.unlock();
        }
    }

    /** A final covered the audio before {@code offset}: it is never replayed. */
    void release(long offset) {
        lock.lock();
        try {
            long upTo = Math.min(offset, end);
            if (upTo > start) {
                letGo(upTo);
            }
            dropped = 0;
            if (ring.length > SHRINK_ABOVE && (end - start) < ring.length / 8) {
                resize(ring.length / 2);
            }
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Riva reported it had processed the audio before {@code offset}. */
    void processed(long offset) {
        if (offset > processed) {
            processed = offset;
        }
    }

    /**
     * Opens the next stream and gives it the audio kept, in order, before any chunk added after.
     *
     * @param open opens the stream; its listener must {@link #attach} it before the call starts
     * @return what the stream was given; null when the feed is closed (nothing was opened)
     */
    Replay reopen(Supplier<RivaStream> open) {
        lock.lock();
        try {
            if (closed) {
                return null;
            }
            List<ByteString> audio = new ArrayList<>();
            for (long from = start; from < end; from += pieceBytes) {
                audio.add(copy(from, (int) Math.min(pieceBytes, end - from)));
            }
            streamStart = start;
            RivaStream next = open.get();
            stream = next;
            next.replay(audio);
            room.signalAll();
            return new Replay(next, start, end - start, dropped);
        } finally {
            lock.unlock();
        }
    }

    /** Makes {@code opened} the stream audio goes to: called as it opens, before Riva can answer. */
    void attach(RivaStream opened) {
        stream = opened;
    }

    /**
     * Stops the feed: waiting adds return, later ones get null, nothing more is opened.
     *
     * @return the stream last fed, to cancel; null if none
     */
    RivaStream close() {
        lock.lock();
        try {
            closed = true;
            ring = new byte[0];
            head = 0;
            start = end;
            room.signalAll();
            return stream;
        } finally {
            lock.unlock();
        }
    }

    /** The stream audio goes to now (it may have failed); null before the first. */
    RivaStream stream() {
        return stream;
    }

    /** Where the current stream's audio begins in the session's audio. */
    long streamStart() {
        return streamStart;
    }

    /** Whether a failed stream can be replaced: the feed keeps audio for a replay. */
    boolean replayable() {
        return frameBytes > 0;
    }

    private boolean live() {
        RivaStream s = stream;
        return s != null && !s.isOver();
    }

    private void letGoProcessedBeyondCapacity() {
        long over = Math.min(processed, end) - capacity;
        over -= Math.floorMod(over, frameBytes); // on a sample boundary
        if (over > start) {
            dropped += over - start;
            letGo(over);
        }
    }

    private void letGo(long upTo) {
        head = (int) ((head + (upTo - start)) % Math.max(1, ring.length));
        start = upTo;
    }

    /** Copies a chunk in after the last byte kept, growing the ring if it is full. */
    private void write(ByteString chunk) {
        int size = chunk.size();
        long kept = end - start;
        if (kept + size > ring.length) {
            resize((int) Math.max(MIN_RING, kept + size + (kept + size) / 2));
        }
        int at = (int) ((head + kept) % ring.length);
        int first = Math.min(size, ring.length - at);
        chunk.copyTo(ring, 0, at, first);
        if (first < size) {
            chunk.copyTo(ring, first, 0, size - first);
        }
    }

    /** The kept bytes from offset {@code from}, {@code length} of them, as a buffer of their own. */
    private ByteString copy(long from, int length) {
        byte[] out = new byte[length];
        int at = (int) ((head + (from - start)) % ring.length);
        int first = Math.min(length, ring.length - at);
        System.arraycopy(ring, at, out, 0, first);
        System.arraycopy(ring, 0, out, first, length - first);
        return UnsafeByteOperations.unsafeWrap(out);
    }

    private void resize(int length) {
        int kept = (int) (end - start);
        byte[] next = new byte[Math.max(length, kept)];
        if (kept > 0) {
            int first = Math.min(kept, ring.length - head);
            System.arraycopy(ring, head, next, 0, first);
            System.arraycopy(ring, 0, next, first, kept - first);
        }
        ring = next;
        head = 0;
    }
}
