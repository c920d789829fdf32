package dev.earshot.session;

import java.time.Duration;

import io.helidon.config.Config;

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
public record SessionSettings(int max, Duration idleTimeout, Duration maxDuration, int bufferSeconds,
                              int maxTextBytes, int maxBinaryBytes) {

    public SessionSettings {
        if (max < 0) {
            throw new IllegalArgumentException("sessions.max must not be negative");
        }
        if (bufferSeconds < 1) {
            throw new IllegalArgumentException("sessions.buffer-seconds must be at least 1");
        }
    }

    /** Reads {@code sessions.*} with the documented defaults. */
    public static SessionSettings from(Config config) {
        Config s = config.get("sessions");
        return new SessionSettings(s.get("max").asInt().orElse(150),
                                   s.get("idle-timeout").as(Duration.class).orElse(Duration.ofSeconds(30)),
                                   s.get("max-duration").as(Duration.class).orElse(Duration.ofHours(4)),
                                   s.get("buffer-seconds").asInt().orElse(10),
                                   s.get("max-text-bytes").asInt().orElse(64 * 1024),
                                   s.get("max-binary-bytes").asInt().orElse(1024 * 1024));
    }

    /** The defaults, for tests and embedding. */
    public static SessionSettings defaults() {
        return new SessionSettings(150, Duration.ofSeconds(30), Duration.ofHours(4), 10, 64 * 1024, 1024 * 1024);
    }

    public SessionSettings withMax(int newMax) {
        return new SessionSettings(newMax, idleTimeout, maxDuration, bufferSeconds, maxTextBytes, maxBinaryBytes);
    }

    public SessionSettings withIdleTimeout(Duration timeout) {
        return new SessionSettings(max, timeout, maxDuration, bufferSeconds, maxTextBytes, maxBinaryBytes);
    }

    public SessionSettings withBufferSeconds(int seconds) {
        return new SessionSettings(max, idleTimeout, maxDuration, seconds, maxTextBytes, maxBinaryBytes);
    }

    public SessionSettings withMaxDuration(Duration duration) {
        return new SessionSettings(max, idleTimeout, duration, bufferSeconds, maxTextBytes, maxBinaryBytes);
    }
}
