package dev.earshot.asr.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.testing.EmbeddedRecognizer;
import dev.earshot.testing.TestCorpus;
import dev.earshot.testing.WordErrorRate;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import nvidia.riva.RivaCommon.RequestId;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionResult;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeRequest;
import nvidia.riva.asr.RivaAsr.WordInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Real speech through the embedded recognizer over real gRPC: every short utterance of the
 * sample corpus (samples/), silence, noise and the long-form file, streamed in 100 ms chunks.
 */
class StreamingRecognizeTest {
    /** Measured 50.0% over the 12 utterances (the espeak-ng and diphone voices are the hardest; see README); the bound is just above. */
    static final double WER_BOUND = 0.55;

    static final int CHUNK = 3200;

    static ManagedChannel channel;
    static TestCorpus corpus = TestCorpus.locate();

    @BeforeAll
    static void start() {
        channel = RivaCalls.channel(EmbeddedRecognizer.get().port());
    }

    @AfterAll
    static void stop() {
        channel.shutdownNow();
    }

    static RivaCalls.Outcome transcribe(String file, boolean interim) throws Exception {
        return RivaCalls.stream(
                channel,
                RivaCalls.requests(RivaCalls.config(RivaCalls.pcm16k().build(), interim), corpus.pcm(file), CHUNK));
    }

    @Test
    void utterancesAreTranscribedWithinTheWordErrorBoundAndInterimsPrecedeTheirFinal() throws Exception {
        List<TestCorpus.Clip> clips = corpus.utterances();
        ExecutorService pool = Executors.newFixedThreadPool(EmbeddedRecognizer.POOL_SIZE);
        List<Future<RivaCalls.Outcome>> outcomes = new ArrayList<>();
        for (TestCorpus.Clip clip : clips) {
            outcomes.add(pool.submit(() -> transcribe(clip.file(), true)));
        }
        WordErrorRate wer = new WordErrorRate();
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < clips.size(); i++) {
            RivaCalls.Outcome outcome = outcomes.get(i).get();
            assertEquals(
                    Status.Code.OK, outcome.status().getCode(), clips.get(i).file() + ": " + outcome.status());
            assertFalse(outcome.finals().isEmpty(), clips.get(i).file() + " got no final result");
            List<StreamingRecognitionResult> results = outcome.results();
            assertFalse(
                    results.getFirst().getIsFinal(), clips.get(i).file() + ": the first result should be an interim");
            for (StreamingRecognitionResult r : results) {
                assertTrue(r.getAudioProcessed() > 0, "audio_processed is set on every result");
                if (!r.getIsFinal()) {
                    assertTrue(r.getStability() > 0 && r.getStability() < 1, "interims carry a stability below 1");
                }
            }
            int errors = wer.add(clips.get(i).transcript(), outcome.finalText());
            report.append(clips.get(i).file())
                    .append(" errors=")
                    .append(errors)
                    .append(" heard=\"")
                    .append(outcome.finalText())
                    .append("\"\n");
        }
        pool.shutdown();
        System.out.printf("utterance WER %.3f (%d/%d)%n%s", wer.rate(), wer.errors(), wer.referenceWords(), report);
        assertTrue(wer.rate() <= WER_BOUND, "WER " + wer.rate() + " over bound " + WER_BOUND + "\n" + report);
    }

    @Test
    void silenceAndNoiseGiveAnEmptyTranscript() throws Exception {
        for (String file : List.of("a_silence.wav", "a_noise.wav")) {
            RivaCalls.Outcome outcome = transcribe(file, true);
            assertEquals(Status.Code.OK, outcome.status().getCode(), file);
            assertEquals(List.of(), WordErrorRate.words(outcome.finalText()), file + " heard words");
        }
    }

    @Test
    void longFormAudioGivesSeveralFinalsInOrder() throws Exception {
        TestCorpus.Clip clip = corpus.clip("a_long01.wav");
        RivaCalls.Outcome outcome = transcribe(clip.file(), false);
        assertEquals(Status.Code.OK, outcome.status().getCode());
        List<StreamingRecognitionResult> finals = outcome.finals();
        assertTrue(finals.size() >= 6, "expected a final per sentence or so, got " + finals.size());
        assertTrue(
                outcome.results().stream().allMatch(StreamingRecognitionResult::getIsFinal),
                "no interims when interim_results is off");
        float last = 0;
        for (StreamingRecognitionResult r : finals) {
            assertTrue(r.getAudioProcessed() >= last, "finals come in audio order");
            last = r.getAudioProcessed();
        }
        assertTrue(last > 45, "the whole file was processed: " + last);
        WordErrorRate wer = new WordErrorRate();
        wer.add(clip.transcript(), outcome.finalText());
        System.out.printf("long-form WER %.3f over %d finals%n", wer.rate(), finals.size());
        assertTrue(wer.rate() <= 0.19, "long-form WER " + wer.rate() + ": " + outcome.finalText());
    }

    @Test
    void wordTimeOffsetsAreInMillisecondsAndInOrder() throws Exception {
        StreamingRecognizeRequest config = RivaCalls.config(
                RivaCalls.pcm16k().setEnableWordTimeOffsets(true).build(), false);
        RivaCalls.Outcome outcome =
                RivaCalls.stream(channel, RivaCalls.requests(config, corpus.pcm("a_utt02.wav"), CHUNK));
        List<WordInfo> words = outcome.finals().getFirst().getAlternatives(0).getWordsList();
        assertFalse(words.isEmpty());
        int previousEnd = 0;
        for (WordInfo w : words) {
            assertTrue(w.getStartTime() >= previousEnd - 50 && w.getEndTime() > w.getStartTime(), w.toString());
            assertTrue(w.getConfidence() > 0 && w.getConfidence() <= 1, w.toString());
            previousEnd = w.getEndTime();
        }
        assertTrue(previousEnd > 1500 && previousEnd < 2700, "last word ends within the 2.6 s clip: " + previousEnd);
    }

    @Test
    void requestIdIsEchoedOnEveryResponse() throws Exception {
        RequestId id = RequestId.newBuilder().setValue("req-42").build();
        StreamingRecognizeRequest config = RivaCalls.config(RivaCalls.pcm16k().build(), true).toBuilder()
                .setId(id)
                .build();
        RivaCalls.Outcome outcome =
                RivaCalls.stream(channel, RivaCalls.requests(config, corpus.pcm("a_utt01.wav"), CHUNK));
        assertFalse(outcome.responses().isEmpty());
        outcome.responses().forEach(r -> assertEquals("req-42", r.getId().getValue()));
    }
}
