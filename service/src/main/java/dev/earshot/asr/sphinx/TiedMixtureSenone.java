package dev.earshot.asr.sphinx;

import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.MixtureComponent;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.Senone;
import java.util.ArrayList;
import java.util.List;

/**
 * A senone of the shared tied-mixture model. It holds no scoring state: its score on a frame is
 * computed, and kept, by the frame ({@link ScoredFrame}), so every decoder can score the same
 * senone at once. Equal to the senone of the same id, like Sphinx4's own senones.
 */
@SuppressWarnings("serial") // never serialized
final class TiedMixtureSenone implements Senone {
    private final int id;
    private final transient TiedMixtures mixtures;

    TiedMixtureSenone(int id, TiedMixtures mixtures) {
        this.id = id;
        this.mixtures = mixtures;
    }

    @Override
    public float getScore(Data feature) {
        return ScoredFrame.of(feature, mixtures).score(id);
    }

    @Override
    public float[] calculateComponentScore(Data feature) {
        return mixtures.componentScores(id, ScoredFrame.of(feature, mixtures));
    }

    @Override
    public long getID() {
        return id;
    }

    @Override
    public void dump(String msg) {
        System.out.println(msg + " " + this);
    }

    /** Every Gaussian of the senone's codebook, stream after stream. */
    @Override
    public MixtureComponent[] getMixtureComponents() {
        int codebook = mixtures.codebookOf(id);
        List<MixtureComponent> all = new ArrayList<>();
        for (int stream = 0; stream < mixtures.streams(); stream++) {
            all.addAll(List.of(mixtures.gaussians(codebook, stream)));
        }
        return all.toArray(new MixtureComponent[0]);
    }

    /** The log weights of {@link #getMixtureComponents()}, in the same order. */
    @Override
    public float[] getLogMixtureWeights() {
        int codebook = mixtures.codebookOf(id);
        int perStream = mixtures.gaussians(codebook, 0).length;
        float[] weights = new float[mixtures.streams() * perStream];
        for (int stream = 0; stream < mixtures.streams(); stream++) {
            for (int g = 0; g < perStream; g++) {
                weights[stream * perStream + g] = mixtures.logWeight(id, stream, g);
            }
        }
        return weights;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Senone other && other.getID() == id;
    }

    @Override
    public int hashCode() {
        return id;
    }

    @Override
    public String toString() {
        return "TiedMixtureSenone " + id;
    }
}
