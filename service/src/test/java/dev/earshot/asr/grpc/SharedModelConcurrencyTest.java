package dev.earshot.asr.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.asr.AsrConfig;
import dev.earshot.asr.AsrServer;
import dev.earshot.testing.TestCorpus;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionResult;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Decoders that share one loaded model (acoustic model, dictionary, language model, lexical
 * tree) decode different streams at the same time exactly as one decoder decodes each alone:
 * same words, same word times, same confidences. Real engine, real gRPC.
 */
class SharedModelConcurrencyTest {
    static final int DECODERS = 4;

    static AsrServer server;
    static ManagedChannel channel;
    static TestCorpus corpus = TestCorpus.locate();

    @BeforeAll
    static void start() {
        server = AsrServer.start(new AsrConfig(0, AsrConfig.SPHINX4, DECODERS, 64 * 1024 * 1024, ""));
        channel = RivaCalls.channel(server.port());
    }

    @AfterAll
    static void stop() {
        channel.shutdownNow();
        server.close();
    }

    /** The final results of one stream: transcript, confidence, and every word with its times. */
    static List<String> finals(String file) throws Exception {
        StreamingRecognizeRequest config = RivaCalls.config(
                RivaCalls.pcm16k().setEnableWordTimeOffsets(true).build(), true);
        RivaCalls.Outcome outcome = RivaCalls.stream(channel, RivaCalls.requests(config, corpus.pcm(file), 3200));
        assertEquals(Status.Code.OK, outcome.status().getCode(), file + ": " + outcome.status());
        List<String> finals = new ArrayList<>();
        for (StreamingRecognitionResult r : outcome.finals()) {
            finals.add(r.getAlternatives(0).toString().replace('\n', ' '));
        }
        return finals;
    }

    @Test
    void decodersSharingTheModelGiveEachStreamWhatOneDecoderAloneGivesIt() throws Exception {
        List<String> files = new ArrayList<>();
        corpus.utterances().forEach(c -> files.add(c.file()));
        files.add("a_silence.wav");
        files.add("a_noise.wav");

        Map<String, List<String>> alone = new LinkedHashMap<>();
        for (String file : files) {
            alone.put(file, finals(file));
        }
        assertTrue(
                alone.values().stream().filter(f -> !f.isEmpty()).count() >= 10,
                "most utterances give a final: " + alone);

        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread watcher = Thread.ofPlatform().start(() -> {
            while (running.get()) {
                mostAtOnce.accumulateAndGet(server.engine().activeStreams(), Math::max);
                Thread.onSpinWait();
            }
        });
        ExecutorService clients = Executors.newFixedThreadPool(DECODERS);
        Map<String, Future<List<String>>> together = new LinkedHashMap<>();
        for (String file : files.reversed()) { // another order, so each clip meets other neighbours
            together.put(file, clients.submit(() -> finals(file)));
        }
        for (String file : files) {
            assertEquals(alone.get(file), together.get(file).get(), file + " decoded alongside others");
        }
        running.set(false);
        watcher.join();
        clients.shutdown();
        assertEquals(DECODERS, mostAtOnce.get(), "streams decoded at the same time");
    }
}
