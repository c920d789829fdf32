package dev.earshot.audio;

/**
 * Streaming band-limited resampler: windowed-sinc interpolation (Kaiser window, 16 zero
 * crossings) with the cut-off at the lower of the two Nyquist frequencies, so down-sampling
 * filters out what would alias instead of dropping samples. Chunks may have any length; state
 * carries over between them. The kernel is tabulated once per instance and read with linear
 * interpolation, which keeps the cost to a multiply-add per tap.
 */
public final class Resampler {
    private static final int ZERO_CROSSINGS = 16;
    private static final int TABLE_RESOLUTION = 256;
    private static final double KAISER_BETA = 8.0;

    private final double step; // input samples per output sample
    private final double cutoff; // relative to the input Nyquist frequency, <= 1
    private final int halfWidth; // kernel half-width in input samples
    private final float[] kernel; // kernel(x) for x = i / TABLE_RESOLUTION zero crossings

    private float[] window; // pending input, starting halfWidth samples before pos 0
    private int windowLength;
    private double position; // input time of the next output sample, index into window

    /**
     * @param inputRate  input samples per second
     * @param outputRate output samples per second
     */
    public Resampler(int inputRate, int outputRate) {
        this.step = (double) inputRate / outputRate;
        this.cutoff = Math.min(1.0, (double) outputRate / inputRate);
        this.halfWidth = (int) Math.ceil(ZERO_CROSSINGS / cutoff);
        this.kernel = tabulateKernel();
        this.window = new float[Math.max(4096, 4 * halfWidth)];
        this.windowLength = halfWidth; // leading zeros: history before the first sample
        this.position = halfWidth;
    }

    /** Resamples the next chunk; returns the output samples it completes (possibly none). */
    public short[] process(short[] input) {
        append(input, input.length);
        return drain(windowLength - halfWidth - 1);
    }

    /** Ends the stream: returns the remaining output, treating what follows as silence. */
    public short[] flush() {
        int lastInput = windowLength - 1;
        append(new short[halfWidth + 1], halfWidth + 1);
        return drain(lastInput);
    }

    private void append(short[] input, int length) {
        if (windowLength + length > window.length) {
            float[] bigger = new float[Math.max(window.length * 2, windowLength + length)];
            System.arraycopy(window, 0, bigger, 0, windowLength);
            window = bigger;
        }
        for (int i = 0; i < length; i++) {
            window[windowLength + i] = input[i];
        }
        windowLength += length;
    }

    /** Produces every output sample whose input time is at most {@code limit}. */
    private short[] drain(int limit) {
        int count = position > limit ? 0 : (int) Math.floor((limit - position) / step) + 1;
        short[] out = new short[count];
        for (int n = 0; n < count; n++) {
            out[n] = clip(interpolate(position));
            position += step;
        }
        int consumed = Math.max(0, (int) Math.floor(position) - halfWidth);
        consumed = Math.min(consumed, windowLength);
        System.arraycopy(window, consumed, window, 0, windowLength - consumed);
        windowLength -= consumed;
        position -= consumed;
        return out;
    }

    private double interpolate(double t) {
        int center = (int) Math.floor(t);
        double frac = t - center;
        int from = Math.max(0, center - halfWidth + 1);
        int to = Math.min(windowLength - 1, center + halfWidth);
        double sum = 0;
        double scale = cutoff * TABLE_RESOLUTION;
        for (int k = from; k <= to; k++) {
            double x = Math.abs((k - center) - frac) * scale;
            int i = (int) x;
            if (i + 1 >= kernel.length) {
                continue;
            }
            double w = kernel[i] + (kernel[i + 1] - kernel[i]) * (x - i);
            sum += window[k] * w;
        }
        return sum * cutoff;
    }

    private static float[] tabulateKernel() {
        int n = ZERO_CROSSINGS * TABLE_RESOLUTION + 2;
        float[] table = new float[n];
        double norm = bessel0(KAISER_BETA);
        for (int i = 0; i < n; i++) {
            double x = (double) i / TABLE_RESOLUTION; // in zero crossings
            double sinc = x == 0 ? 1.0 : Math.sin(Math.PI * x) / (Math.PI * x);
            double r = x / ZERO_CROSSINGS;
            double win = r >= 1 ? 0 : bessel0(KAISER_BETA * Math.sqrt(1 - r * r)) / norm;
            table[i] = (float) (sinc * win);
        }
        return table;
    }

    private static double bessel0(double x) {
        double sum = 1;
        double term = 1;
        for (int k = 1; k < 50; k++) {
            term *= (x / (2 * k)) * (x / (2 * k));
            sum += term;
            if (term < 1e-12 * sum) {
                break;
            }
        }
        return sum;
    }

    private static short clip(double v) {
        long r = Math.round(v);
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, r));
    }
}
