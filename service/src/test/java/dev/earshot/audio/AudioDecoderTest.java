package dev.earshot.audio;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class AudioDecoderTest {

    static byte[] wav(int tag, int channels, int rate, int bits, byte[] data, boolean listChunk) {
        int extra = listChunk ? 8 + 6 : 0;
        ByteBuffer b = ByteBuffer.allocate(44 + extra + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + extra + data.length).put("WAVE".getBytes());
        b.put("fmt ".getBytes())
                .putInt(16)
                .putShort((short) tag)
                .putShort((short) channels)
                .putInt(rate)
                .putInt(rate * channels * bits / 8)
                .putShort((short) (channels * bits / 8))
                .putShort((short) bits);
        if (listChunk) {
            b.put("LIST".getBytes()).putInt(6).put(new byte[6]);
        }
        b.put("data".getBytes()).putInt(data.length).put(data);
        return b.array();
    }

    @Test
    void wavHeaderIsReadAndStrippedEvenWithOtherChunks() throws Exception {
        byte[] data = {1, 0, 2, 0, 3, 0};
        AudioDecoder decoder = new AudioDecoder(new AudioFormat(AudioFormat.Encoding.UNSPECIFIED, 0, 0));
        short[] out = decoder.decode(wav(1, 1, 16000, 16, data, true));
        assertArrayEquals(new short[] {1, 2, 3}, out);
        assertEquals(new AudioFormat(AudioFormat.Encoding.LINEAR_PCM, 16000, 1), decoder.format());
    }

    @Test
    void samplesSplitAcrossChunksAreJoined() throws Exception {
        AudioDecoder decoder = new AudioDecoder(new AudioFormat(AudioFormat.Encoding.LINEAR_PCM, 16000, 1));
        assertArrayEquals(new short[] {0x0201}, decoder.decode(new byte[] {1, 2, 3}));
        assertArrayEquals(new short[] {0x0403, 0x0605}, decoder.decode(new byte[] {4, 5, 6}));
        assertArrayEquals(new short[0], decoder.decode(new byte[0]));
    }

    /** A gRPC message's audio is read where it lies: a window into a larger array, read-only. */
    @Test
    void aBufferWindowDecodesLikeTheSameBytesAsAnArrayAndIsNotConsumed() throws Exception {
        byte[] around = {9, 9, 9, 1, 0, 2, 0, 3, 0, 4, 9, 9};
        ByteBuffer window = ByteBuffer.wrap(around, 3, 7).asReadOnlyBuffer(); // position 3, limit 10
        AudioDecoder fromBuffer = new AudioDecoder(new AudioFormat(AudioFormat.Encoding.LINEAR_PCM, 16000, 1));
        AudioDecoder fromArray = new AudioDecoder(new AudioFormat(AudioFormat.Encoding.LINEAR_PCM, 16000, 1));

        assertArrayEquals(fromArray.decode(new byte[] {1, 0, 2, 0, 3, 0, 4}), fromBuffer.decode(window));
        assertEquals(3, window.position(), "the caller's buffer is left as it was");
        // the odd byte (4) waits for the next chunk in both
        assertArrayEquals(new short[] {0x0504}, fromBuffer.decode(ByteBuffer.wrap(new byte[] {5})));
        AudioDecoder wavInBuffer = new AudioDecoder(new AudioFormat(AudioFormat.Encoding.UNSPECIFIED, 0, 0));
        byte[] wav = wav(1, 1, 16000, 16, new byte[] {1, 0, 2, 0}, false);
        byte[] padded = new byte[wav.length + 5];
        System.arraycopy(wav, 0, padded, 5, wav.length);
        assertArrayEquals(
                new short[] {1, 2},
                wavInBuffer.decode(ByteBuffer.wrap(padded, 5, wav.length).slice()));
    }

    @Test
    void mulawWavHeaderSelectsTheG711Decoder() throws Exception {
        AudioDecoder decoder = new AudioDecoder(new AudioFormat(AudioFormat.Encoding.UNSPECIFIED, 0, 0));
        short[] out = decoder.decode(wav(7, 1, 16000, 8, new byte[] {(byte) 0xFF, (byte) 0x80}, false));
        assertArrayEquals(new short[] {0, 32124}, out);
    }

    @Test
    void badFormatsAreRefusedWithAMessageNamingTheProblem() {
        assertTrue(assertThrows(
                        AudioFormatException.class,
                        () -> new AudioDecoder(new AudioFormat(AudioFormat.Encoding.LINEAR_PCM, 0, 1)))
                .getMessage()
                .contains("sample_rate_hertz"));
        assertTrue(assertThrows(
                        AudioFormatException.class,
                        () -> new AudioDecoder(new AudioFormat(AudioFormat.Encoding.LINEAR_PCM, 16000, 2)))
                .getMessage()
                .contains("mono"));
        assertTrue(assertThrows(
                        AudioFormatException.class,
                        () -> new AudioDecoder(new AudioFormat(AudioFormat.Encoding.UNSPECIFIED, 0, 0))
                                .decode(new byte[100]))
                .getMessage()
                .contains("WAV header"));
        assertTrue(assertThrows(
                        AudioFormatException.class,
                        () -> new AudioDecoder(new AudioFormat(AudioFormat.Encoding.UNSPECIFIED, 0, 0))
                                .decode(wav(3, 1, 16000, 32, new byte[4], false)))
                .getMessage()
                .contains("format tag 3"));
        assertTrue(assertThrows(
                        AudioFormatException.class,
                        () -> new AudioDecoder(new AudioFormat(AudioFormat.Encoding.UNSPECIFIED, 0, 0))
                                .decode(java.util.Arrays.copyOf(wav(1, 1, 16000, 16, new byte[0], false), 30)))
                .getMessage()
                .contains("incomplete"));
    }

    @Test
    void mulawAt8kHzDecodesToTheBandLimitedSignalWithin30Db() throws Exception {
        // a speech-band signal: three tones under 3.4 kHz, 16 kHz, one second
        short[] original = new short[16000];
        for (int i = 0; i < original.length; i++) {
            double t = i / 16000.0;
            original[i] = (short) (6000 * Math.sin(2 * Math.PI * 300 * t)
                    + 4000 * Math.sin(2 * Math.PI * 1200 * t)
                    + 2000 * Math.sin(2 * Math.PI * 2900 * t));
        }
        byte[] ulaw = dev.earshot.testing.Telephone.mulaw8k(original);
        AudioDecoder decoder = new AudioDecoder(new AudioFormat(AudioFormat.Encoding.MULAW, 8000, 1));
        short[] first = decoder.decode(java.util.Arrays.copyOf(ulaw, 3000));
        short[] second = decoder.decode(java.util.Arrays.copyOfRange(ulaw, 3000, ulaw.length));
        short[] rest = decoder.finish();
        short[] decoded = new short[first.length + second.length + rest.length];
        System.arraycopy(first, 0, decoded, 0, first.length);
        System.arraycopy(second, 0, decoded, first.length, second.length);
        System.arraycopy(rest, 0, decoded, first.length + second.length, rest.length);
        assertEquals(original.length, decoded.length, 4);
        double signal = 0;
        double noise = 0;
        for (int i = 1000; i < 15000; i++) { // away from the edges
            signal += (double) original[i] * original[i];
            noise += Math.pow(original[i] - decoded[i], 2);
        }
        double snr = 10 * Math.log10(signal / noise);
        assertTrue(snr > 30, "SNR " + snr + " dB");
    }

    @Test
    void telephonyDefaultsTo8kHzAndIsResampledTo16k() throws Exception {
        AudioDecoder decoder = new AudioDecoder(new AudioFormat(AudioFormat.Encoding.ALAW, 0, 0));
        assertEquals(8000, decoder.format().sampleRateHertz());
        int produced = decoder.decode(new byte[8000]).length + decoder.finish().length;
        assertEquals(16000, produced, 2);
    }
}
