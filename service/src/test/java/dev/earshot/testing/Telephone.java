package dev.earshot.testing;

import dev.earshot.audio.Resampler;

/** Turns 16 kHz test audio into what a telephone line carries: 8 kHz, band-limited, mu-law. */
public final class Telephone {
    private Telephone() {}

    /** 16-bit little-endian PCM bytes as samples. */
    public static short[] samples(byte[] pcm) {
        short[] s = new short[pcm.length / 2];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) ((pcm[2 * i + 1] << 8) | (pcm[2 * i] & 0xFF));
        }
        return s;
    }

    /** 16 kHz samples → band-limited 8 kHz mu-law bytes. */
    public static byte[] mulaw8k(short[] samples16k) {
        Resampler down = new Resampler(16000, 8000);
        short[] body = down.process(samples16k);
        short[] tail = down.flush();
        byte[] ulaw = new byte[body.length + tail.length];
        for (int i = 0; i < ulaw.length; i++) {
            ulaw[i] = G711Encoder.ulaw(i < body.length ? body[i] : tail[i - body.length]);
        }
        return ulaw;
    }
}
