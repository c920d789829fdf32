package dev.earshot.http;

import io.helidon.config.Config;

/**
 * Limits of the REST transcription endpoint ({@code rest.*}). Together they bound what uploads
 * can hold of the heap: at most {@code maxConcurrent × maxBytes} of audio at once, however many
 * clients send and however large their bodies are.
 *
 * @param maxBytes      largest request body; a larger one is refused with 413 as soon as the
 *                      limit is crossed, while it streams in ({@code rest.max-bytes})
 * @param maxConcurrent recognitions at once; one more is refused with 429 before its body is read
 *                      ({@code rest.max-concurrent})
 */
public record RestSettings(long maxBytes, int maxConcurrent) {
    /** 64 MiB: about 35 minutes of 16 kHz 16-bit mono audio. */
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    /**
     * Eight at once: enough to keep a replica's decoders busy (the embedded recognizer runs one
     * decoder per core by default), few enough that eight full uploads (512 MiB) fit a gateway's heap.
     */
    public static final int DEFAULT_MAX_CONCURRENT = 8;

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
                rest.get("max-concurrent").asInt().orElse(DEFAULT_MAX_CONCURRENT));
    }

    /** The documented defaults (README, application.yaml, docs/security.md). */
    public static RestSettings defaults() {
        return new RestSettings(DEFAULT_MAX_BYTES, DEFAULT_MAX_CONCURRENT);
    }
}
