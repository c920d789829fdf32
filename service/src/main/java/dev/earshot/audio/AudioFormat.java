package dev.earshot.audio;

/**
 * What the client says its audio is. {@code sampleRateHertz} and {@code channels} may be 0
 * ("not said"); a WAV header at the start of the audio then fills them in.
 *
 * @param encoding        the sample encoding
 * @param sampleRateHertz samples per second, or 0 when not given
 * @param channels        channel count, or 0 when not given (means 1)
 */
public record AudioFormat(Encoding encoding, int sampleRateHertz, int channels) {

    /** The lowest sample rate accepted; below it speech is not intelligible to the model. */
    public static final int MIN_RATE = 8000;
    /** The highest sample rate accepted. */
    public static final int MAX_RATE = 48000;
    /** The rate the recognizer works at; everything else is resampled to it. */
    public static final int MODEL_RATE = 16000;

    /** Sample encodings the embedded recognizer decodes. */
    public enum Encoding {
        /** Not said: the audio must start with a WAV header that says. */
        UNSPECIFIED,
        /** 16-bit signed little-endian PCM. */
        LINEAR_PCM,
        /** 8-bit G.711 mu-law. */
        MULAW,
        /** 8-bit G.711 A-law. */
        ALAW
    }

    /** 16 kHz 16-bit mono PCM: what the recognizer consumes. */
    public static AudioFormat model() {
        return new AudioFormat(Encoding.LINEAR_PCM, MODEL_RATE, 1);
    }

    /** Bytes per sample of one channel. */
    public int bytesPerSample() {
        return encoding == Encoding.LINEAR_PCM ? 2 : 1;
    }

    /**
     * Checks that this format can be decoded, filling in the defaults: G.711 is 8 kHz unless said
     * otherwise, channels default to one.
     *
     * @return the complete format
     * @throws AudioFormatException naming what is wrong
     */
    public AudioFormat validated() throws AudioFormatException {
        if (encoding == Encoding.UNSPECIFIED) {
            throw new AudioFormatException("encoding is not specified and the audio does not start with a WAV header; "
                    + "set encoding to LINEAR_PCM, MULAW or ALAW, or send a WAV file");
        }
        int rate = sampleRateHertz;
        if (rate == 0 && encoding != Encoding.LINEAR_PCM) {
            rate = 8000;
        }
        if (rate < MIN_RATE || rate > MAX_RATE) {
            throw new AudioFormatException("sample_rate_hertz must be between " + MIN_RATE + " and " + MAX_RATE
                    + " for " + encoding + ", got " + sampleRateHertz);
        }
        int ch = channels == 0 ? 1 : channels;
        if (ch != 1) {
            throw new AudioFormatException("only mono audio is supported, got " + ch + " channels");
        }
        return new AudioFormat(encoding, rate, ch);
    }
}
