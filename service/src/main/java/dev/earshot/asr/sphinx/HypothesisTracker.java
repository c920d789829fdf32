package dev.earshot.asr.sphinx;

import dev.earshot.asr.engine.Transcript;
import java.util.List;

/**
 * Turns the successive partial hypotheses of one utterance into interim results with a
 * stability score: the share of words that the previous hypothesis already had in the same
 * place. A growing hypothesis scores high, a rewritten one low. Kept strictly below 1.0,
 * which in Riva marks an end-of-utterance preview rather than a partial.
 */
final class HypothesisTracker {
    private String[] previous = new String[0];

    Transcript interim(String text, double audioSeconds) {
        String[] words = text.split(" ");
        int same = 0;
        while (same < words.length && same < previous.length && words[same].equals(previous[same])) {
            same++;
        }
        previous = words;
        float stability = Math.max(0.05f, Math.min(0.95f, (float) same / words.length));
        return new Transcript(false, stability, List.of(new Transcript.Alternative(text, 0f, List.of())), audioSeconds);
    }

    void reset() {
        previous = new String[0];
    }
}
