package dev.earshot.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns environment variable names into configuration keys: a single underscore separates
 * levels and a double underscore stands for a dash, so {@code SERVER_DRAIN__SECONDS} is
 * {@code server.drain-seconds} and {@code SESSIONS_IDLE__TIMEOUT} is {@code sessions.idle-timeout}.
 *
 * <p>Why not Helidon's own environment source: Helidon 4.5.0 spells a dash {@code _dash_} and
 * ignores every variable that contains {@code __}, so the names Kubernetes manifests, the
 * operator and the README use ({@code SERVER_DRAIN__SECONDS}) had no effect at all.
 */
public final class EnvironmentKeys {
    /** Upper-case letters, digits and underscores, starting with a letter: a key, not e.g. {@code PATH}'s value. */
    private static final Pattern NAME = Pattern.compile("[A-Z][A-Z0-9]*(__?[A-Z0-9]+)*");

    private EnvironmentKeys() {}

    /** The configuration key for an environment variable, or {@code null} when the name does not follow the rule. */
    public static String key(String variable) {
        if (!NAME.matcher(variable).matches()) {
            return null;
        }
        return variable.toLowerCase(Locale.ROOT)
                .replace("__", "\u0000")
                .replace('_', '.')
                .replace('\u0000', '-');
    }

    /** The environment variable that sets {@code key}: the inverse of {@link #key(String)}. */
    public static String variable(String key) {
        return key.toUpperCase(Locale.ROOT).replace("-", "__").replace('.', '_');
    }

    /** Every variable that follows the rule, by configuration key. */
    public static Map<String, String> keys(Map<String, String> environment) {
        Map<String, String> keys = new HashMap<>();
        environment.forEach((name, value) -> {
            String key = key(name);
            if (key != null) {
                keys.put(key, value);
            }
        });
        return keys;
    }
}
