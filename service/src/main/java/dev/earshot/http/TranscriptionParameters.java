package dev.earshot.http;

import dev.earshot.protocol.ErrorCode;
import dev.earshot.protocol.ProtocolException;
import dev.earshot.protocol.SessionConfig;
import dev.earshot.riva.RivaRequests;
import io.helidon.common.uri.UriQuery;
import java.util.Locale;
import java.util.Optional;
import nvidia.riva.RivaAudio.AudioEncoding;

/**
 * The query of {@code POST /api/v1/transcriptions}, checked before a byte of the body is read:
 * a value that cannot be used is refused with {@code invalid_config} and a message that names the
 * parameter, whether or not the body would have needed it. The rules are protocol v1's
 * ({@link SessionConfig}): a BCP-47 language, a Riva encoding name, a sample rate from 8 to 48 kHz.
 *
 * @param language        {@code language}, en-US when absent
 * @param wordTimeOffsets {@code word_time_offsets}: {@code true} or {@code false}, false when absent
 * @param encoding        {@code encoding}, upper-cased, when given
 * @param sampleRateHertz {@code sample_rate_hertz}, when given
 */
record TranscriptionParameters(
        String language, boolean wordTimeOffsets, Optional<AudioEncoding> encoding, Optional<Integer> sampleRateHertz) {

    /** Reads and checks the query. */
    static TranscriptionParameters from(UriQuery query) throws ProtocolException {
        String language = query.first("language").asOptional().orElse("en-US");
        if (!SessionConfig.isLanguageTag(language)) {
            throw invalid("language must be a BCP-47 tag such as en-US, got \"" + language + "\"");
        }
        return new TranscriptionParameters(language, wordTimeOffsets(query), encoding(query), sampleRate(query));
    }

    /**
     * The format of audio without a WAV header: it needs both {@code encoding} and
     * {@code sample_rate_hertz}.
     */
    RivaRequests.RawFormat rawFormat() throws ProtocolException {
        if (encoding.isEmpty() || sampleRateHertz.isEmpty()) {
            throw invalid("raw audio needs the encoding and sample_rate_hertz query parameters (or send a WAV file)");
        }
        return new RivaRequests.RawFormat(encoding.get(), sampleRateHertz.get());
    }

    private static boolean wordTimeOffsets(UriQuery query) throws ProtocolException {
        String given = query.first("word_time_offsets").asOptional().orElse("false");
        return switch (given.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid("word_time_offsets must be true or false, got \"" + given + "\"");
        };
    }

    private static Optional<AudioEncoding> encoding(UriQuery query) throws ProtocolException {
        Optional<String> given = query.first("encoding").asOptional().map(e -> e.toUpperCase(Locale.ROOT));
        if (given.isEmpty()) {
            return Optional.empty();
        }
        AudioEncoding riva;
        try {
            riva = AudioEncoding.valueOf(given.get());
        } catch (IllegalArgumentException e) {
            riva = AudioEncoding.UNRECOGNIZED;
        }
        if (riva == AudioEncoding.UNRECOGNIZED) {
            throw invalid("encoding must be LINEAR_PCM, MULAW, ALAW, FLAC or OGGOPUS, got \"" + given.get() + "\"");
        }
        return Optional.of(riva);
    }

    private static Optional<Integer> sampleRate(UriQuery query) throws ProtocolException {
        Optional<String> given = query.first("sample_rate_hertz").asOptional();
        if (given.isEmpty()) {
            return Optional.empty();
        }
        int rate;
        try {
            rate = Integer.parseInt(given.get());
        } catch (NumberFormatException e) {
            rate = -1;
        }
        if (rate < SessionConfig.MIN_SAMPLE_RATE || rate > SessionConfig.MAX_SAMPLE_RATE) {
            throw invalid("sample_rate_hertz must be a whole number from " + SessionConfig.MIN_SAMPLE_RATE + " to "
                    + SessionConfig.MAX_SAMPLE_RATE + ", got \"" + given.get() + "\"");
        }
        return Optional.of(rate);
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID_CONFIG, message);
    }
}
