package dev.earshot.audio;

/**
 * G.711 mu-law and A-law, the 8-bit companded encodings of telephony. Decoding goes through
 * 256-entry tables built once; encoding is used by clients and tests that need telephone audio.
 */
public final class G711 {
    private static final short[] MULAW = new short[256];
    private static final short[] ALAW = new short[256];
    private static final int BIAS = 0x84;
    private static final int CLIP = 32635;

    static {
        for (int i = 0; i < 256; i++) {
            MULAW[i] = mulawToLinear(i);
            ALAW[i] = alawToLinear(i);
        }
    }

    private G711() {
    }

    /** Decodes one mu-law byte to a 16-bit sample. */
    public static short ulaw(byte b) {
        return MULAW[b & 0xFF];
    }

    /** Decodes one A-law byte to a 16-bit sample. */
    public static short alaw(byte b) {
        return ALAW[b & 0xFF];
    }

    /** Encodes a 16-bit sample as mu-law. */
    public static byte encodeUlaw(short sample) {
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
    public static byte encodeAlaw(short sample) {
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

    private static short mulawToLinear(int u) {
        int x = ~u & 0xFF;
        int t = ((x & 0x0F) << 3) + BIAS;
        t <<= (x & 0x70) >> 4;
        return (short) ((x & 0x80) != 0 ? BIAS - t : t - BIAS);
    }

    private static short alawToLinear(int a) {
        int x = (a ^ 0x55) & 0xFF;
        int t = (x & 0x0F) << 4;
        int seg = (x & 0x70) >> 4;
        if (seg == 0) {
            t += 8;
        } else {
            t = (t + 0x108) << (seg - 1);
        }
        return (short) ((x & 0x80) != 0 ? t : -t);
    }
}
