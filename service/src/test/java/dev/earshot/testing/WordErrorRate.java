package dev.earshot.testing;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Word error rate as samples/README.md defines it: lowercase, punctuation removed,
 * minimum word-level edit distance (substitutions + deletions + insertions) over the number of
 * reference words. For a set, errors and reference words are summed, not rates averaged.
 */
public final class WordErrorRate {
    private long errors;
    private long referenceWords;

    /** Adds one pair to the running total; returns the edit distance of this pair. */
    public int add(String reference, String hypothesis) {
        List<String> ref = words(reference);
        int d = distance(ref, words(hypothesis));
        errors += d;
        referenceWords += ref.size();
        return d;
    }

    /** Errors over reference words so far (0 when there were no reference words). */
    public double rate() {
        return referenceWords == 0 ? 0 : (double) errors / referenceWords;
    }

    public long errors() {
        return errors;
    }

    public long referenceWords() {
        return referenceWords;
    }

    /** The normalized words of a transcript. */
    public static List<String> words(String text) {
        String clean = text.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N}\\s]", "")
                .trim();
        return clean.isEmpty() ? List.of() : Arrays.asList(clean.split("\\s+"));
    }

    /** Minimum word-level edit distance. */
    public static int distance(List<String> ref, List<String> hyp) {
        int[] d = new int[hyp.size() + 1];
        for (int j = 0; j <= hyp.size(); j++) {
            d[j] = j;
        }
        for (int i = 1; i <= ref.size(); i++) {
            int prev = d[0];
            d[0] = i;
            for (int j = 1; j <= hyp.size(); j++) {
                int cur = d[j];
                int sub = prev + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
                d[j] = Math.min(Math.min(d[j] + 1, d[j - 1] + 1), sub);
                prev = cur;
            }
        }
        return d[hyp.size()];
    }
}
