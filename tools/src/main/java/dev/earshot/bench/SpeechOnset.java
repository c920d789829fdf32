package dev.earshot.bench;

/**
 * Where speech starts in a clip, so that the first interim's latency is counted from the first
 * word and not from the start of the file (the real recordings begin with a few hundred ms of room
 * noise; the synthesized ones are trimmed). The onset is the first 10 ms window whose RMS reaches
 * a tenth of the clip's loudest window: 20 dB below the speech, well above room noise.
 */
final class SpeechOnset {
    private static final int WINDOW = 160;

    private SpeechOnset() {}

    /** Seconds from the start of {@code samples} (16 kHz) to the first speech. */
    static double seconds(short[] samples) {
        int windows = samples.length / WINDOW;
        double[] rms = new double[windows];
        double loudest = 0;
        for (int w = 0; w < windows; w++) {
            double sum = 0;
            for (int i = w * WINDOW; i < (w + 1) * WINDOW; i++) {
                sum += (double) samples[i] * samples[i];
            }
            rms[w] = Math.sqrt(sum / WINDOW);
            loudest = Math.max(loudest, rms[w]);
        }
        for (int w = 0; w < windows; w++) {
            if (loudest > 0 && rms[w] >= loudest / 10) {
                return w * (double) WINDOW / 16000;
            }
        }
        return 0;
    }
}
