package dev.earshot.session;

import io.helidon.config.Config;
import java.time.Duration;

/**
 * Limits that apply to every session ({@code sessions.*}).
 *
 * @param max            most sessions open at once; one more is refused with {@code capacity_exceeded}
 * @param idleTimeout    a session with no audio or keepalive for this long ends ({@code idle_timeout})
 * @param maxDuration    no session lasts longer ({@code session_timeout})
 * @param bufferSeconds  audio that may wait for Riva before the session ends ({@code overloaded})
 * @param maxTextBytes   largest text frame
 * @param maxBinaryBytes largest binary frame
 */
public record SessionSettings(
        int max, Duration idleTimeout, Duration maxDuration, int bufferSeconds, int maxTextBytes, int maxBinaryBytes) {

    public SessionSettings {
        if (max < 0) {
            throw new IllegalArgumentException("sessions.max must not be negative");
        }
        if (bufferSeconds < 1) {
            throw new IllegalArgumentException("sessions.buffer-seconds must be at least 1");
        }
    }

    /** The same limits with another {@code max}. */
    public SessionSettings withMax(int newMax) {
        return new SessionSettings(newMax, idleTimeout, maxDuration, bufferSeconds, maxTextBytes, maxBinaryBytes);
    }

    /** Reads {@code sessions.*}; keys not given take the {@link #defaults()}. */
    public static SessionSettings from(Config config) {
        Config s = config.get("sessions");
        SessionSettings d = defaults();
        return new SessionSettings(
                s.get("max").asInt().orElse(d.max()),
                s.get("idle-timeout").as(Duration.class).orElse(d.idleTimeout()),
                s.get("max-duration").as(Duration.class).orElse(d.maxDuration()),
                s.get("buffer-seconds").asInt().orElse(d.bufferSeconds()),
                s.get("max-text-bytes").asInt().orElse(d.maxTextBytes()),
                s.get("max-binary-bytes").asInt().orElse(d.maxBinaryBytes()));
    }

    /** The documented defaults (README, application.yaml). */
    public static SessionSettings defaults() {
        return new SessionSettings(150, Duration.ofSeconds(30), Duration.ofHours(4), 10, 64 * 1024, 1024 * 1024);
    }
}
