package dev.earshot.asr.sphinx;

import edu.cmu.sphinx.linguist.acoustic.tiedstate.Sphinx3Loader;
import edu.cmu.sphinx.util.props.PropertyException;
import edu.cmu.sphinx.util.props.PropertySheet;
import java.io.IOException;
import java.io.InputStream;

/**
 * Sphinx4's loader for Sphinx-3 acoustic models, made to load a model that several decoders
 * score at once. For a tied-mixture model (the bundled en-US one) the HMMs are built on
 * {@link TiedMixtureSenone}s, which keep no per-frame state, instead of Sphinx4's tied-mixture
 * senones, whose shared Gaussian sets remember the last frames scored. The swap happens just
 * before the HMMs are built from the senone pool, so every HMM, search state and look-ahead
 * phone uses the shareable senones. Other models keep Sphinx4's senones: those only cache the
 * last frame's score in an immutable holder compared by identity, which is safe to share.
 *
 * <p>The look-ahead search manager asks the loader to keep and clear recent frames' Gaussian
 * scores; here each frame keeps its own, so those calls do nothing.
 */
public class SharedModelLoader extends Sphinx3Loader {
    private int topGaussians;
    private TiedMixtures mixtures;

    @Override
    public void newProperties(PropertySheet ps) throws PropertyException {
        super.newProperties(ps);
        topGaussians = ps.getInt(PROP_TOPN);
    }

    @Override
    protected void loadHMMPool(boolean useCDUnits, InputStream inputStream) throws IOException {
        if (hasTiedMixtures()) {
            mixtures = tiedMixtures(topGaussians);
            senonePool = mixtures.senonePool();
        }
        super.loadHMMPool(useCDUnits, inputStream);
    }

    /** The model's codebooks, or null when it has no tied mixtures (or is not loaded yet). */
    TiedMixtures tiedMixtures() {
        return mixtures;
    }

    /** Frames keep their own scores ({@link ScoredFrame}). */
    @Override
    public void clearGauScores() {}

    /** Frames keep their own scores ({@link ScoredFrame}). */
    @Override
    public void setGauScoresQueueLength(int scoresQueueLen) {}

    /**
     * One codebook per context-independent phone: the means and variances are stored codebook
     * after codebook, stream after stream within a codebook, Gaussian after Gaussian within a
     * stream.
     */
    private TiedMixtures tiedMixtures(int topN) {
        int streams = mixtureWeights.getStreamsNum();
        int perStream = mixtureWeights.getGauPerState();
        int codebooks = meansPool.size() / (streams * perStream);
        float[][] meanMatrix = meanTransformationMatrixPool == null ? null : meanTransformationMatrixPool.get(0);
        float[] meanVector = meanTransformationVectorPool == null ? null : meanTransformationVectorPool.get(0);
        float[][] varianceMatrix =
                varianceTransformationMatrixPool == null ? null : varianceTransformationMatrixPool.get(0);
        float[] varianceVector =
                varianceTransformationVectorPool == null ? null : varianceTransformationVectorPool.get(0);
        TiedGaussian[][][] gaussians = new TiedGaussian[codebooks][streams][perStream];
        for (int codebook = 0; codebook < codebooks; codebook++) {
            for (int stream = 0; stream < streams; stream++) {
                for (int g = 0; g < perStream; g++) {
                    int index = (codebook * streams + stream) * perStream + g;
                    gaussians[codebook][stream][g] = new TiedGaussian(
                            meansPool.get(index),
                            meanMatrix,
                            meanVector,
                            variancePool.get(index),
                            varianceMatrix,
                            varianceVector,
                            distFloor,
                            varianceFloor);
                }
            }
        }
        return new TiedMixtures(gaussians, mixtureWeights, getSenone2Ci(), topN);
    }
}
