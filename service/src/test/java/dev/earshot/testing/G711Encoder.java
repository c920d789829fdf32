package dev.earshot.testing;

/**
 * G.711 encoding, for tests that need telephone audio (Earshot itself only decodes G.711:
 * {@code audio.G711}).
 */
public final class G711Encoder {
    private static final int BIAS = 0x84;
    private static final int CLIP = 32635;

    private G711Encoder() {}

    /** Encodes a 16-bit sample as mu-law. */
    public static byte ulaw(short sample) {
        int s = sample;
        int sign = (s >> 8) & 0x80;
        if (sign != 0) {
            s = -s;
        }
        if (s > CLIP) {
            s = CLIP;
        }
        s += BIAS;
        int exponent = 7;
        for (int mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = (s >> (exponent + 3)) & 0x0F;
        return (byte) ~(sign | (exponent << 4) | mantissa);
    }

    /** Encodes a 16-bit sample as A-law. */
    public static byte alaw(short sample) {
        int s = sample;
        int sign = s >= 0 ? 0x80 : 0;
        if (sign == 0) {
            s = -s - 1;
        }
        if (s > 32767) {
            s = 32767;
        }
        int exponent = 7;
        for (int mask = 0x4000; (s & mask) == 0 && exponent > 0; mask >>= 1) {
            exponent--;
        }
        int mantissa = exponent == 0 ? (s >> 4) & 0x0F : (s >> (exponent + 3)) & 0x0F;
        return (byte) ((sign | (exponent << 4) | mantissa) ^ 0x55);
    }
}
