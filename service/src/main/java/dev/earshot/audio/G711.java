package dev.earshot.audio;

/**
 * G.711 mu-law and A-law, the 8-bit companded encodings of telephony. Decoding goes through
 * 256-entry tables built once.
 */
public final class G711 {
    private static final short[] MULAW = new short[256];
    private static final short[] ALAW = new short[256];
    private static final int BIAS = 0x84;

    static {
        for (int i = 0; i < 256; i++) {
            MULAW[i] = mulawToLinear(i);
            ALAW[i] = alawToLinear(i);
        }
    }

    private G711() {}

    /** Decodes one mu-law byte to a 16-bit sample. */
    public static short ulaw(byte b) {
        return MULAW[b & 0xFF];
    }

    /** Decodes one A-law byte to a 16-bit sample. */
    public static short alaw(byte b) {
        return ALAW[b & 0xFF];
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
