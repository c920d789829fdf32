package dev.earshot.asr.sphinx;

import edu.cmu.sphinx.frontend.BaseDataProcessor;
import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.frontend.DataProcessingException;
import edu.cmu.sphinx.frontend.DoubleData;
import edu.cmu.sphinx.frontend.FloatData;
import edu.cmu.sphinx.linguist.acoustic.tiedstate.Loader;
import edu.cmu.sphinx.util.props.PropertyException;
import edu.cmu.sphinx.util.props.PropertySheet;
import edu.cmu.sphinx.util.props.S4Component;
import java.util.ArrayDeque;

/**
 * The last stage of a decoder's front end: wraps each feature frame in a {@link ScoredFrame},
 * which carries that frame's acoustic scores for this decoder while the shared model is scored
 * by every decoder at once. Frames pass unchanged when the model has no tied mixtures (their
 * senones cache nothing shared).
 *
 * <p>A frame's scores are lent to it for its next {@value #LENT} frames, then cleared and lent to
 * a new frame: the look-ahead search scores at most ten frames ahead of the main search, and no
 * frame is scored after the main search has passed it, so the scores are never taken from a
 * frame still in use, and a stream's scores take a fixed {@value #LENT} × 21 KB however long its
 * utterances.
 */
public final class FrameScoring extends BaseDataProcessor {
    /** The acoustic model loader. */
    @S4Component(type = Loader.class)
    public static final String PROP_LOADER = "loader";

    static final int LENT = 16;

    private final ArrayDeque<ScoredFrame> lent = new ArrayDeque<>(LENT);
    private TiedMixtures mixtures;

    @Override
    public void newProperties(PropertySheet ps) throws PropertyException {
        super.newProperties(ps);
        if (ps.getComponent(PROP_LOADER) instanceof SharedModelLoader loader) {
            mixtures = loader.tiedMixtures();
        }
    }

    @Override
    public Data getData() throws DataProcessingException {
        Data data = getPredecessor().getData();
        if (mixtures == null) {
            return data;
        }
        if (data instanceof FloatData || data instanceof DoubleData) {
            FrameScores scores = lent.size() == LENT ? lent.poll().release() : new FrameScores(mixtures);
            ScoredFrame frame = new ScoredFrame(FloatData.toFloatData(data), mixtures, scores);
            lent.add(frame);
            return frame;
        }
        return data;
    }
}
