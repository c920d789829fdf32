package dev.earshot.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import nvidia.riva.RivaAudio.AudioEncoding;

/**
 * The {@code config} of a {@code start_transcription} message, defaults filled in and checked.
 * Unknown keys are ignored, so that newer clients work with older servers. What Riva is asked
 * for is built from it in {@code riva.RivaRequests}.
 *
 * @param language            BCP-47 language tag
 * @param encoding            a Riva {@code AudioEncoding} name
 * @param sampleRateHertz     sample rate of the audio
 * @param audioChannelCount   channels (mono only)
 * @param punctuation         automatic punctuation
 * @param interimResults      send interim results
 * @param maxAlternatives     alternatives per result, 1..10
 * @param wordTimeOffsets     word timings on finals
 * @param profanityFilter     mask profanities
 * @param model               Riva model name, or empty for the server's choice
 * @param speechContexts      phrase boosting
 * @param endpointing         Riva endpointing fields by name (only those given)
 * @param customConfiguration model-specific options passed to Riva as is
 */
public record SessionConfig(
        String language,
        String encoding,
        int sampleRateHertz,
        int audioChannelCount,
        boolean punctuation,
        boolean interimResults,
        int maxAlternatives,
        boolean wordTimeOffsets,
        boolean profanityFilter,
        String model,
        List<Context> speechContexts,
        Map<String, Number> endpointing,
        Map<String, String> customConfiguration) {

    /** Lowest {@code sample_rate_hertz} accepted, here and by the REST API. */
    public static final int MIN_SAMPLE_RATE = 8000;
    /** Highest {@code sample_rate_hertz} accepted, here and by the REST API. */
    public static final int MAX_SAMPLE_RATE = 48000;

    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*");
    private static final List<String> ENDPOINTING_INT = List.of("start_history", "stop_history", "stop_history_eou");
    private static final List<String> ENDPOINTING_FLOAT =
            List.of("start_threshold", "stop_threshold", "stop_threshold_eou");

    /**
     * A phrase-boosting context.
     *
     * @param phrases words or phrases to favour
     * @param boost   weight (Riva suggests 0..20)
     */
    public record Context(List<String> phrases, float boost) {}

    /** The defaults: en-US, 16 kHz 16-bit mono PCM, punctuation and interim results on. */
    public static SessionConfig defaults() {
        return new SessionConfig(
                "en-US", "LINEAR_PCM", 16000, 1, true, true, 1, false, false, "", List.of(), Map.of(), Map.of());
    }

    /**
     * Reads a config object; absent keys take the defaults.
     *
     * @throws ProtocolException {@code invalid_config} naming the field that is wrong
     */
    public static SessionConfig parse(JsonNode node) throws ProtocolException {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return defaults();
        }
        if (!node.isObject()) {
            throw invalid("config must be an object");
        }
        SessionConfig d = defaults();
        String language = text(node, "language", d.language());
        if (!isLanguageTag(language)) {
            throw invalid("language must be a BCP-47 tag such as en-US, got \"" + language + "\"");
        }
        String encoding = text(node, "encoding", d.encoding()).toUpperCase(Locale.ROOT);
        AudioEncoding riva;
        try {
            riva = AudioEncoding.valueOf(encoding);
        } catch (IllegalArgumentException e) {
            throw invalid("encoding must be LINEAR_PCM, MULAW, ALAW, FLAC, OGGOPUS or ENCODING_UNSPECIFIED, got \""
                    + encoding + "\"");
        }
        if (riva == AudioEncoding.UNRECOGNIZED) {
            throw invalid("encoding " + encoding + " is not known");
        }
        int rate = integer(node, "sample_rate_hertz", d.sampleRateHertz(), MIN_SAMPLE_RATE, MAX_SAMPLE_RATE);
        int channels = integer(node, "audio_channel_count", 1, 1, 1);
        int alternatives = integer(node, "max_alternatives", 1, 0, 10);
        return new SessionConfig(
                language,
                encoding,
                rate,
                channels,
                bool(node, "enable_automatic_punctuation", d.punctuation()),
                bool(node, "enable_interim_results", d.interimResults()),
                Math.max(1, alternatives),
                bool(node, "enable_word_time_offsets", d.wordTimeOffsets()),
                bool(node, "profanity_filter", d.profanityFilter()),
                text(node, "model", d.model()),
                contexts(node.get("speech_contexts")),
                endpointing(node.get("endpointing")),
                custom(node.get("custom_configuration")));
    }

    /** Whether {@code language} has the shape of a BCP-47 tag (en-US, de, zh-Hant-TW): the same rule for sessions and REST. */
    public static boolean isLanguageTag(String language) {
        return LANGUAGE.matcher(language).matches();
    }

    /** Audio bytes per second in this encoding, for sizing the session's buffer. */
    public int bytesPerSecond() {
        int width = switch (encoding) {
            case "MULAW", "ALAW" -> 1;
            default -> 2;
        };
        return sampleRateHertz * audioChannelCount * width;
    }

    /**
     * Bytes of one sample of every channel, where audio can be cut at any such boundary and each
     * part still decodes on its own (a new Riva stream may start there); 0 for encodings that
     * cannot be cut anywhere (FLAC, Opus, or a WAV header Riva must read first).
     */
    public int bytesPerFrame() {
        return switch (encoding) {
            case "LINEAR_PCM" -> 2 * audioChannelCount;
            case "MULAW", "ALAW" -> audioChannelCount;
            default -> 0;
        };
    }

    private static ProtocolException invalid(String message) {
        return new ProtocolException(ErrorCode.INVALID_CONFIG, message);
    }

    private static String text(JsonNode node, String key, String fallback) throws ProtocolException {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isTextual()) {
            throw invalid(key + " must be a string");
        }
        return v.asText();
    }

    private static boolean bool(JsonNode node, String key, boolean fallback) throws ProtocolException {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.isBoolean()) {
            throw invalid(key + " must be true or false");
        }
        return v.asBoolean();
    }

    private static int integer(JsonNode node, String key, int fallback, int min, int max) throws ProtocolException {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() < min || v.asInt() > max) {
            throw invalid(key + " must be a whole number from " + min + " to " + max + ", got " + v);
        }
        return v.asInt();
    }

    private static List<Context> contexts(JsonNode node) throws ProtocolException {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid("speech_contexts must be an array of {\"phrases\": [...], \"boost\": n}");
        }
        List<Context> contexts = new ArrayList<>();
        for (JsonNode c : node) {
            JsonNode phrases = c.get("phrases");
            if (!c.isObject() || phrases == null || !phrases.isArray()) {
                throw invalid("each speech context needs a \"phrases\" array");
            }
            List<String> list = new ArrayList<>();
            for (JsonNode p : phrases) {
                if (!p.isTextual()) {
                    throw invalid("speech context phrases must be strings");
                }
                list.add(p.asText());
            }
            JsonNode boost = c.get("boost");
            if (boost != null && !boost.isNumber()) {
                throw invalid("speech context boost must be a number");
            }
            contexts.add(new Context(List.copyOf(list), boost == null ? 0f : boost.floatValue()));
        }
        return List.copyOf(contexts);
    }

    private static Map<String, Number> endpointing(JsonNode node) throws ProtocolException {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw invalid("endpointing must be an object");
        }
        Map<String, Number> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (ENDPOINTING_INT.contains(f.getKey())) {
                if (!f.getValue().isIntegralNumber() || f.getValue().asInt() < 0) {
                    throw invalid("endpointing." + f.getKey() + " must be a whole number of milliseconds");
                }
                fields.put(f.getKey(), f.getValue().asInt());
            } else if (ENDPOINTING_FLOAT.contains(f.getKey())) {
                double v = f.getValue().asDouble(-1);
                if (!f.getValue().isNumber() || v < 0 || v > 1) {
                    throw invalid("endpointing." + f.getKey() + " must be a fraction from 0 to 1");
                }
                fields.put(f.getKey(), (float) v);
            } else {
                throw invalid("endpointing." + f.getKey() + " is not a Riva endpointing field");
            }
        }
        return Map.copyOf(fields);
    }

    private static Map<String, String> custom(JsonNode node) throws ProtocolException {
        if (node == null || node.isNull()) {
            return Map.of();
        }
        if (!node.isObject()) {
            throw invalid("custom_configuration must be an object of strings");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (!f.getValue().isValueNode()) {
                throw invalid("custom_configuration." + f.getKey() + " must be a string");
            }
            map.put(f.getKey(), f.getValue().asText());
        }
        return Map.copyOf(map);
    }
}
