package dev.earshot.asr.sphinx;

import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.frontend.FloatData;
import java.util.Arrays;

/**
 * One feature frame of one stream, with what scoring it has computed so far ({@link FrameScores}):
 * the search asks for the same senone many times per frame (many states share it), and the
 * look-ahead search scores a frame a few frames before the main search does; both find the work
 * done here.
 *
 * <p>This is the per-stream half of acoustic scoring: the model ({@link TiedMixtures}) is shared
 * and immutable, and a frame belongs to the decoder thread that made it, so nothing here needs a
 * lock. Made by {@link FrameScoring} at the end of each decoder's front end, which lends the
 * frame its scores while it is being searched and takes them back a few frames later; a frame
 * asked again after that (which the search does not do) computes its scores again, uncached.
 */
final class ScoredFrame extends FloatData {
    private final TiedMixtures mixtures;
    private float[][] streams;
    private FrameScores scores;

    ScoredFrame(FloatData frame, TiedMixtures mixtures, FrameScores scores) {
        super(frame.getValues(), frame.getSampleRate(), frame.getCollectTime(), frame.getFirstSampleNumber());
        this.mixtures = mixtures;
        this.scores = scores;
    }

    /** {@code feature} itself when it is a frame of this model, else a fresh one. */
    static ScoredFrame of(Data feature, TiedMixtures mixtures) {
        if (feature instanceof ScoredFrame frame && frame.mixtures == mixtures) {
            return frame;
        }
        return new ScoredFrame(FloatData.toFloatData(feature), mixtures, new FrameScores(mixtures));
    }

    /** Takes back this frame's scores, cleared, for a newer frame. */
    FrameScores release() {
        FrameScores released = scores;
        scores = null;
        streams = null;
        released.clear();
        return released;
    }

    /** The senone's score on this frame. */
    float score(int senone) {
        if (scores == null) { // released: score again, without keeping anything (not expected)
            return new ScoredFrame(this, mixtures, new FrameScores(mixtures)).score(senone);
        }
        float score = scores.senones[senone];
        if (Float.isNaN(score)) {
            score = mixtures.score(senone, this);
            scores.senones[senone] = score;
        }
        return score;
    }

    /**
     * Where the best Gaussians of this codebook and stream start in {@link #bestIds()} and
     * {@link #bestScores()}, selecting them on first use.
     */
    int best(int codebook, int stream) {
        int slot = codebook * mixtures.streams() + stream;
        int at = slot * mixtures.topN();
        if (!scores.bestReady[slot]) {
            mixtures.selectBest(codebook, stream, stream(stream), scores.bestIds, scores.bestScores, at);
            scores.bestReady[slot] = true;
        }
        return at;
    }

    int[] bestIds() {
        return scores.bestIds;
    }

    float[] bestScores() {
        return scores.bestScores;
    }

    /** The part of the feature vector that one stream's Gaussians score (equal parts, in order). */
    float[] stream(int stream) {
        if (streams == null) {
            int count = mixtures.streams();
            float[] values = getValues();
            int width = values.length / count;
            streams = new float[count][];
            for (int s = 0; s < count; s++) {
                streams[s] = Arrays.copyOfRange(values, s * width, (s + 1) * width);
            }
        }
        return streams[stream];
    }
}
