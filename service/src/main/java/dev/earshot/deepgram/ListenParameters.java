package dev.earshot.deepgram;

import dev.earshot.protocol.SessionConfig;
import io.helidon.common.uri.UriQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a listen request's query parameters into {@link ListenOptions}, the way Deepgram reads
 * them: each parameter is checked, and a value Deepgram would refuse is refused with the
 * parameter named ({@link ListenRequestException}, answered as 400). Every parameter Deepgram
 * documents has one of three fates here (docs/deepgram.md has the table): honoured, mapped onto
 * what Riva has; accepted but not honoured, with a warning in {@code Metadata} (formatting and
 * analysis Riva does not do, where a client still gets a usable transcript without it); or
 * refused, where going on without it would break the client's expectation (redaction, a callback
 * that would never come, several channels). Unknown parameters are accepted with a warning, so a
 * client built for a newer Deepgram still connects.
 */
public final class ListenParameters {
    private static final Pattern LANGUAGE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*");
    private static final float KEYTERM_BOOST = 10f;
    private static final float KEYWORD_BOOST = 5f;

    /** Accepted, not honoured: the transcript is still right without them. */
    private static final Map<String, String> IGNORED = ignored();

    /** Refused unless off: Earshot cannot do them and going on without them would mislead. */
    private static final Map<String, String> REFUSED_UNLESS_FALSE = Map.of(
            "redact", "redaction is not supported by Earshot",
            "detect_language", "language detection is not supported by Earshot; set language",
            "multichannel", "only one channel is supported by Earshot",
            "summarize", "summaries are not supported by Earshot",
            "topics", "topic detection is not supported by Earshot",
            "intents", "intent recognition is not supported by Earshot",
            "sentiment", "sentiment analysis is not supported by Earshot");

    /** Refused whenever present. */
    private static final Map<String, String> REFUSED = Map.of(
            "callback", "callbacks are not supported by Earshot: results come back on this connection",
            "callback_method", "callbacks are not supported by Earshot: results come back on this connection",
            "search", "search is not supported by Earshot",
            "replace", "find-and-replace is not supported by Earshot",
            "custom_topic", "topic detection is not supported by Earshot",
            "custom_intent", "intent recognition is not supported by Earshot");

    /** Parameters read below. */
    private static final Set<String> KNOWN = Set.of(
            "model",
            "language",
            "encoding",
            "sample_rate",
            "channels",
            "interim_results",
            "punctuate",
            "smart_format",
            "profanity_filter",
            "keywords",
            "keyterm",
            "endpointing",
            "utterance_end_ms",
            "vad_events",
            "tag",
            "extra",
            "utterances",
            "mip_opt_out",
            "version");

    private ListenParameters() {}

    private static Map<String, String> ignored() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("diarize", "speaker labels are not supported by Earshot; words have no speaker");
        m.put("diarize_model", "speaker labels are not supported by Earshot");
        m.put("numerals", "numbers are written as Riva writes them");
        m.put("dictation", "spoken punctuation is not converted");
        m.put("filler_words", "filler words are kept or dropped as Riva does");
        m.put("measurements", "measurements are written as Riva writes them");
        m.put("paragraphs", "paragraphs are not supported by Earshot");
        m.put("detect_entities", "entity detection is not supported by Earshot");
        m.put("detect_topics", "topic detection is not supported by Earshot");
        m.put("alternatives", "one alternative is sent");
        m.put("utt_split", "utterances are split where Riva's endpointing splits them");
        m.put("no_delay", "results are sent as soon as Riva sends them");
        return Map.copyOf(m);
    }

    /** Reads a request's query ({@code UriQuery} as Helidon parsed it). */
    public static ListenOptions parse(UriQuery query, DeepgramModels models) throws ListenRequestException {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (String name : query.names()) {
            map.put(name, query.all(name));
        }
        return parse(map, models);
    }

    /** Reads query parameters: each name with its values in order. */
    public static ListenOptions parse(Map<String, List<String>> query, DeepgramModels models)
            throws ListenRequestException {
        List<ListenOptions.Warning> warnings = new ArrayList<>();
        for (String name : query.keySet()) {
            String refused = REFUSED.get(name);
            if (refused != null) {
                throw new ListenRequestException("Unsupported parameter `" + name + "`: " + refused + ".");
            }
            String unlessFalse = REFUSED_UNLESS_FALSE.get(name);
            if (unlessFalse != null && !last(query, name).equalsIgnoreCase("false")) {
                throw new ListenRequestException("Unsupported parameter `" + name + "`: " + unlessFalse + ".");
            }
            String ignored = IGNORED.get(name);
            if (ignored != null) {
                warnings.add(new ListenOptions.Warning(name, ignored));
            } else if (!KNOWN.contains(name) && unlessFalse == null) {
                warnings.add(new ListenOptions.Warning(name, "unknown parameter, ignored"));
            }
        }

        String model = query.containsKey("model") ? last(query, "model") : "";
        String rivaModel = "";
        if (!model.isEmpty()) {
            rivaModel = models.riva(model)
                    .orElseThrow(
                            () -> new ListenRequestException("No such model/language/tier combination found: model `"
                                    + model + "` is not in deepgram.models."));
        }
        String language = language(query.containsKey("language") ? last(query, "language") : "en");

        String encoding = encoding(query);
        int sampleRate = sampleRate(query, encoding);
        if (query.containsKey("channels")) {
            int channels = integer(query, "channels", 1, 1);
            if (channels != 1) {
                throw new ListenRequestException("Unsupported parameter `channels`: only mono audio is supported.");
            }
        }

        boolean interim = bool(query, "interim_results", false);
        boolean punctuate = bool(query, "punctuate", false) | bool(query, "smart_format", false);
        boolean profanity = bool(query, "profanity_filter", false);
        boolean vadEvents = bool(query, "vad_events", false);
        int utteranceEndMs = query.containsKey("utterance_end_ms") ? integer(query, "utterance_end_ms", 1, 60_000) : 0;
        bool(query, "utterances", false); // checked; pre-recorded reads it
        bool(query, "mip_opt_out", false);

        Map<String, Number> endpointing = Map.of();
        boolean speechFinal = true;
        if (query.containsKey("endpointing")) {
            String value = last(query, "endpointing");
            if (value.equalsIgnoreCase("false")) {
                speechFinal = false;
            } else if (!value.equalsIgnoreCase("true")) {
                int ms = integer(query, "endpointing", 0, 60_000);
                endpointing = Map.of("stop_history", ms);
            }
        }

        List<SessionConfig.Context> contexts = new ArrayList<>();
        List<String> keyterms = query.getOrDefault("keyterm", List.of());
        if (!keyterms.isEmpty()) {
            contexts.add(new SessionConfig.Context(List.copyOf(keyterms), KEYTERM_BOOST));
        }
        for (String keyword : query.getOrDefault("keywords", List.of())) {
            contexts.add(keyword(keyword));
        }

        Map<String, String> extra = new LinkedHashMap<>();
        for (String e : query.getOrDefault("extra", List.of())) {
            int colon = e.indexOf(':');
            if (colon <= 0) {
                throw new ListenRequestException("Invalid parameter `extra`: expected key:value, got `" + e + "`.");
            }
            extra.put(e.substring(0, colon), e.substring(colon + 1));
        }

        boolean rivaInterims = interim || vadEvents || utteranceEndMs > 0; // they are made from interims
        SessionConfig session = new SessionConfig(
                language,
                encoding,
                sampleRate,
                1,
                punctuate,
                rivaInterims,
                1,
                true,
                profanity,
                rivaModel,
                List.copyOf(contexts),
                endpointing,
                Map.of());
        return new ListenOptions(
                session,
                model,
                interim,
                speechFinal,
                utteranceEndMs,
                vadEvents,
                Map.copyOf(extra),
                List.copyOf(warnings));
    }

    /** Deepgram's {@code en} is Riva's {@code en-US}; other tags go to Riva as given. */
    private static String language(String value) throws ListenRequestException {
        if (!LANGUAGE.matcher(value).matches()) {
            throw new ListenRequestException("Invalid parameter `language`: `" + value + "` is not a language tag.");
        }
        return value.equalsIgnoreCase("en") || value.equalsIgnoreCase("en-us") ? "en-US" : value;
    }

    /** {@code linear16}, {@code mulaw}, {@code alaw}, {@code flac}, {@code opus}; absent: a container (WAV) read from the audio. */
    private static String encoding(Map<String, List<String>> query) throws ListenRequestException {
        if (!query.containsKey("encoding")) {
            return "ENCODING_UNSPECIFIED";
        }
        String value = last(query, "encoding");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "linear16" -> "LINEAR_PCM";
            case "mulaw" -> "MULAW";
            case "alaw" -> "ALAW";
            case "flac" -> "FLAC";
            case "opus", "ogg-opus" -> "OGGOPUS";
            default ->
                throw new ListenRequestException("Invalid parameter `encoding`: `" + value
                        + "` is not supported by Earshot; use linear16, mulaw, alaw, flac or opus.");
        };
    }

    private static int sampleRate(Map<String, List<String>> query, String encoding) throws ListenRequestException {
        if (query.containsKey("sample_rate")) {
            return integer(query, "sample_rate", 8000, 48000);
        }
        return switch (encoding) {
            case "LINEAR_PCM" ->
                throw new ListenRequestException(
                        "Missing parameter `sample_rate`: it is required with encoding=linear16.");
            case "MULAW", "ALAW" -> 8000;
            default -> 16000;
        };
    }

    /** {@code word:boost} (boost optional, may be negative). */
    private static SessionConfig.Context keyword(String keyword) throws ListenRequestException {
        int colon = keyword.lastIndexOf(':');
        if (colon < 0) {
            return new SessionConfig.Context(List.of(keyword), KEYWORD_BOOST);
        }
        try {
            return new SessionConfig.Context(
                    List.of(keyword.substring(0, colon)), Float.parseFloat(keyword.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw new ListenRequestException(
                    "Invalid parameter `keywords`: expected word:boost, got `" + keyword + "`.");
        }
    }

    private static String last(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? "" : values.getLast();
    }

    private static boolean bool(Map<String, List<String>> query, String name, boolean fallback)
            throws ListenRequestException {
        if (!query.containsKey(name)) {
            return fallback;
        }
        String value = last(query, name);
        if (value.equalsIgnoreCase("true") || value.isEmpty()) {
            return true;
        }
        if (value.equalsIgnoreCase("false")) {
            return false;
        }
        throw new ListenRequestException(
                "Invalid parameter `" + name + "`: expected true or false, got `" + value + "`.");
    }

    private static int integer(Map<String, List<String>> query, String name, int min, int max)
            throws ListenRequestException {
        String value = last(query, name);
        try {
            int v = Integer.parseInt(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new ListenRequestException("Invalid parameter `" + name + "`: expected a whole number from " + min
                + " to " + max + ", got `" + value + "`.");
    }
}
