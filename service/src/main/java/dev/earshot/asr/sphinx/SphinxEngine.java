package dev.earshot.asr.sphinx;

import dev.earshot.asr.engine.EngineBusyException;
import dev.earshot.asr.engine.RecognitionEngine;
import dev.earshot.asr.engine.RecognitionStream;
import dev.earshot.asr.engine.ResultSink;
import dev.earshot.asr.engine.StreamOptions;
import dev.earshot.asr.engine.Transcript;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pure-Java recognizer: one {@link SharedModel} (about 170 MB of heap, loaded once) and a
 * fixed set of Sphinx4 decoders searching it, each with its own front end and search (well under
 * 1 MB idle), built and warmed up once at start-up, and as many platform threads to run them.
 * A stream that finds every decoder busy waits for one, first come first served, for at most the
 * queue timeout, and is then refused: a burst of callers is served as decoders free up, and a
 * caller is never kept waiting long in front of a full engine.
 */
public final class SphinxEngine implements RecognitionEngine {
    private static final System.Logger LOG = System.getLogger(SphinxEngine.class.getName());
    private static final String WARMUP_CLIP = "/dev/earshot/asr/sphinx/warmup.wav";
    private static final int PIPE_CHUNKS = 32;

    private final BlockingQueue<SphinxDecoder> idle;
    private final ExecutorService threads;
    private final int capacity;
    private final Duration queueTimeout;
    private final AtomicInteger active = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final long loadMillis;
    private final SharedModel model;

    private SphinxEngine(
            List<SphinxDecoder> decoders,
            ExecutorService threads,
            long loadMillis,
            SharedModel model,
            Duration queueTimeout) {
        this.model = model;
        this.capacity = decoders.size();
        this.queueTimeout = queueTimeout;
        // fair: the stream that has waited longest gets the next free decoder
        this.idle = new ArrayBlockingQueue<>(Math.max(1, capacity), true, decoders);
        this.threads = threads;
        this.loadMillis = loadMillis;
    }

    /**
     * Loads the model, then builds {@code poolSize} decoders on it in parallel and warms each up
     * on a bundled speech clip (it teaches the decoder's normalization where to start; a
     * recognizer whose first audio is silent stays mute). Decoders that fail to load or to
     * recognize the clip are dropped; with none left (or no model) the engine reports itself
     * unhealthy.
     */
    public static SphinxEngine start(int poolSize) {
        return start(poolSize, Duration.ZERO);
    }

    /**
     * As {@link #start(int)}, with streams that find every decoder busy waiting up to
     * {@code queueTimeout} for one ({@code asr.queue-timeout}).
     */
    public static SphinxEngine start(int poolSize, Duration queueTimeout) {
        long start = System.nanoTime();
        AtomicInteger n = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(poolSize, r -> {
            Thread t = new Thread(r, "asr-decoder-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        SharedModel model;
        try {
            model = SharedModel.load();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.ERROR, "asr model failed to load", e);
            return new SphinxEngine(List.of(), threads, (System.nanoTime() - start) / 1_000_000, null, queueTimeout);
        }
        List<Future<SphinxDecoder>> loading = new ArrayList<>();
        for (int i = 0; i < poolSize; i++) {
            loading.add(threads.submit(() -> loadAndWarmUp(model)));
        }
        List<SphinxDecoder> decoders = new ArrayList<>();
        for (Future<SphinxDecoder> f : loading) {
            try {
                decoders.add(f.get());
            } catch (Exception e) {
                LOG.log(Level.ERROR, "asr decoder failed to load or warm up", e);
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.log(
                Level.INFO,
                "asr engine=sphinx4 decoders=" + decoders.size() + "/" + poolSize + " loaded in " + millis + " ms");
        return new SphinxEngine(decoders, threads, millis, model, queueTimeout);
    }

    private static SphinxDecoder loadAndWarmUp(SharedModel model) throws IOException {
        SphinxDecoder decoder = new SphinxDecoder(model);
        String heard = warmUp(decoder);
        if (heard.isEmpty()) {
            throw new IOException("warm-up clip was not recognized");
        }
        decoder.keepWarmState();
        return decoder;
    }

    /** Decodes the bundled clip; returns what was heard. */
    static String warmUp(SphinxDecoder decoder) throws IOException {
        short[] samples;
        try (InputStream in = SphinxEngine.class.getResourceAsStream(WARMUP_CLIP)) {
            if (in == null) {
                throw new IOException("missing resource " + WARMUP_CLIP);
            }
            byte[] wav = in.readAllBytes();
            samples = new short[(wav.length - 44) / 2];
            for (int i = 0; i < samples.length; i++) {
                samples[i] = (short) ((wav[44 + 2 * i + 1] << 8) | (wav[44 + 2 * i] & 0xFF));
            }
        }
        PcmPipe pipe = new PcmPipe(2);
        pipe.write(samples);
        pipe.endOfAudio();
        StringBuilder heard = new StringBuilder();
        decoder.decode(pipe, new StreamOptions(false, false, 1), new ResultSink() {
            @Override
            public void result(Transcript t) {
                heard.append(t.text()).append(' ');
            }

            @Override
            public void completed() {}

            @Override
            public void failed(Throwable cause) {}
        });
        return heard.toString().trim();
    }

    @Override
    public String modelName() {
        return "earshot-sphinx4-en-us";
    }

    /** How long start-up took to load and warm up every decoder. */
    public long loadMillis() {
        return loadMillis;
    }

    @Override
    public RecognitionStream open(StreamOptions options, ResultSink sink) throws EngineBusyException {
        SphinxDecoder decoder = take();
        if (decoder == null) {
            throw new EngineBusyException("all " + capacity + " recognizer decoders are busy"
                    + (queueTimeout.isZero() ? "" : " (waited " + queueTimeout + ")")
                    + "; try again later or raise asr.pool-size");
        }
        active.incrementAndGet();
        PcmPipe pipe = new PcmPipe(PIPE_CHUNKS);
        threads.execute(() -> run(decoder, pipe, options, sink));
        return new RecognitionStream() {
            @Override
            public void accept(short[] samples) {
                pipe.write(samples);
            }

            @Override
            public void finish() {
                pipe.endOfAudio();
            }

            @Override
            public void cancel() {
                pipe.cancel();
            }
        };
    }

    /** A free decoder, waiting up to the queue timeout for one; null if none came free. */
    private SphinxDecoder take() {
        SphinxDecoder decoder = idle.poll();
        if (decoder != null || queueTimeout.isZero()) {
            return decoder;
        }
        waiting.incrementAndGet();
        try {
            return idle.poll(queueTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            waiting.decrementAndGet();
        }
    }

    /**
     * Decodes one stream on a pool thread. The decoder goes back to the pool before the sink
     * hears of completion, so a client that opens its next stream on completion finds it free.
     */
    private void run(SphinxDecoder decoder, PcmPipe pipe, StreamOptions options, ResultSink sink) {
        try {
            decoder.decode(pipe, options, sink);
        } catch (Throwable t) {
            LOG.log(Level.ERROR, "asr decoder failed; replacing it", t);
            active.decrementAndGet();
            if (!pipe.cancelled()) {
                sink.failed(t);
            }
            SphinxDecoder fresh = replace(model);
            if (fresh != null) {
                idle.add(fresh);
            }
            return;
        }
        active.decrementAndGet();
        idle.add(decoder);
        if (!pipe.cancelled()) {
            sink.completed();
        }
    }

    private static SphinxDecoder replace(SharedModel model) {
        try {
            return loadAndWarmUp(model);
        } catch (Exception e) {
            LOG.log(Level.ERROR, "asr decoder could not be replaced; capacity is reduced", e);
            return null;
        }
    }

    @Override
    public boolean healthy() {
        return capacity > 0 && !threads.isShutdown();
    }

    @Override
    public int activeStreams() {
        return active.get();
    }

    /** Streams waiting for a decoder right now. */
    public int waitingStreams() {
        return waiting.get();
    }

    /** The decoders that loaded and passed their warm-up. */
    @Override
    public OptionalInt capacity() {
        return OptionalInt.of(capacity);
    }

    @Override
    public void close() {
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
