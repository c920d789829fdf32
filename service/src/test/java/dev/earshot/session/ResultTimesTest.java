package dev.earshot.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import nvidia.riva.asr.RivaAsr.SpeechRecognitionAlternative;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionResult;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;
import nvidia.riva.asr.RivaAsr.WordInfo;
import org.junit.jupiter.api.Test;

/** Moving a replacement stream's times to the session's, and reading where a final ends. */
class ResultTimesTest {

    private static StreamingRecognitionResult result(float processed, int... wordTimes) {
        SpeechRecognitionAlternative.Builder a =
                SpeechRecognitionAlternative.newBuilder().setTranscript("x");
        for (int i = 0; i < wordTimes.length; i += 2) {
            a.addWords(WordInfo.newBuilder()
                    .setWord("w" + i)
                    .setStartTime(wordTimes[i])
                    .setEndTime(wordTimes[i + 1]));
        }
        return StreamingRecognitionResult.newBuilder()
                .addAlternatives(a)
                .setIsFinal(true)
                .setAudioProcessed(processed)
                .build();
    }

    @Test
    void aShiftMovesEveryWordAndWhatWasProcessed() {
        StreamingRecognizeResponse response = StreamingRecognizeResponse.newBuilder()
                .addResults(result(1.5f, 0, 400, 500, 1200))
                .build();
        StreamingRecognitionResult shifted = ResultTimes.shift(response, 2.25).getResults(0);
        assertEquals(3.75f, shifted.getAudioProcessed(), 1e-6);
        List<WordInfo> words = shifted.getAlternatives(0).getWordsList();
        assertEquals(
                List.of(2250, 2750), words.stream().map(WordInfo::getStartTime).toList());
        assertEquals(
                List.of(2650, 3450), words.stream().map(WordInfo::getEndTime).toList());
        assertEquals("x", shifted.getAlternatives(0).getTranscript());
    }

    @Test
    void noShiftAndNoWordsAreNoCopy() {
        StreamingRecognizeResponse response =
                StreamingRecognizeResponse.newBuilder().addResults(result(1f)).build();
        assertSame(response, ResultTimes.shift(response, 0));
        assertSame(response.getResults(0), ResultTimes.withoutWords(response.getResults(0)));
    }

    @Test
    void wordsAreTakenOutForAClientThatDidNotAskForThem() {
        StreamingRecognitionResult stripped = ResultTimes.withoutWords(result(1f, 0, 300));
        assertEquals(0, stripped.getAlternatives(0).getWordsCount());
        assertEquals("x", stripped.getAlternatives(0).getTranscript());
        assertEquals(1f, stripped.getAudioProcessed());
    }

    @Test
    void aFinalEndsWithItsLastWordOrWithoutWordsWhereRivaHadProcessed() {
        assertEquals(1.2, ResultTimes.end(result(2.5f, 0, 400, 500, 1200)), 1e-9);
        assertEquals(2.5, ResultTimes.end(result(2.5f)), 1e-6);
    }

    @Test
    void whatWasProcessedIsTheFurthestOfAResponsesResults() {
        StreamingRecognizeResponse response = StreamingRecognizeResponse.newBuilder()
                .addResults(result(1.5f))
                .addResults(result(2.5f))
                .build();
        assertEquals(2.5, ResultTimes.processed(response), 1e-6);
        assertEquals(0, ResultTimes.processed(StreamingRecognizeResponse.getDefaultInstance()));
    }
}
