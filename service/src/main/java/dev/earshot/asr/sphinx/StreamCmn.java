package dev.earshot.asr.sphinx;

import edu.cmu.sphinx.frontend.BaseDataProcessor;
import edu.cmu.sphinx.frontend.Data;
import edu.cmu.sphinx.frontend.DataEndSignal;
import edu.cmu.sphinx.frontend.DataProcessingException;
import edu.cmu.sphinx.frontend.DataStartSignal;
import edu.cmu.sphinx.frontend.DoubleData;
import edu.cmu.sphinx.frontend.endpoint.SpeechEndSignal;
import edu.cmu.sphinx.util.props.PropertyException;
import edu.cmu.sphinx.util.props.PropertySheet;
import edu.cmu.sphinx.util.props.S4Integer;
import java.util.ArrayDeque;

/**
 * Live cepstral mean normalization that starts every stream from the same place. Sphinx4's
 * {@code LiveCMN} estimates its starting mean from the first two seconds the recognizer ever
 * hears and then carries its state from stream to stream, so one caller's audio would shape the
 * next caller's transcript (and a silent first stream spoils every later one). This one learns
 * its starting mean from the warm-up clip, {@link #capturePrior() keeps it}, and restores it at
 * the start of each stream; within a stream it adapts exactly as {@code LiveCMN} does.
 */
public final class StreamCmn extends BaseDataProcessor {
    /** Frames the running sum is decayed to. */
    @S4Integer(defaultValue = 100)
    public static final String PROP_CMN_WINDOW = "cmnWindow";
    /** Frames between re-estimates of the mean. */
    @S4Integer(defaultValue = 160)
    public static final String PROP_SHIFT_WINDOW = "shiftWindow";
    /** Frames used for the very first estimate, before any prior exists. */
    @S4Integer(defaultValue = 200)
    public static final String PROP_INITIAL_WINDOW = "initialCmnWindow";

    private int cmnWindow;
    private int shiftWindow;
    private int initialWindow;

    private double[] mean;
    private double[] sum;
    private int frames;
    private double[] priorMean;
    private double[] priorSum;
    private int priorFrames;
    private final ArrayDeque<Data> initial = new ArrayDeque<>();

    @Override
    public void newProperties(PropertySheet ps) throws PropertyException {
        super.newProperties(ps);
        cmnWindow = ps.getInt(PROP_CMN_WINDOW);
        shiftWindow = ps.getInt(PROP_SHIFT_WINDOW);
        initialWindow = ps.getInt(PROP_INITIAL_WINDOW);
    }

    /** Keeps the current state as the starting point of every later stream. */
    public void capturePrior() {
        if (mean != null) {
            priorMean = mean.clone();
            priorSum = sum.clone();
            priorFrames = frames;
        }
    }

    @Override
    public Data getData() throws DataProcessingException {
        if (!initial.isEmpty()) {
            return normalize(initial.poll());
        }
        Data data = getPredecessor().getData();
        if (data instanceof DataStartSignal && priorMean != null) {
            mean = priorMean.clone();
            sum = priorSum.clone();
            frames = priorFrames;
        } else if (data instanceof DoubleData && mean == null) {
            estimateFirstMean(data);
            return normalize(initial.poll());
        }
        return normalize(data);
    }

    /** No prior yet (the warm-up): estimate the mean from the first frames, as LiveCMN does. */
    private void estimateFirstMean(Data first) throws DataProcessingException {
        initial.add(first);
        Data data = first;
        while (initial.size() < initialWindow && !(data instanceof SpeechEndSignal || data instanceof DataEndSignal)) {
            data = getPredecessor().getData();
            if (data == null) {
                break;
            }
            initial.add(data);
        }
        int size = ((DoubleData) first).getValues().length;
        sum = new double[size];
        frames = 0;
        for (Data d : initial) {
            if (d instanceof DoubleData dd) {
                double[] values = dd.getValues();
                for (int j = 0; j < size; j++) {
                    sum[j] += values[j];
                }
                frames++;
            }
        }
        mean = new double[size];
        for (int j = 0; j < size; j++) {
            mean[j] = sum[j] / frames;
        }
    }

    private Data normalize(Data data) {
        if (!(data instanceof DoubleData dd) || mean == null) {
            return data;
        }
        double[] cepstrum = dd.getValues();
        for (int j = 0; j < cepstrum.length; j++) {
            sum[j] += cepstrum[j];
            cepstrum[j] -= mean[j];
        }
        frames++;
        if (frames > shiftWindow) {
            double scale = 1.0 / frames;
            for (int j = 0; j < mean.length; j++) {
                mean[j] = sum[j] * scale;
                sum[j] *= scale * cmnWindow; // decay the running sum
            }
            frames = cmnWindow;
        }
        return data;
    }
}
