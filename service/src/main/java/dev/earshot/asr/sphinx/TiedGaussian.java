package dev.earshot.asr.sphinx;

import edu.cmu.sphinx.linguist.acoustic.tiedstate.MixtureComponent;

/**
 * A Gaussian of a tied-mixture codebook that can give up early: its log density is a constant
 * minus a sum of non-negative terms, one per dimension, so once the partial sum falls below the
 * worst of the best Gaussians found so far, the Gaussian cannot be among them. Choosing a
 * frame's best Gaussians then costs a few dimensions for most of the codebook instead of all of
 * them. A Gaussian that is not given up on gets exactly the score {@link MixtureComponent#getScore}
 * gives it (same operations in the same order).
 */
@SuppressWarnings("serial") // never serialized
final class TiedGaussian extends MixtureComponent {

    TiedGaussian(
            float[] mean,
            float[][] meanTransformationMatrix,
            float[] meanTransformationVector,
            float[] variance,
            float[][] varianceTransformationMatrix,
            float[] varianceTransformationVector,
            float distFloor,
            float varianceFloor) {
        super(
                mean,
                meanTransformationMatrix,
                meanTransformationVector,
                variance,
                varianceTransformationMatrix,
                varianceTransformationVector,
                distFloor,
                varianceFloor);
    }

    /** The lowest score, in Sphinx4's log base, that this Gaussian gives. */
    float distFloor() {
        return distFloor;
    }

    /**
     * The natural-log density of {@code feature}, or a value below {@code giveUpBelow} (not the
     * density) as soon as the density is certain to be below it.
     */
    float lnDensity(float[] feature, float giveUpBelow) {
        float density = logPreComputedGaussianFactor;
        for (int i = 0; i < feature.length; i++) {
            float diff = feature[i] - meanTransformed[i];
            density += diff * diff * precisionTransformed[i];
            if (density < giveUpBelow) {
                return density;
            }
        }
        return density;
    }
}
