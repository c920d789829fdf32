package dev.earshot.audio;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A RIFF/WAVE header found at the start of an audio stream. Riva's own Python clients stream a
 * WAV file's raw bytes, header included, without setting an encoding; the C++ client sets the
 * encoding and still sends the header. Either way the header is parsed for the format and
 * stripped, so the recognizer sees samples only.
 *
 * @param format     the audio format the header declares
 * @param dataOffset where the samples start (just past the {@code data} chunk header)
 */
public record WavHeader(AudioFormat format, int dataOffset) {

    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_ALAW = 6;
    private static final int FORMAT_MULAW = 7;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    /** Whether these bytes begin with a RIFF/WAVE signature. */
    public static boolean startsWithWav(byte[] bytes) {
        return bytes.length >= 12
                && bytes[0] == 'R'
                && bytes[1] == 'I'
                && bytes[2] == 'F'
                && bytes[3] == 'F'
                && bytes[8] == 'W'
                && bytes[9] == 'A'
                && bytes[10] == 'V'
                && bytes[11] == 'E';
    }

    /**
     * Parses the header at the start of {@code bytes}. The whole header (up to the start of the
     * {@code data} chunk) must be within these bytes.
     *
     * @throws AudioFormatException when the header is malformed, incomplete or declares audio
     *                              that cannot be decoded
     */
    public static WavHeader parse(byte[] bytes) throws AudioFormatException {
        if (!startsWithWav(bytes)) {
            throw new AudioFormatException("audio does not start with a RIFF/WAVE header");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        AudioFormat format = null;
        while (pos + 8 <= bytes.length) {
            String id = new String(bytes, pos, 4, java.nio.charset.StandardCharsets.US_ASCII);
            long size = Integer.toUnsignedLong(buf.getInt(pos + 4));
            int body = pos + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + 16 > bytes.length) {
                    throw new AudioFormatException("WAV header is incomplete: the fmt chunk is cut short");
                }
                format = parseFmt(buf, body, size);
            } else if (id.equals("data")) {
                if (format == null) {
                    throw new AudioFormatException("WAV data chunk comes before the fmt chunk");
                }
                return new WavHeader(format, body);
            }
            long next = body + size + (size & 1);
            if (next > Integer.MAX_VALUE) {
                break;
            }
            pos = (int) next;
        }
        throw new AudioFormatException(
                "WAV header is incomplete: no data chunk in the first " + bytes.length + " bytes of audio");
    }

    private static AudioFormat parseFmt(ByteBuffer buf, int at, long size) throws AudioFormatException {
        int tag = Short.toUnsignedInt(buf.getShort(at));
        int channels = Short.toUnsignedInt(buf.getShort(at + 2));
        int rate = buf.getInt(at + 4);
        int bits = Short.toUnsignedInt(buf.getShort(at + 14));
        if (tag == FORMAT_EXTENSIBLE && size >= 40 && at + 26 <= buf.limit()) {
            tag = Short.toUnsignedInt(buf.getShort(at + 24)); // first two bytes of the sub-format GUID
        }
        AudioFormat.Encoding encoding = switch (tag) {
            case FORMAT_PCM -> AudioFormat.Encoding.LINEAR_PCM;
            case FORMAT_MULAW -> AudioFormat.Encoding.MULAW;
            case FORMAT_ALAW -> AudioFormat.Encoding.ALAW;
            default ->
                throw new AudioFormatException(
                        "WAV format tag " + tag + " is not supported; use 16-bit PCM, mu-law or A-law");
        };
        int expectedBits = encoding == AudioFormat.Encoding.LINEAR_PCM ? 16 : 8;
        if (bits != expectedBits) {
            throw new AudioFormatException(
                    "WAV " + encoding + " audio must have " + expectedBits + " bits per sample, got " + bits);
        }
        return new AudioFormat(encoding, rate, channels);
    }
}
