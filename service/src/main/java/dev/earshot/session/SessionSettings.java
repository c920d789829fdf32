package dev.earshot.session;

import io.helidon.config.Config;
import java.time.Duration;

/**
 * Limits that apply to every session ({@code sessions.*}).
 *
 * @param max            most sessions open at once; one more is refused with {@code capacity_exceeded}
 * @param idleTimeout    a session with no audio or keepalive for this long ends ({@code idle_timeout})
 * @param maxDuration    no session lasts longer ({@code session_timeout})
 * @param bufferSeconds  audio that may wait for Riva; when it is full the session stops reading its socket until there is room, so TCP slows the client down
 * @param maxTextBytes   largest text frame
 * @param maxBinaryBytes largest binary frame
 * @param startTimeout   a socket that has not sent {@code start_transcription} by then is closed
 *                       ({@code idle_timeout}), keepalives or not: an unstarted socket holds a
 *                       capacity slot and counts for the autoscaler
 * @param writeTimeout   a write to a client that has been blocked this long (the client is not
 *                       reading) ends the session with {@code slow_consumer}
 * @param maxLag         how far Riva may fall behind a client that streams at real-time pace or
 *                       slower before the session ends ({@code overloaded}); zero: never. A client
 *                       that sends faster is slowed down instead, however far ahead it is
 * @param resumeGrace    how long a protocol v1 session whose connection dropped waits, Riva stream
 *                       and all, for its client to resume it; zero: it ends at once, as before resume existed
 * @param resumeBufferBytes how much of its latest events a session keeps for a client that resumes
 *                       (interims a later result superseded are not kept); a client that missed more
 *                       gets {@code resume_failed}
 */
public record SessionSettings(
        int max,
        Duration idleTimeout,
        Duration maxDuration,
        int bufferSeconds,
        int maxTextBytes,
        int maxBinaryBytes,
        Duration startTimeout,
        Duration writeTimeout,
        Duration maxLag,
        Duration resumeGrace,
        int resumeBufferBytes) {

    public static final Duration DEFAULT_RESUME_GRACE = Duration.ofSeconds(15);
    public static final int DEFAULT_RESUME_BUFFER_BYTES = 32 * 1024;
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_MAX_LAG = Duration.ofSeconds(30);

    public SessionSettings {
        if (max < 0) {
            throw new IllegalArgumentException("sessions.max must not be negative");
        }
        if (bufferSeconds < 1) {
            throw new IllegalArgumentException("sessions.buffer-seconds must be at least 1");
        }
        if (!startTimeout.isPositive()) {
            throw new IllegalArgumentException("sessions.start-timeout must be positive, got " + startTimeout);
        }
        if (!writeTimeout.isPositive()) {
            throw new IllegalArgumentException("sessions.write-timeout must be positive, got " + writeTimeout);
        }
        if (maxLag.isNegative()) {
            throw new IllegalArgumentException("sessions.max-lag must not be negative, got " + maxLag);
        }
        if (resumeGrace.isNegative()) {
            throw new IllegalArgumentException("sessions.resume-grace must not be negative, got " + resumeGrace);
        }
        if (resumeBufferBytes < 1024) {
            throw new IllegalArgumentException(
                    "sessions.resume-buffer-bytes must be at least 1024, got " + resumeBufferBytes);
        }
    }

    /** With the default start and write timeouts. */
    public SessionSettings(
            int max,
            Duration idleTimeout,
            Duration maxDuration,
            int bufferSeconds,
            int maxTextBytes,
            int maxBinaryBytes) {
        this(
                max,
                idleTimeout,
                maxDuration,
                bufferSeconds,
                maxTextBytes,
                maxBinaryBytes,
                DEFAULT_START_TIMEOUT,
                DEFAULT_WRITE_TIMEOUT,
                DEFAULT_MAX_LAG,
                DEFAULT_RESUME_GRACE,
                DEFAULT_RESUME_BUFFER_BYTES);
    }

    /** The same limits with another {@code max}. */
    public SessionSettings withMax(int newMax) {
        return new SessionSettings(
                newMax,
                idleTimeout,
                maxDuration,
                bufferSeconds,
                maxTextBytes,
                maxBinaryBytes,
                startTimeout,
                writeTimeout,
                maxLag,
                resumeGrace,
                resumeBufferBytes);
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
                s.get("max-binary-bytes").asInt().orElse(d.maxBinaryBytes()),
                s.get("start-timeout").as(Duration.class).orElse(d.startTimeout()),
                s.get("write-timeout").as(Duration.class).orElse(d.writeTimeout()),
                s.get("max-lag").as(Duration.class).orElse(d.maxLag()),
                s.get("resume-grace").as(Duration.class).orElse(d.resumeGrace()),
                s.get("resume-buffer-bytes").asInt().orElse(d.resumeBufferBytes()));
    }

    /** The documented defaults (README, application.yaml). */
    public static SessionSettings defaults() {
        return new SessionSettings(150, Duration.ofSeconds(30), Duration.ofHours(4), 10, 64 * 1024, 1024 * 1024);
    }

    /** The same settings with other start and write timeouts. */
    public SessionSettings withTimeouts(Duration start, Duration write) {
        return new SessionSettings(
                max,
                idleTimeout,
                maxDuration,
                bufferSeconds,
                maxTextBytes,
                maxBinaryBytes,
                start,
                write,
                maxLag,
                resumeGrace,
                resumeBufferBytes);
    }

    /** The same settings with another buffer and maximum lag. */
    public SessionSettings withBuffer(int seconds, Duration lag) {
        return new SessionSettings(
                max,
                idleTimeout,
                maxDuration,
                seconds,
                maxTextBytes,
                maxBinaryBytes,
                startTimeout,
                writeTimeout,
                lag,
                resumeGrace,
                resumeBufferBytes);
    }

    /** The same settings with another resume grace period and event buffer. */
    public SessionSettings withResume(Duration grace, int bufferBytes) {
        return new SessionSettings(
                max,
                idleTimeout,
                maxDuration,
                bufferSeconds,
                maxTextBytes,
                maxBinaryBytes,
                startTimeout,
                writeTimeout,
                maxLag,
                grace,
                bufferBytes);
    }
}
