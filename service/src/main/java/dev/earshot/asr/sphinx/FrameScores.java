package dev.earshot.asr.sphinx;

import java.util.Arrays;

/**
 * What scoring one frame has computed so far: each senone's score and the best Gaussians of
 * each codebook and stream. A decoder reuses a few of these in turn ({@link FrameScoring}): the
 * search keeps every scored frame of an utterance (its tokens point at them), and 20 KB of
 * scores per frame would add up to tens of MB per stream.
 */
final class FrameScores {
    final float[] senones;
    final int[] bestIds;
    final float[] bestScores;
    final boolean[] bestReady;

    FrameScores(TiedMixtures mixtures) {
        senones = new float[mixtures.senones()];
        int slots = mixtures.codebooks() * mixtures.streams();
        bestIds = new int[slots * mixtures.topN()];
        bestScores = new float[slots * mixtures.topN()];
        bestReady = new boolean[slots];
        clear();
    }

    /** Forgets every score: NaN marks a senone not scored yet. */
    void clear() {
        Arrays.fill(senones, Float.NaN);
        Arrays.fill(bestReady, false);
    }
}
