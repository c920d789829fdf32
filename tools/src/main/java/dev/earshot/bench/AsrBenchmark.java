package dev.earshot.bench;

import dev.earshot.asr.engine.RecognitionEngine;
import dev.earshot.asr.engine.RecognitionStream;
import dev.earshot.asr.engine.ResultSink;
import dev.earshot.asr.engine.StreamOptions;
import dev.earshot.asr.engine.Transcript;
import dev.earshot.asr.sphinx.SphinxEngine;
import dev.earshot.testing.TestCorpus;
import dev.earshot.testing.WordErrorRate;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The recognizer benchmark ({@code earshot-tools bench-asr}). First one stream as fast as the
 * decoder takes it (model load time, word error rate, real-time factor: the decoder's own
 * figures); then, per {@code --concurrency} level, that many live streams at real-time pace
 * ({@link ConcurrencyRun}): the CPU one stream costs, how many streams a core carries at that
 * rate, the latencies a caller sees, the word error rate, and the live heap, which shows what each
 * extra decoder costs. The default pool size ({@code asr.pool-size}) is set from these figures.
 * Sphinx4 settings can be swept with system properties of the same name, e.g.
 * {@code -DabsoluteBeamWidth=4000}.
 */
public final class AsrBenchmark {
    static final String USAGE = """
            usage: earshot-tools bench-asr [--concurrency N[,N...]]... [AUDIO_DIR]
              AUDIO_DIR      a folder laid out as samples/ (transcripts.tsv, a_utt*.wav, a_long01.wav);
                             default: the repository's samples/, or -Dearshot.audio.dir
              --concurrency  live streams at once, at real-time pace, on as many decoders; one
                             table row per value (comma-separated or repeated).
                             Default: 1, cores, 2 x cores, 3 x cores
            First one stream as fast as the decoder goes (load time, WER, real-time factor), then per
            concurrency: CPU real-time factor per stream, the streams per core that rate allows, first
            interim after the first speech and stop-to-final latency (p50/p95), WER, and live heap;
            then where the first interim's time went: audio the recognizer read after the first speech,
            the wait for that audio's chunk, and how far the decoder was behind it.
            Sphinx4 settings can be swept as system properties, e.g. -DabsoluteBeamWidth=4000.
              java -Xmx1g -jar tools/target/earshot-tools.jar bench-asr --concurrency 1,2,4,6 samples
            """;
    /** A stream is taken to keep real time when its last final comes within this of its stop (p95). */
    static final double REAL_TIME_STOP_MILLIS = 1000;

    private static final int CHUNK = 1600;

    private AsrBenchmark() {}

    /** Runs the benchmark, printing as it goes; returns the exit code. */
    public static int run(String[] args, PrintStream out) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        List<Integer> levels = new ArrayList<>();
        String dir = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                out.print(USAGE);
                return 0;
            } else if (args[i].equals("--concurrency") && i + 1 < args.length) {
                try {
                    for (String n : args[++i].split(",")) {
                        int level = Integer.parseInt(n.trim());
                        if (level < 1) {
                            throw new NumberFormatException();
                        }
                        levels.add(level);
                    }
                } catch (NumberFormatException e) {
                    out.print("--concurrency takes positive whole numbers, got " + args[i] + "\n" + USAGE);
                    return 2;
                }
            } else if (args[i].startsWith("-") || dir != null) {
                out.print(USAGE);
                return 2;
            } else {
                dir = args[i];
            }
        }
        if (levels.isEmpty()) {
            levels.addAll(List.of(1, cores, 2 * cores, 3 * cores));
        }
        TestCorpus corpus = dir != null ? new TestCorpus(Path.of(dir)) : TestCorpus.locate();
        if (!Files.isRegularFile(corpus.dir().resolve("transcripts.tsv"))) {
            out.println(corpus.dir() + ": no transcripts.tsv\n" + USAGE);
            return 2;
        }
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        long heapBefore = usedHeapAfterGc(memory);
        SphinxEngine engine = SphinxEngine.start(1);
        out.printf(
                "model load + warm-up, one decoder: %d ms; live heap %d MB%n",
                engine.loadMillis(), (usedHeapAfterGc(memory) - heapBefore) >> 20);

        // one stream at a time: accuracy and speed
        WordErrorRate utteranceWer = new WordErrorRate();
        double audio = 0;
        double wall = 0;
        for (TestCorpus.Clip clip : corpus.utterances()) {
            Run run = transcribe(engine, corpus.pcm(clip.file()));
            utteranceWer.add(clip.transcript(), run.text);
            audio += clip.seconds();
            wall += run.seconds;
            out.printf("  %-12s rtf %.3f  \"%s\"%n", clip.file(), run.seconds / clip.seconds(), run.text);
        }
        out.printf(
                "short utterances: WER %.1f%% (%d/%d words), RTF %.3f%n",
                100 * utteranceWer.rate(), utteranceWer.errors(), utteranceWer.referenceWords(), wall / audio);
        TestCorpus.Clip longClip = corpus.clip("a_long01.wav");
        Run longRun = transcribe(engine, corpus.pcm(longClip.file()));
        WordErrorRate longWer = new WordErrorRate();
        longWer.add(longClip.transcript(), longRun.text);
        out.println("  long-form heard: " + longRun.text);
        out.printf(
                "long-form (%.0f s): WER %.1f%%, RTF %.3f, %d finals%n",
                longClip.seconds(), 100 * longWer.rate(), longRun.seconds / longClip.seconds(), longRun.finals);
        engine.close();
        engine = null;

        // live streams at real-time pace, per concurrency level
        List<ConcurrencyRun.Clip> clips = new ArrayList<>();
        for (TestCorpus.Clip clip : corpus.utterances()) {
            short[] samples = samples(corpus.pcm(clip.file()));
            clips.add(new ConcurrencyRun.Clip(clip.file(), samples, SpeechOnset.seconds(samples), clip.transcript()));
        }
        out.printf(
                "%nlive streams at real-time pace, %d cores; each caller plays the %d utterances once%n",
                cores, clips.size());
        out.println("| Streams at once (decoders) | CPU real-time factor per stream | Streams per core at that rate"
                + " | First interim after speech p50 / p95 | Stop to final p50 / p95 | WER | Live heap |");
        out.println("|---|---|---|---|---|---|---|");
        int keptUp = 0;
        TreeMap<Integer, Long> heapAt = new TreeMap<>();
        List<String> parts = new ArrayList<>();
        for (int level : levels) {
            SphinxEngine pool = SphinxEngine.start(level);
            ConcurrencyRun.Result r = ConcurrencyRun.run(pool, level, clips);
            long heap = usedHeapAfterGc(memory);
            pool.close();
            heapAt.put(level, heap);
            boolean realTime = r.stopToFinal().at(95) <= REAL_TIME_STOP_MILLIS;
            if (realTime) {
                keptUp = Math.max(keptUp, level);
            }
            out.printf(
                    "| %d | %.2f | %.1f | %.0f / %.0f ms | %.0f / %.0f ms%s | %.1f %% (%d/%d)%s | %d MB |%n",
                    level,
                    r.realTimeFactor(),
                    1 / r.realTimeFactor(),
                    r.firstInterim().at(50),
                    r.firstInterim().at(95),
                    r.stopToFinal().at(50),
                    r.stopToFinal().at(95),
                    realTime ? "" : " (fell behind)",
                    100 * r.wer().rate(),
                    r.wer().errors(),
                    r.wer().referenceWords(),
                    r.missingFirstResult() == 0 ? "" : ", " + r.missingFirstResult() + " streams heard nothing",
                    (heap - heapBefore) >> 20);
            ConcurrencyRun.FirstInterimParts p = r.firstInterimParts();
            parts.add(String.format(
                    "| %d | %.0f / %.0f ms | %.0f / %.0f ms | %.0f / %.0f ms |",
                    level,
                    p.heard().at(50),
                    p.heard().at(95),
                    p.chunkWait().at(50),
                    p.chunkWait().at(95),
                    p.behind().at(50),
                    p.behind().at(95)));
        }
        out.println();
        out.println("where the first interim's time goes (the three add up to it, stream by stream):");
        out.println("| Streams at once | Audio read after the first speech p50 / p95 | Wait for its 100 ms chunk"
                + " p50 / p95 | Decoder behind that chunk p50 / p95 |");
        out.println("|---|---|---|---|");
        parts.forEach(out::println);
        out.println();
        out.printf(
                "streams per core that stay real time (p95 stop to final <= %.0f ms): %s%n",
                REAL_TIME_STOP_MILLIS,
                keptUp == 0
                        ? "none of the levels run"
                        : String.format("%.1f (%d streams on %d cores)", (double) keptUp / cores, keptUp, cores));
        if (heapAt.size() > 1) {
            int fewest = heapAt.firstKey();
            int most = heapAt.lastKey();
            out.printf(
                    "live heap after each run (full GC): %d decoders %.1f MB, %d decoders %.1f MB: each extra decoder"
                            + " %.2f MB%n",
                    fewest,
                    (heapAt.get(fewest) - heapBefore) / 1048576.0,
                    most,
                    (heapAt.get(most) - heapBefore) / 1048576.0,
                    (heapAt.get(most) - heapAt.get(fewest)) / 1048576.0 / (most - fewest));
        }
        return 0;
    }

    private static short[] samples(byte[] pcm) {
        short[] samples = new short[pcm.length / 2];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = (short) ((pcm[2 * i + 1] << 8) | (pcm[2 * i] & 0xFF));
        }
        return samples;
    }

    private record Run(String text, double seconds, int finals) {}

    private static Run transcribe(RecognitionEngine engine, byte[] pcm) throws Exception {
        StringBuilder text = new StringBuilder();
        int[] finals = new int[1];
        CompletableFuture<Void> done = new CompletableFuture<>();
        long start = System.nanoTime();
        RecognitionStream stream = engine.open(new StreamOptions(false, false, 1), new ResultSink() {
            @Override
            public void result(Transcript t) {
                if (t.isFinal()) {
                    text.append(t.text()).append(' ');
                    finals[0]++;
                }
            }

            @Override
            public void completed() {
                done.complete(null);
            }

            @Override
            public void failed(Throwable cause) {
                done.completeExceptionally(cause);
            }
        });
        for (int from = 0; from < pcm.length / 2; from += CHUNK) {
            int n = Math.min(CHUNK, pcm.length / 2 - from);
            short[] chunk = new short[n];
            for (int i = 0; i < n; i++) {
                chunk[i] = (short) ((pcm[2 * (from + i) + 1] << 8) | (pcm[2 * (from + i)] & 0xFF));
            }
            stream.accept(chunk);
        }
        stream.finish();
        done.get(10, TimeUnit.MINUTES);
        return new Run(text.toString().trim(), (System.nanoTime() - start) / 1e9, finals[0]);
    }

    private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
