package dev.earshot.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ResamplerTest {

    static short[] tone(double hz, int rate, double seconds, double amplitude) {
        short[] s = new short[(int) (rate * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    /** RMS of the middle of a signal, away from start-up and end effects. */
    static double rms(short[] s) {
        double sum = 0;
        int from = s.length / 4;
        int to = 3 * s.length / 4;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    /** Amplitude of one frequency in the middle of a signal (single-bin DFT). */
    static double amplitudeAt(short[] s, double hz, int rate) {
        double re = 0;
        double im = 0;
        int from = s.length / 4;
        int to = 3 * s.length / 4;
        for (int i = from; i < to; i++) {
            re += s[i] * Math.cos(2 * Math.PI * hz * i / rate);
            im += s[i] * Math.sin(2 * Math.PI * hz * i / rate);
        }
        return 2 * Math.hypot(re, im) / (to - from);
    }

    static short[] resampleInChunks(short[] in, int from, int to, int chunk) {
        Resampler r = new Resampler(from, to);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.util.List<short[]> parts = new java.util.ArrayList<>();
        for (int i = 0; i < in.length; i += chunk) {
            parts.add(r.process(java.util.Arrays.copyOfRange(in, i, Math.min(in.length, i + chunk))));
        }
        parts.add(r.flush());
        int n = parts.stream().mapToInt(p -> p.length).sum();
        short[] all = new short[n];
        int at = 0;
        for (short[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }

    @Test
    void upsampling8kTo16kKeepsLengthFrequencyAndLevel() {
        short[] in = tone(440, 8000, 1.0, 10000);
        short[] out = resampleInChunks(in, 8000, 16000, 160);
        assertEquals(16000, out.length, 2);
        assertEquals(10000, amplitudeAt(out, 440, 16000), 150);
    }

    @Test
    void downsampling48kTo16kRemovesWhatWouldAlias() {
        short[] pass = resampleInChunks(tone(1000, 48000, 1.0, 10000), 48000, 16000, 480);
        assertEquals(16000, pass.length, 2);
        assertEquals(10000, amplitudeAt(pass, 1000, 16000), 150);
        // 12 kHz is above the new 8 kHz Nyquist: dropping samples would fold it to 4 kHz at full level
        short[] stop = resampleInChunks(tone(12000, 48000, 1.0, 10000), 48000, 16000, 480);
        assertTrue(rms(stop) < 10000 * 0.01, "aliased energy: rms " + rms(stop));
    }

    @Test
    void chunkBoundariesDoNotChangeTheOutput() {
        short[] in = tone(300, 44100, 0.5, 8000);
        short[] whole = resampleInChunks(in, 44100, 16000, in.length);
        short[] chunked = resampleInChunks(in, 44100, 16000, 441);
        assertEquals(whole.length, chunked.length);
        for (int i = 0; i < whole.length; i++) {
            assertEquals(whole[i], chunked[i], 1, "sample " + i);
        }
    }
}
