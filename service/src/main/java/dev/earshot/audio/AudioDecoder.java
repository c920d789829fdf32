package dev.earshot.audio;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Turns one stream's audio chunks, in the format the client declared, into the 16 kHz 16-bit
 * mono samples the recognizer consumes: strips a WAV header at the start (reading the format from
 * it when none was declared), expands G.711, joins 16-bit samples split across chunks, and
 * resamples. One instance per stream; not thread-safe.
 */
public final class AudioDecoder {
    private final AudioFormat declared;
    private AudioFormat format;
    private Resampler resampler;
    private boolean first = true;
    private int pendingByte = -1;

    /**
     * @param declared the format from the client's configuration
     * @throws AudioFormatException if the declared format can already be seen to be unusable
     */
    public AudioDecoder(AudioFormat declared) throws AudioFormatException {
        this.declared = declared;
        if (declared.encoding() != AudioFormat.Encoding.UNSPECIFIED) {
            use(declared.validated());
        }
    }

    /** The resolved input format, or null until the first chunk of a header-described stream. */
    public AudioFormat format() {
        return format;
    }

    /**
     * Decodes the next chunk.
     *
     * @return 16 kHz mono samples (possibly none)
     * @throws AudioFormatException when the first chunk's WAV header is missing, malformed or
     *                              contradicts the declared format
     */
    public short[] decode(byte[] chunk) throws AudioFormatException {
        return decode(ByteBuffer.wrap(chunk));
    }

    /**
     * As {@link #decode(byte[])}, reading the chunk's remaining bytes where they lie (a gRPC
     * message's audio, without copying it first). The buffer's position is not moved.
     */
    public short[] decode(ByteBuffer chunk) throws AudioFormatException {
        int offset = 0;
        if (first) {
            first = false;
            byte[] head = new byte[chunk.remaining()]; // once per stream: the header parser wants an array
            chunk.get(chunk.position(), head);
            if (WavHeader.startsWithWav(head)) {
                WavHeader header = WavHeader.parse(head);
                checkAgreement(header.format());
                use(header.format().validated());
                offset = header.dataOffset();
            } else if (format == null) {
                declared.validated(); // throws: UNSPECIFIED with no header
            }
        }
        short[] samples = toSamples(chunk, chunk.position() + offset);
        return resampler == null ? samples : resampler.process(samples);
    }

    /** Ends the stream: returns the samples still held by the resampler. */
    public short[] finish() {
        return resampler == null ? new short[0] : resampler.flush();
    }

    private void use(AudioFormat resolved) {
        this.format = resolved;
        this.resampler = resolved.sampleRateHertz() == AudioFormat.MODEL_RATE
                ? null
                : new Resampler(resolved.sampleRateHertz(), AudioFormat.MODEL_RATE);
    }

    private void checkAgreement(AudioFormat header) throws AudioFormatException {
        if (declared.encoding() != AudioFormat.Encoding.UNSPECIFIED && declared.encoding() != header.encoding()) {
            throw new AudioFormatException("config format doesn't match with header format: encoding "
                    + declared.encoding() + " in the config, " + header.encoding()
                    + " in the WAV header");
        }
        if (declared.sampleRateHertz() != 0 && declared.sampleRateHertz() != header.sampleRateHertz()) {
            throw new AudioFormatException("config format doesn't match with header format: sample_rate_hertz "
                    + declared.sampleRateHertz() + " in the config, "
                    + header.sampleRateHertz() + " in the WAV header");
        }
    }

    /** The samples in {@code chunk} from the absolute index {@code from} to its limit. */
    private short[] toSamples(ByteBuffer chunk, int from) {
        int end = chunk.limit();
        return switch (format.encoding()) {
            case LINEAR_PCM -> pcm16(chunk, from, end);
            case MULAW -> {
                short[] out = new short[end - from];
                for (int i = 0; i < out.length; i++) {
                    out[i] = G711.ulaw(chunk.get(from + i));
                }
                yield out;
            }
            case ALAW -> {
                short[] out = new short[end - from];
                for (int i = 0; i < out.length; i++) {
                    out[i] = G711.alaw(chunk.get(from + i));
                }
                yield out;
            }
            case UNSPECIFIED -> throw new IllegalStateException("format not resolved");
        };
    }

    /** Little-endian 16-bit samples; an odd byte at the end waits for the next chunk. */
    private short[] pcm16(ByteBuffer chunk, int from, int end) {
        int available = end - from + (pendingByte >= 0 ? 1 : 0);
        short[] out = new short[available / 2];
        int i = from;
        int n = 0;
        if (pendingByte >= 0 && out.length > 0) {
            out[n++] = (short) ((chunk.get(i++) << 8) | pendingByte);
            pendingByte = -1;
        }
        for (; n < out.length; n++, i += 2) {
            out[n] = (short) ((chunk.get(i + 1) << 8) | (chunk.get(i) & 0xFF));
        }
        if (i < end) {
            pendingByte = chunk.get(i) & 0xFF;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }
}
