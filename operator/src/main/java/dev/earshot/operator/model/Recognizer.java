package dev.earshot.operator.model;

import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.Locale;
import java.util.Optional;

/**
 * What does the recognizing in a gateway pod, as far as the operator can tell from the spec: an
 * external Riva ({@code riva.endpoint} set), or the embedded recognizer with the engine and pool
 * size the pods will read from their environment ({@code ASR_ENGINE}, {@code ASR_POOL__SIZE},
 * set through the spec's {@code env}). Only default resources depend on it, so a value the
 * operator cannot read (a {@code valueFrom}, a non-number) falls back to the defaults rather
 * than failing the spec; the pod itself reports a bad value when it starts.
 *
 * @param engine where streams are decoded
 * @param decoders Sphinx4 decoders per pod, 0 for the other engines
 * @param poolSizeFromUser whether the spec's env sets {@code ASR_POOL__SIZE} (in any form)
 */
public record Recognizer(Engine engine, int decoders, boolean poolSizeFromUser) {

    /** Gateway env var naming the embedded engine ({@code asr.engine}). */
    public static final String ENGINE_ENV = "ASR_ENGINE";
    /** Gateway env var holding the Sphinx4 decoder count ({@code asr.pool-size}). */
    public static final String POOL_SIZE_ENV = "ASR_POOL__SIZE";
    /**
     * Most decoders the operator chooses by itself. Left alone the gateway starts one per core
     * of whatever node it lands on, which no request made before scheduling can match; four is
     * two examples' worth (they run two) and stays under two cores of requests.
     */
    public static final int MAX_DEFAULT_DECODERS = 4;

    /** Where streams are decoded. */
    public enum Engine {
        /** The embedded pure-Java recognizer: CPU and memory grow with its decoders. */
        SPHINX4,
        /** The embedded load-test engine: decodes nothing, costs next to nothing. */
        SYNTHETIC,
        /** Riva elsewhere: the pod is only the gateway. */
        EXTERNAL_RIVA
    }

    /**
     * The recognizer of a validated spec. Sphinx4 runs the user's {@code ASR_POOL__SIZE} decoders,
     * else {@code min(sessions.maxPerReplica, MAX_DEFAULT_DECODERS)}: one live stream holds one
     * decoder, and the pod admits no more than {@code maxPerReplica} sessions.
     */
    public static Recognizer of(SpeechServiceConfig config) {
        if (!config.riva().embedded()) {
            return new Recognizer(Engine.EXTERNAL_RIVA, 0, false);
        }
        Optional<EnvVar> poolSize = userVar(config, POOL_SIZE_ENV);
        boolean synthetic = userVar(config, ENGINE_ENV)
                .map(EnvVar::getValue)
                .map(v -> v.trim().toLowerCase(Locale.ROOT))
                .filter("synthetic"::equals)
                .isPresent();
        if (synthetic) {
            return new Recognizer(Engine.SYNTHETIC, 0, poolSize.isPresent());
        }
        int decoders = poolSize.map(EnvVar::getValue)
                .flatMap(Recognizer::positiveInt)
                .orElse(Math.min(config.maxSessionsPerReplica(), MAX_DEFAULT_DECODERS));
        return new Recognizer(Engine.SPHINX4, decoders, poolSize.isPresent());
    }

    private static Optional<EnvVar> userVar(SpeechServiceConfig config, String name) {
        return config.env().stream().filter(v -> name.equals(v.getName())).reduce((first, last) -> last);
    }

    private static Optional<Integer> positiveInt(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            int n = Integer.parseInt(value.trim());
            return n > 0 ? Optional.of(n) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
