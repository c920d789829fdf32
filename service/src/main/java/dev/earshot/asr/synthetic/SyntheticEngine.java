package dev.earshot.asr.synthetic;

import dev.earshot.asr.engine.RecognitionEngine;
import dev.earshot.asr.engine.RecognitionStream;
import dev.earshot.asr.engine.ResultSink;
import dev.earshot.asr.engine.StreamOptions;
import dev.earshot.asr.engine.Transcript;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in recognizer for load and scaling tests only; it decodes nothing. Chunk N of a
 * stream is answered at once with an interim {@code "chunk N"} (a final every tenth chunk), and
 * half-close finalizes whatever is pending. It costs microseconds per chunk and no decoder, so a
 * test can hold thousands of streams and measure the gateway rather than the recognizer. Never
 * the default, never used to test transcription.
 */
public final class SyntheticEngine implements RecognitionEngine {
    /** Finals come every this many chunks. */
    public static final int FINAL_EVERY = 10;

    private final AtomicInteger active = new AtomicInteger();

    @Override
    public String modelName() {
        return "earshot-synthetic";
    }

    @Override
    public RecognitionStream open(StreamOptions options, ResultSink sink) {
        active.incrementAndGet();
        return new Stream(options, sink);
    }

    @Override
    public boolean healthy() {
        return true;
    }

    @Override
    public int activeStreams() {
        return active.get();
    }

    @Override
    public void close() {}

    private final class Stream implements RecognitionStream {
        private final StreamOptions options;
        private final ResultSink sink;
        private int chunks;
        private long samples;
        private boolean pending;
        private boolean done;

        Stream(StreamOptions options, ResultSink sink) {
            this.options = options;
            this.sink = sink;
        }

        @Override
        public synchronized void accept(short[] pcm) {
            if (done) {
                return;
            }
            chunks++;
            samples += pcm.length;
            boolean isFinal = chunks % FINAL_EVERY == 0;
            pending = !isFinal;
            if (isFinal || options.interimResults()) {
                sink.result(transcript(isFinal));
            }
        }

        @Override
        public synchronized void finish() {
            if (done) {
                return;
            }
            if (pending) {
                sink.result(transcript(true));
            }
            end();
            sink.completed();
        }

        @Override
        public synchronized void cancel() {
            if (!done) {
                end();
            }
        }

        private void end() {
            done = true;
            active.decrementAndGet();
        }

        private Transcript transcript(boolean isFinal) {
            return new Transcript(
                    isFinal,
                    isFinal ? 0f : 0.5f,
                    List.of(new Transcript.Alternative("chunk " + chunks, isFinal ? 1f : 0f, List.of())),
                    samples / 16000.0);
        }
    }
}
