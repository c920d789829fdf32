package dev.earshot.bench;

import dev.earshot.asr.engine.RecognitionStream;
import dev.earshot.asr.engine.ResultSink;
import dev.earshot.asr.engine.StreamOptions;
import dev.earshot.asr.engine.Transcript;
import dev.earshot.asr.sphinx.SphinxEngine;
import dev.earshot.testing.WordErrorRate;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * N live streams at once, each at real-time pace, against an engine of N decoders: what a user
 * of {@code serve} sees when N people talk at the same time. Each of the N callers plays every
 * clip once (one recognizer stream per clip, as one session per utterance), starting at a
 * different clip so that the streams do not speak in step. Audio goes out in 100 ms chunks, each
 * when its last sample would have been captured, so a chunk's worth of delay is counted as a
 * browser would add it.
 *
 * <p>Measured: the first interim (or final, if no interim came) after the first speech; from
 * {@code finish} (the caller's stop) to the end of the stream, which follows the last final;
 * the word error rate of the finals; and the process CPU time over the audio streamed, which is
 * the real-time factor one stream costs at this concurrency.
 *
 * <p>The first interim's time is split in three, which add up to it: the audio after the first
 * speech that the recognizer had read when it produced that interim (what the endpointer and the
 * search needed to hear: the time the first word takes to say, the endpointer's start of speech,
 * the search's look-ahead), the wait for the 100 ms chunk holding the end of that audio to be sent,
 * and how long after that chunk was sent the interim came (the decoder behind real time: CPU shared
 * with the other streams, garbage collection, decoding itself).
 */
final class ConcurrencyRun {
    private static final int CHUNK = 1600;
    private static final long CHUNK_NANOS = 100_000_000L;

    /** A clip ready to stream: its samples, where speech starts, and what was said. */
    record Clip(String file, short[] samples, double onsetSeconds, String transcript) {
        double seconds() {
            return samples.length / 16000.0;
        }
    }

    /** What one concurrency level gave. */
    record Result(
            int concurrency,
            int streams,
            double audioSeconds,
            double cpuSeconds,
            Percentiles firstInterim,
            Percentiles stopToFinal,
            FirstInterimParts firstInterimParts,
            WordErrorRate wer,
            int missingFirstResult) {

        /** CPU seconds per second of audio: how much of a core one live stream costs. */
        double realTimeFactor() {
            return cpuSeconds / audioSeconds;
        }
    }

    /** The first interim's latency in its three parts (milliseconds); see the class comment. */
    record FirstInterimParts(Percentiles heard, Percentiles chunkWait, Percentiles behind) {
        FirstInterimParts() {
            this(new Percentiles(), new Percentiles(), new Percentiles());
        }
    }

    private ConcurrencyRun() {}

    static Result run(SphinxEngine engine, int concurrency, List<Clip> clips) throws Exception {
        Percentiles firstInterim = new Percentiles();
        Percentiles stopToFinal = new Percentiles();
        FirstInterimParts parts = new FirstInterimParts();
        WordErrorRate wer = new WordErrorRate();
        int[] missing = new int[1];
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        List<Thread> callers = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int caller = 0; caller < concurrency; caller++) {
            int first = caller * clips.size() / concurrency;
            callers.add(Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < clips.size(); i++) {
                        Clip clip = clips.get((first + i) % clips.size());
                        Heard heard = stream(engine, clip);
                        synchronized (wer) {
                            wer.add(clip.transcript(), heard.text);
                            if (heard.firstResultMillis < 0) {
                                missing[0]++;
                            }
                        }
                        if (heard.firstResultMillis >= 0) {
                            firstInterim.add(heard.firstResultMillis);
                            parts.heard().add(heard.heardMillis);
                            parts.chunkWait().add(heard.chunkWaitMillis);
                            parts.behind().add(heard.behindMillis);
                        }
                        stopToFinal.add(heard.stopToEndMillis);
                    }
                } catch (Throwable t) {
                    synchronized (failures) {
                        failures.add(t);
                    }
                }
            }));
        }
        for (Thread t : callers) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a stream failed", failures.getFirst());
        }
        double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
        double audio = concurrency * clips.stream().mapToDouble(Clip::seconds).sum();
        return new Result(
                concurrency, concurrency * clips.size(), audio, cpu, firstInterim, stopToFinal, parts, wer, missing[0]);
    }

    private record Heard(
            String text,
            double firstResultMillis,
            double heardMillis,
            double chunkWaitMillis,
            double behindMillis,
            double stopToEndMillis) {}

    /** Streams one clip in real time and waits for its end. */
    private static Heard stream(SphinxEngine engine, Clip clip) throws Exception {
        StringBuilder text = new StringBuilder();
        long[] firstResult = {-1};
        double[] firstResultAudio = {0};
        CompletableFuture<Long> done = new CompletableFuture<>();
        long start = System.nanoTime();
        RecognitionStream stream = engine.open(new StreamOptions(true, false, 1), new ResultSink() {
            @Override
            public void result(Transcript t) {
                synchronized (text) {
                    if (firstResult[0] < 0 && !t.text().isEmpty()) {
                        firstResult[0] = System.nanoTime();
                        firstResultAudio[0] = t.audioSeconds();
                    }
                    if (t.isFinal()) {
                        text.append(t.text()).append(' ');
                    }
                }
            }

            @Override
            public void completed() {
                done.complete(System.nanoTime());
            }

            @Override
            public void failed(Throwable cause) {
                done.completeExceptionally(cause);
            }
        });
        short[] samples = clip.samples();
        int chunks = (samples.length + CHUNK - 1) / CHUNK;
        for (int k = 0; k < chunks; k++) {
            long due = start + (k + 1) * CHUNK_NANOS;
            long wait;
            while ((wait = due - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            stream.accept(Arrays.copyOfRange(samples, k * CHUNK, Math.min(samples.length, (k + 1) * CHUNK)));
        }
        long stop = System.nanoTime();
        stream.finish();
        long end = done.get(10, TimeUnit.MINUTES);
        long speech = start + (long) (clip.onsetSeconds() * 1e9);
        synchronized (text) {
            double first = firstResult[0] < 0 ? -1 : (firstResult[0] - speech) / 1e6;
            // the audio read when the first result came, and when the chunk holding its end went out
            double readMillis = firstResultAudio[0] * 1000;
            double sentMillis = Math.ceil(firstResultAudio[0] * 16000 / CHUNK) * CHUNK_NANOS / 1e6;
            return new Heard(
                    text.toString().trim(),
                    first,
                    readMillis - clip.onsetSeconds() * 1000,
                    sentMillis - readMillis,
                    (firstResult[0] - start) / 1e6 - sentMillis,
                    (end - stop) / 1e6);
        }
    }
}
