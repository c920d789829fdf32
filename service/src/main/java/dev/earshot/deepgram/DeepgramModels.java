package dev.earshot.deepgram;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Deepgram model names and the Riva model each one means ({@code deepgram.models}). By default
 * Deepgram's current names — {@code nova-3}, {@code nova-2}, {@code nova}, {@code enhanced},
 * {@code base}, each alone or with a domain such as {@code -general} or {@code -phonecall} — mean
 * the backend's default model (an empty Riva model name), so existing clients run unchanged.
 * Configured entries ({@code name=riva-model}, comma-separated) add names or send one to a
 * specific Riva model. Any other name is refused, as Deepgram refuses an unknown model, so a
 * typo is not silently served by some other model.
 */
public final class DeepgramModels {
    private static final List<String> FAMILIES = List.of("nova-3", "nova-2", "nova", "enhanced", "base");
    private static final List<String> DOMAINS = List.of(
            "general",
            "meeting",
            "phonecall",
            "voicemail",
            "finance",
            "conversationalai",
            "video",
            "medical",
            "drivethru",
            "automotive",
            "atc");

    private final Map<String, String> models;

    private DeepgramModels(Map<String, String> models) {
        this.models = Map.copyOf(models);
    }

    /** The default names only, each meaning the backend's default model. */
    public static DeepgramModels defaults() {
        return withEntries("");
    }

    /**
     * The defaults plus {@code entries}: {@code name=riva-model} pairs separated by commas; an
     * empty model after {@code =} means the backend's default.
     *
     * @throws IllegalArgumentException for an entry without {@code =} or without a name
     */
    public static DeepgramModels withEntries(String entries) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String family : FAMILIES) {
            map.put(family, "");
            for (String domain : DOMAINS) {
                map.put(family + "-" + domain, "");
            }
        }
        for (String entry : entries.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException(
                        "deepgram.models entries are name=riva-model, comma-separated; got \"" + entry.trim() + "\"");
            }
            map.put(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim());
        }
        return new DeepgramModels(map);
    }

    /** The Riva model for a Deepgram model name ("" for the backend's default), or empty for an unknown name. */
    public Optional<String> riva(String deepgramModel) {
        return Optional.ofNullable(models.get(deepgramModel));
    }
}
