package dev.earshot.asr.engine;

import java.util.List;

/**
 * One recognition result as an engine produces it, independent of gRPC: an interim hypothesis
 * that later ones replace, or a final one for a stretch of audio that will not change.
 *
 * @param isFinal      whether this result is final for its stretch of audio
 * @param stability    for interims, how likely the text is to stay (0..1, exclusive of 1)
 * @param alternatives hypotheses, best first (at least one)
 * @param audioSeconds audio processed so far in the stream, in seconds
 */
public record Transcript(boolean isFinal, float stability, List<Alternative> alternatives, double audioSeconds) {

    public Transcript {
        alternatives = List.copyOf(alternatives);
    }

    /** The best hypothesis' text. */
    public String text() {
        return alternatives.isEmpty() ? "" : alternatives.getFirst().text();
    }

    /**
     * One hypothesis.
     *
     * @param text       the words, space-separated
     * @param confidence 0..1 where known, 0 when not
     * @param words      word timings (only when asked for, only on finals)
     */
    public record Alternative(String text, float confidence, List<Word> words) {
        public Alternative {
            words = List.copyOf(words);
        }
    }

    /**
     * A recognized word and when it was said.
     *
     * @param word       the word
     * @param startMs    start, milliseconds from the start of the stream's audio
     * @param endMs      end, milliseconds from the start of the stream's audio
     * @param confidence 0..1
     */
    public record Word(String word, int startMs, int endMs, float confidence) {}
}
