package dev.earshot.http;

import io.helidon.config.Config;
import java.util.OptionalInt;

/**
 * Limits of the REST transcription endpoint ({@code rest.*}). Together they bound what uploads
 * can hold of the heap: at most {@code maxConcurrent × maxBytes} of audio at once, however many
 * clients send and however large their bodies are.
 *
 * @param maxBytes      largest request body; a larger one is refused with 413 as soon as the
 *                      limit is crossed, while it streams in ({@code rest.max-bytes})
 * @param maxConcurrent recognitions at once; one more is refused with 429 before its body is read
 *                      ({@code rest.max-concurrent})
 * @param maxConcurrentSet whether {@code rest.max-concurrent} was configured; if not, a gateway in
 *                      front of its embedded Sphinx4 recognizer takes the decoder count ({@link #forDecoders})
 */
public record RestSettings(long maxBytes, int maxConcurrent, boolean maxConcurrentSet) {
    /** 64 MiB: about 35 minutes of 16 kHz 16-bit mono audio. */
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    /**
     * Eight at once in front of a Riva elsewhere: few enough that eight full uploads (512 MiB) fit a
     * gateway's heap. In front of the embedded Sphinx4 recognizer the default is its decoder count.
     */
    public static final int DEFAULT_MAX_CONCURRENT = 8;

    /** With {@code rest.max-concurrent} as given. */
    public RestSettings(long maxBytes, int maxConcurrent) {
        this(maxBytes, maxConcurrent, true);
    }

    public RestSettings {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("rest.max-bytes must be at least 1");
        }
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("rest.max-concurrent must be at least 1");
        }
    }

    /** Reads {@code rest.*}; keys not given take the {@link #defaults()}. */
    public static RestSettings from(Config config) {
        Config rest = config.get("rest");
        return new RestSettings(
                rest.get("max-bytes").asLong().orElse(DEFAULT_MAX_BYTES),
                rest.get("max-concurrent").asInt().orElse(DEFAULT_MAX_CONCURRENT),
                rest.get("max-concurrent").exists());
    }

    /** The documented defaults (README, application.yaml, docs/security.md). */
    public static RestSettings defaults() {
        return new RestSettings(DEFAULT_MAX_BYTES, DEFAULT_MAX_CONCURRENT, false);
    }

    /**
     * The limits in front of an embedded recognizer with {@code decoders} decoders: unless
     * {@code rest.max-concurrent} was configured, one recognition per decoder, since one more would
     * only wait for a decoder (and be refused after {@code asr.queue-timeout}) while holding its
     * body in the heap.
     *
     * @param decoders the embedded recognizer's decoder count; empty without one, or when it has none
     */
    public RestSettings forDecoders(OptionalInt decoders) {
        if (maxConcurrentSet || decoders.isEmpty()) {
            return this;
        }
        return new RestSettings(maxBytes, decoders.getAsInt(), false);
    }
}
