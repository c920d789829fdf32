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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The recognizer benchmark ({@code earshot-tools bench-asr}): model load time, word error rate and
 * real-time factor for one stream, real-time factor with one stream per core at once, and the
 * heap each extra decoder costs. Audio goes straight into the engine as fast as it will take
 * it, in 100 ms chunks, so the figures are the decoder's own. Sphinx4 settings can be swept with
 * system properties of the same name, e.g. {@code -DabsoluteBeamWidth=4000}.
 */
public final class AsrBenchmark {
    static final String USAGE = """
            usage: earshot-tools bench-asr [AUDIO_DIR]
              AUDIO_DIR  a folder laid out as samples/ (transcripts.tsv, a_utt*.wav, a_long01.wav);
                         default: the repository's samples/, or -Dearshot.audio.dir
            Sphinx4 settings can be swept as system properties, e.g. -DabsoluteBeamWidth=4000.
            Each decoder needs about 150 MB of heap and one runs per core:
              java -Xmx3g -jar tools/target/earshot-tools.jar bench-asr samples
            """;
    private static final int CHUNK = 1600;

    private AsrBenchmark() {}

    /** Runs the benchmark, printing as it goes; returns the exit code. */
    public static int run(String[] args, PrintStream out) throws Exception {
        if (args.length > 1 || args.length == 1 && args[0].startsWith("-")) {
            out.print(USAGE);
            return args.length == 1 && (args[0].equals("--help") || args[0].equals("-h")) ? 0 : 2;
        }
        TestCorpus corpus = args.length > 0 ? new TestCorpus(Path.of(args[0])) : TestCorpus.locate();
        if (!Files.isRegularFile(corpus.dir().resolve("transcripts.tsv"))) {
            out.println(corpus.dir() + ": no transcripts.tsv\n" + USAGE);
            return 2;
        }
        int cores = Runtime.getRuntime().availableProcessors();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

        long heapBefore = usedHeapAfterGc(memory);
        SphinxEngine engine = SphinxEngine.start(1);
        long heapOne = usedHeapAfterGc(memory);
        out.printf("model load + warm-up, one decoder: %d ms%n", engine.loadMillis());

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

        // one stream per core at once
        SphinxEngine pool = SphinxEngine.start(cores);
        long heapPool = usedHeapAfterGc(memory);
        ExecutorService feeders = Executors.newFixedThreadPool(cores);
        byte[] longPcm = corpus.pcm(longClip.file());
        long start = System.nanoTime();
        List<Future<Run>> runs = new ArrayList<>();
        for (int i = 0; i < cores; i++) {
            runs.add(feeders.submit(() -> transcribe(pool, longPcm)));
        }
        double worst = 0;
        for (Future<Run> f : runs) {
            worst = Math.max(worst, f.get().seconds);
        }
        double total = (System.nanoTime() - start) / 1e9;
        out.printf(
                "%d concurrent long-form streams (%d cores): RTF per stream %.3f (slowest), wall %.1f s%n",
                cores, cores, worst / longClip.seconds(), total);
        feeders.shutdown();
        pool.close();

        out.printf(
                "heap: one decoder %d MB; %d decoders %d MB; each extra decoder %d MB%n",
                (heapOne - heapBefore) >> 20,
                cores,
                (heapPool - heapBefore) >> 20,
                cores > 1 ? ((heapPool - heapOne) / (cores - 1)) >> 20 : 0);
        return 0;
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
