package dev.earshot.asr.sphinx;

import edu.cmu.sphinx.linguist.acoustic.tiedstate.GaussianWeights;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.MixtureComponent;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.Pool;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.Senone;
import edu.cmu.sphinx.util.LogMath;

/**
 * The Gaussians of a phonetically tied-mixture acoustic model (the bundled en-US model): one
 * codebook of Gaussians per context-independent phone and feature stream, shared by every
 * senone of that phone, each senone with its own mixture weights. A senone scores a frame as
 * the sum over streams of the log-sum of its weighted {@code topN} best Gaussians of its
 * codebook, as Sphinx4's tied-mixture senones do.
 *
 * <p>Immutable once built, and so shared by every decoder: what one frame computes (which
 * Gaussians are best, each senone's score) lives in that frame, a {@link ScoredFrame}. Sphinx4's
 * own tied-mixture senones keep that state in the shared model instead (the best Gaussians of
 * the last frame and a queue of recent frames' scores, keyed by sample number), which two
 * decoders would overwrite for each other.
 */
final class TiedMixtures {
    private final TiedGaussian[][][] gaussians;
    /** Log mixture weights, senone after senone, stream after stream: one senone's are together in memory. */
    private final float[] weights;

    private final int[] codebookOfSenone;
    private final int streams;
    private final int perStream;
    private final int topN;
    private final LogMath logMath = LogMath.getLogMath();

    /**
     * @param gaussians        {@code [codebook][stream][gaussian]}
     * @param weights          mixture weights per senone, stream and Gaussian
     * @param codebookOfSenone the codebook (context-independent phone) of each senone
     * @param topN             how many best Gaussians per stream make up a senone's score
     */
    TiedMixtures(TiedGaussian[][][] gaussians, GaussianWeights weights, int[] codebookOfSenone, int topN) {
        if (topN < 1 || topN > gaussians[0][0].length) {
            throw new IllegalArgumentException(
                    "topGaussiansNum must be 1.." + gaussians[0][0].length + ", got " + topN);
        }
        this.gaussians = gaussians;
        this.codebookOfSenone = codebookOfSenone;
        this.streams = gaussians[0].length;
        this.perStream = gaussians[0][0].length;
        this.topN = topN;
        // Sphinx4 keeps them Gaussian-major: the dozen weights one senone score reads lie a row apart each
        this.weights = new float[codebookOfSenone.length * streams * perStream];
        for (int senone = 0; senone < codebookOfSenone.length; senone++) {
            for (int stream = 0; stream < streams; stream++) {
                for (int g = 0; g < perStream; g++) {
                    this.weights[(senone * streams + stream) * perStream + g] = weights.get(senone, stream, g);
                }
            }
        }
    }

    /** A senone for each of the model's senones, for the loader to build its HMMs from. */
    Pool<Senone> senonePool() {
        Pool<Senone> pool = new Pool<>("senones");
        for (int id = 0; id < codebookOfSenone.length; id++) {
            pool.put(id, new TiedMixtureSenone(id, this));
        }
        return pool;
    }

    int senones() {
        return codebookOfSenone.length;
    }

    int streams() {
        return streams;
    }

    int codebooks() {
        return gaussians.length;
    }

    int topN() {
        return topN;
    }

    int codebookOf(int senone) {
        return codebookOfSenone[senone];
    }

    TiedGaussian[] gaussians(int codebook, int stream) {
        return gaussians[codebook][stream];
    }

    /** A senone's score on a frame, from (and filling) the frame's best Gaussians. */
    float score(int senone, ScoredFrame frame) {
        int codebook = codebookOfSenone[senone];
        float total = 0;
        for (int stream = 0; stream < streams; stream++) {
            int at = frame.best(codebook, stream);
            int[] ids = frame.bestIds();
            float[] scores = frame.bestScores();
            int row = (senone * streams + stream) * perStream;
            float sum = LogMath.LOG_ZERO;
            for (int j = 0; j < topN; j++) {
                sum = logMath.addAsLinear(sum, scores[at + j] + weights[row + ids[at + j]]);
            }
            total += sum;
        }
        return total;
    }

    /** The weighted score of every Gaussian of the senone's codebook, stream after stream. */
    float[] componentScores(int senone, ScoredFrame frame) {
        int codebook = codebookOfSenone[senone];
        float[] scores = new float[streams * perStream];
        for (int stream = 0; stream < streams; stream++) {
            float[] vector = frame.stream(stream);
            for (int g = 0; g < perStream; g++) {
                scores[stream * perStream + g] =
                        gaussians[codebook][stream][g].getScore(vector) + logWeight(senone, stream, g);
            }
        }
        return scores;
    }

    float logWeight(int senone, int stream, int gaussian) {
        return weights[(senone * streams + stream) * perStream + gaussian];
    }

    /**
     * Finds the {@code topN} best-scoring Gaussians of one codebook and stream for a stream's
     * feature vector, best first, into {@code ids}/{@code scores} from {@code at}; the first of
     * equal scores wins. Once the list is full, a Gaussian whose density falls below that of the
     * list's worst is given up on ({@link TiedGaussian}): it could not have entered the list,
     * since the conversion to Sphinx4's log base keeps order. {@code lnWorst} is scratch space.
     */
    void selectBest(int codebook, int stream, float[] vector, int[] ids, float[] scores, int at) {
        TiedGaussian[] set = gaussians[codebook][stream];
        float[] ln = new float[topN];
        int filled = 0;
        for (int g = 0; g < set.length; g++) {
            float giveUpBelow = filled < topN ? Float.NEGATIVE_INFINITY : ln[topN - 1];
            float density = set[g].lnDensity(vector, giveUpBelow);
            if (density < giveUpBelow) {
                continue;
            }
            float score = toScore(set[g], density);
            if (filled < topN) {
                insert(ids, scores, ln, at, filled++, g, score, density);
            } else if (score > scores[at + topN - 1]) {
                insert(ids, scores, ln, at, topN - 1, g, score, density);
            }
        }
    }

    /** What {@link MixtureComponent#getScore(float[])} makes of a natural-log density. */
    private float toScore(TiedGaussian gaussian, float density) {
        float score = logMath.lnToLog(density);
        if (Float.isNaN(score)) {
            return LogMath.LOG_ZERO;
        }
        return Math.max(score, gaussian.distFloor());
    }

    /** Puts (id, score, density) into the sorted list of {@code size} entries, dropping the last if full. */
    private static void insert(
            int[] ids, float[] scores, float[] ln, int at, int size, int id, float score, float density) {
        int i = size;
        while (i > 0 && scores[at + i - 1] < score) {
            scores[at + i] = scores[at + i - 1];
            ids[at + i] = ids[at + i - 1];
            ln[i] = ln[i - 1];
            i--;
        }
        scores[at + i] = score;
        ids[at + i] = id;
        ln[i] = density;
    }
}
