package dev.earshot.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** WAV files for tests. */
public final class Wav {
    private Wav() {}

    /** A WAV file around 16 kHz 16-bit mono PCM bytes (the 44-byte canonical header). */
    public static byte[] pcm16k(byte[] pcm) {
        ByteBuffer b = ByteBuffer.allocate(44 + pcm.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + pcm.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes())
                .putInt(16)
                .putShort((short) 1)
                .putShort((short) 1)
                .putInt(16000)
                .putInt(32000)
                .putShort((short) 2)
                .putShort((short) 16);
        b.put("data".getBytes()).putInt(pcm.length).put(pcm);
        return b.array();
    }
}
