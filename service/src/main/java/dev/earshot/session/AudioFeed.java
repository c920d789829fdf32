package dev.earshot.session;

import com.google.protobuf.ByteString;
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
 * <p>Positions are byte offsets in the session's audio. The audio is copied into blocks shared by
 * every session ({@link KeptAudio}, {@link AudioBlocks}): holding the client's frames themselves
 * for the second or so until a final came made every young garbage collection copy them (at 2,400
 * sessions: twice the pause time, a sixth more CPU per chunk, p99 6 → 17 ms), and a buffer per
 * session fed the old generation with garbage instead. The socket's thread adds audio and sends it
 * to the stream {@link #add} returns; the session's result thread releases audio and opens
 * streams. One lock makes "add a chunk and pick its stream" and "take the audio and switch
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
 * window, in blocks that go back to the pool as finals let them go. While no stream takes audio (between a failure and the next stream) a feed holding
 * {@code capacity} makes {@link #add} wait, which stops the socket's reads: the client is slowed
 * down, nothing is dropped.
 */
final class AudioFeed {

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
    private final KeptAudio kept = new KeptAudio(AudioBlocks.SHARED);
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
                kept.append(chunk);
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
                audio.add(kept.copy(from - start, (int) Math.min(pieceBytes, end - from)));
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
            kept.clear();
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
        kept.dropFirst(upTo - start);
        start = upTo;
    }
}
