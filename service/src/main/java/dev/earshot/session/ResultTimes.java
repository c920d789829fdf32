package dev.earshot.session;

import nvidia.riva.asr.RivaAsr.SpeechRecognitionAlternative;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionResult;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;
import nvidia.riva.asr.RivaAsr.WordInfo;

/**
 * The times in Riva's results, read and rewritten. Riva counts a stream's times from the stream's
 * first audio; a stream that took over after a failure began later in the session's audio, so
 * its times are moved by that much ({@link #shift}) and the client's transcript keeps one clock.
 * The session always asks Riva for word times (the end of a final's last word is where a replay
 * starts: {@link #end}) and takes them out again for a client that did not ask
 * ({@link #withoutWords}).
 *
 * <p>Results are rebuilt only when something changes: the usual case (the first stream, or a
 * client that wants word times) costs a check, not a copy.
 */
final class ResultTimes {
    private ResultTimes() {}

    /** The response with every time moved {@code seconds} later (the same response for 0). */
    static StreamingRecognizeResponse shift(StreamingRecognizeResponse response, double seconds) {
        if (seconds == 0 || response.getResultsCount() == 0) {
            return response;
        }
        StreamingRecognizeResponse.Builder shifted = response.toBuilder();
        for (int i = 0; i < shifted.getResultsCount(); i++) {
            shifted.setResults(i, shift(response.getResults(i), seconds));
        }
        return shifted.build();
    }

    private static StreamingRecognitionResult shift(StreamingRecognitionResult result, double seconds) {
        int millis = (int) Math.round(seconds * 1000);
        StreamingRecognitionResult.Builder shifted =
                result.toBuilder().setAudioProcessed((float) (result.getAudioProcessed() + seconds));
        for (SpeechRecognitionAlternative.Builder alternative : shifted.getAlternativesBuilderList()) {
            for (WordInfo.Builder word : alternative.getWordsBuilderList()) {
                word.setStartTime(word.getStartTime() + millis).setEndTime(word.getEndTime() + millis);
            }
        }
        return shifted.build();
    }

    /** The result without word times (the same result when it has none). */
    static StreamingRecognitionResult withoutWords(StreamingRecognitionResult result) {
        boolean words = false;
        for (SpeechRecognitionAlternative alternative : result.getAlternativesList()) {
            words |= alternative.getWordsCount() > 0;
        }
        if (!words) {
            return result;
        }
        StreamingRecognitionResult.Builder stripped = result.toBuilder();
        for (SpeechRecognitionAlternative.Builder alternative : stripped.getAlternativesBuilderList()) {
            alternative.clearWords();
        }
        return stripped.build();
    }

    /**
     * Where the audio a final covers ends, in its stream's seconds: the end of the last word of
     * its best alternative. A backend that sends no word times is taken at its
     * {@code audio_processed} (which may reach into the next utterance's first words: they would
     * then not be replayed).
     */
    static double end(StreamingRecognitionResult result) {
        if (result.getAlternativesCount() > 0) {
            int lastEnd = -1;
            for (WordInfo word : result.getAlternatives(0).getWordsList()) {
                lastEnd = Math.max(lastEnd, word.getEndTime());
            }
            if (lastEnd >= 0) {
                return lastEnd / 1000.0;
            }
        }
        return result.getAudioProcessed();
    }

    /** How far Riva says it has processed the stream's audio, in seconds (0 when it does not say). */
    static double processed(StreamingRecognizeResponse response) {
        double processed = 0;
        for (StreamingRecognitionResult result : response.getResultsList()) {
            processed = Math.max(processed, result.getAudioProcessed());
        }
        return processed;
    }
}
