package dev.earshot.asr.grpc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.testing.EmbeddedRecognizer;
import dev.earshot.testing.TestCorpus;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionResult;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded recognizer answers with what the audio it has been sent allows, without waiting
 * for more: an utterance's first words as soon as the search has them, and the last words on
 * the caller's stop. Real engine, real gRPC. The clips are cut at fixed points, so what the
 * recognizer has been given is decided by the test, not by timing; each call waits for its
 * answer while the client sends nothing more.
 */
class AnswersWithoutWaitingTest {
    /** 20 ms of 16 kHz 16-bit audio: the small chunks that browsers and telephony clients send. */
    static final int SMALL_CHUNK = 640;

    static final int BYTES_PER_SECOND = 32000;

    static ManagedChannel channel;
    static final TestCorpus corpus = TestCorpus.samples();

    @BeforeAll
    static void start() {
        channel = RivaCalls.channel(EmbeddedRecognizer.get().port());
    }

    @AfterAll
    static void stop() {
        channel.shutdownNow();
    }

    /**
     * The start of each clip, in 20 ms chunks: a little more than the search needs for its first
     * words ("oh" after 0.37 s of a_utt05, "the" after 0.62 s of a_utt01), less than it used to
     * need. Each of these made it wait for more: reading audio 100 ms at a time and only whole
     * reads (0.40 s of a_utt05), reporting every 200 ms of frames (0.49 s, 0.74 s), starting only
     * after 200 ms of speech (0.45 s, 0.70 s).
     */
    @Test
    void anUtterancesFirstWordsComeWithoutMoreAudio() throws Exception {
        Map<String, Integer> startMillis = Map.of("a_utt05.wav", 390, "a_utt01.wav", 660);
        for (var clip : startMillis.entrySet()) {
            byte[] pcm = corpus.pcm(clip.getKey());
            int bytes = clip.getValue() * BYTES_PER_SECOND / 1000;
            RivaCalls.Call call = new RivaCalls.Call(channel);
            call.requests.onNext(RivaCalls.config(RivaCalls.pcm16k().build(), true));
            sendInSmallChunks(call, pcm, 0, bytes);

            await(clip.getKey() + ": an interim with words for the first " + clip.getValue() + " ms")
                    .atMost(Duration.ofMinutes(1))
                    .until(() -> results(call).stream()
                            .anyMatch(r -> !r.getAlternatives(0).getTranscript().isBlank()));
            assertFalse(results(call).getFirst().getIsFinal(), clip.getKey() + ": the first words come as an interim");

            sendInSmallChunks(call, pcm, bytes, pcm.length);
            call.requests.onCompleted();
            assertEquals(Status.Code.OK, call.await().status().getCode(), clip.getKey());
        }
    }

    /**
     * Speech cut right after its last word, with none of the clip's trailing silence: the stop
     * alone ends the utterance, and its final has every word, the last one included. The
     * endpointer would need 400 ms of silence, which never comes.
     */
    @Test
    void theStopEndsTheUtteranceAndItsFinalHasTheLastWord() throws Exception {
        byte[] pcm = corpus.pcm("a_utt02.wav");
        int speechEnd = lastLoudSample(pcm) * 2 + 2;
        assertTrue(pcm.length - speechEnd > BYTES_PER_SECOND / 5, "the clip ends in 0.2 s of silence or more");
        RivaCalls.Call call = new RivaCalls.Call(channel);
        call.requests.onNext(RivaCalls.config(RivaCalls.pcm16k().build(), true));
        sendInSmallChunks(call, pcm, 0, speechEnd);
        call.requests.onCompleted();

        RivaCalls.Outcome outcome = call.await();
        assertEquals(Status.Code.OK, outcome.status().getCode());
        assertEquals(1, outcome.finals().size(), "one final for the one utterance");
        assertEquals(corpus.clip("a_utt02.wav").transcript(), outcome.finalText());
    }

    /**
     * The word lattice is built only for streams that ask for alternatives; asking for them, or
     * not, in turn on the same decoders leaves the best transcript as it was.
     */
    @Test
    void askingForAlternativesOrNotGivesTheSameBestTranscript() throws Exception {
        byte[] pcm = corpus.pcm("a_utt07.wav");
        List<String> heard = new ArrayList<>();
        for (int maxAlternatives : List.of(1, 3, 1, 3, 1)) {
            StreamingRecognizeRequest config = RivaCalls.config(
                    RivaCalls.pcm16k().setMaxAlternatives(maxAlternatives).build(), false);
            RivaCalls.Outcome outcome = RivaCalls.stream(channel, RivaCalls.requests(config, pcm, 3200));
            assertEquals(Status.Code.OK, outcome.status().getCode(), "max_alternatives " + maxAlternatives);
            assertEquals(1, outcome.finals().size(), "max_alternatives " + maxAlternatives);
            heard.add(outcome.finalText());
        }
        assertFalse(heard.getFirst().isBlank(), "the clip is heard");
        assertEquals(
                List.of(heard.getFirst(), heard.getFirst(), heard.getFirst(), heard.getFirst(), heard.getFirst()),
                heard);
    }

    static List<StreamingRecognitionResult> results(RivaCalls.Call call) {
        synchronized (call.responses) {
            return call.responses.stream()
                    .flatMap(r -> r.getResultsList().stream())
                    .toList();
        }
    }

    static void sendInSmallChunks(RivaCalls.Call call, byte[] pcm, int from, int to) {
        for (int at = from; at < to; at += SMALL_CHUNK) {
            call.requests.onNext(RivaCalls.audio(pcm, at, Math.min(to, at + SMALL_CHUNK)));
        }
    }

    /** The index of the last sample louder than -40 dBFS: where speech ends before the padding. */
    static int lastLoudSample(byte[] pcm) {
        for (int i = pcm.length / 2 - 1; i >= 0; i--) {
            int sample = (short) ((pcm[2 * i + 1] << 8) | (pcm[2 * i] & 0xFF));
            if (Math.abs(sample) > 327) {
                return i;
            }
        }
        return -1;
    }
}
