package dev.earshot.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import nvidia.riva.asr.RivaAsr.SpeechRecognitionAlternative;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionResult;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;
import org.junit.jupiter.api.Test;

class TranscriptMapperTest {

    static StreamingRecognizeResponse response(StreamingRecognitionResult... results) {
        return StreamingRecognizeResponse.newBuilder()
                .addAllResults(List.of(results))
                .build();
    }

    static StreamingRecognitionResult result(String text, boolean isFinal, float stability) {
        return StreamingRecognitionResult.newBuilder()
                .setIsFinal(isFinal)
                .setStability(stability)
                .addAlternatives(SpeechRecognitionAlternative.newBuilder().setTranscript(text))
                .build();
    }

    @Test
    void emptyResultsAreSkipped() {
        TranscriptMapper m = new TranscriptMapper();
        assertEquals(List.of(), m.accept(response()));
        assertEquals(
                List.of(),
                m.accept(response(
                        StreamingRecognitionResult.newBuilder().setIsFinal(true).build())));
        assertEquals(List.of(), m.accept(response(result("  ", false, 0.5f))));
    }

    @Test
    void aTrailingInterimIsPromotedToFinalWhenTheStreamEnds() {
        TranscriptMapper m = new TranscriptMapper();
        m.accept(response(result("hello", false, 0.3f)));
        m.accept(response(result("hello world", false, 0.6f)));
        List<TranscriptMapper.Emit> promoted = m.finish();
        assertEquals(1, promoted.size());
        assertTrue(promoted.getFirst().isFinal());
        assertEquals(
                "hello world", promoted.getFirst().result().getAlternatives(0).getTranscript());
        assertEquals(List.of(), m.finish(), "promoted once");
    }

    @Test
    void aFinalClearsThePendingInterim() {
        TranscriptMapper m = new TranscriptMapper();
        m.accept(response(result("hello", false, 0.3f)));
        m.accept(response(result("hello world", true, 0f)));
        assertEquals(List.of(), m.finish());
    }

    @Test
    void aStabilityOnePreviewIsPassedOnButIsNotThePendingPartial() {
        TranscriptMapper m = new TranscriptMapper();
        m.accept(response(result("turn the", false, 0.4f)));
        List<TranscriptMapper.Emit> preview = m.accept(response(result("turn the lights", false, 1.0f)));
        assertEquals(1, preview.size());
        assertEquals(false, preview.getFirst().isFinal());
        assertEquals(
                "turn the", m.finish().getFirst().result().getAlternatives(0).getTranscript());
    }

    @Test
    void severalResultsInOneResponseAreEachSent() {
        TranscriptMapper m = new TranscriptMapper();
        assertEquals(
                2,
                m.accept(response(result("one", true, 0), result("two", false, 0.5f)))
                        .size());
    }
}
