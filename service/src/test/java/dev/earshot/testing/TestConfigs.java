package dev.earshot.testing;

import dev.earshot.riva.RivaConfig;
import dev.earshot.session.SessionSettings;
import java.time.Duration;
import java.util.Optional;

/** Configurations for tests: the documented defaults with the one setting a test is about. */
public final class TestConfigs {
    private TestConfigs() {}

    /** {@code sessions.max}. */
    public static SessionSettings sessionsMax(int max) {
        SessionSettings d = SessionSettings.defaults();
        return new SessionSettings(
                max, d.idleTimeout(), d.maxDuration(), d.bufferSeconds(), d.maxTextBytes(), d.maxBinaryBytes());
    }

    /** {@code sessions.idle-timeout}. */
    public static SessionSettings sessionsIdleTimeout(Duration timeout) {
        SessionSettings d = SessionSettings.defaults();
        return new SessionSettings(
                d.max(), timeout, d.maxDuration(), d.bufferSeconds(), d.maxTextBytes(), d.maxBinaryBytes());
    }

    /** {@code sessions.max-duration}. */
    public static SessionSettings sessionsMaxDuration(Duration duration) {
        SessionSettings d = SessionSettings.defaults();
        return new SessionSettings(
                d.max(), d.idleTimeout(), duration, d.bufferSeconds(), d.maxTextBytes(), d.maxBinaryBytes());
    }

    /** {@code sessions.buffer-seconds}. */
    public static SessionSettings sessionsBufferSeconds(int seconds) {
        SessionSettings d = SessionSettings.defaults();
        return new SessionSettings(
                d.max(), d.idleTimeout(), d.maxDuration(), seconds, d.maxTextBytes(), d.maxBinaryBytes());
    }

    /** A Riva reached over plain gRPC ({@code riva.endpoint}; empty: the embedded recognizer), no key. */
    public static RivaConfig riva(String endpoint) {
        return new RivaConfig(
                endpoint, false, Optional.empty(), "", "", Duration.ofSeconds(120), Duration.ofSeconds(1));
    }
}
