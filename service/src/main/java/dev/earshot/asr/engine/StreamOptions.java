package dev.earshot.asr.engine;

/**
 * What a client asked of one recognition stream, beyond the audio format.
 *
 * @param interimResults  send interim (not final) hypotheses while speech is decoded
 * @param wordTimeOffsets put word start/end times and confidences on final results
 * @param maxAlternatives the most alternatives per result (at least 1)
 */
public record StreamOptions(boolean interimResults, boolean wordTimeOffsets, int maxAlternatives) {
    public StreamOptions {
        maxAlternatives = Math.max(1, maxAlternatives);
    }
}
