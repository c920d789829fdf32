package dev.earshot.testing;

import dev.earshot.auth.ApiKeys;
import dev.earshot.auth.AuthConfig;
import dev.earshot.riva.RivaConfig;
import dev.earshot.session.SessionSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/** Configurations for tests: the documented defaults with the one setting a test is about. */
public final class TestConfigs {
    private TestConfigs() {}

    /** {@code auth.mode=api-key} with {@code keysFile}, {@code auth.token-ttl} and the quotas given. */
    public static AuthConfig apiKeys(Path keysFile, Duration ttl, int maxSessions, int perMinute) {
        return apiKeys(keysFile, ttl, maxSessions, perMinute, Optional.empty());
    }

    /** The same, with tokens signed with {@code signingKeyFile} ({@code auth.token-signing-key-file}) if given. */
    public static AuthConfig apiKeys(
            Path keysFile, Duration ttl, int maxSessions, int perMinute, Optional<Path> signingKeyFile) {
        return new AuthConfig(
                Set.of(AuthConfig.Mode.API_KEY),
                Optional.of(keysFile),
                ttl,
                signingKeyFile,
                new AuthConfig.JwtConfig(Optional.empty(), "", ""),
                maxSessions,
                perMinute);
    }

    /** Writes {@code dir/api-keys} with a line for each name and key ({@code auth.api-keys-file}). */
    public static Path keysFile(Path dir, String... nameKeyPairs) throws IOException {
        Path file = dir.resolve("api-keys");
        StringBuilder text = new StringBuilder("# test keys\n");
        for (int i = 0; i < nameKeyPairs.length; i += 2) {
            text.append(nameKeyPairs[i])
                    .append(' ')
                    .append(ApiKeys.hashOf(nameKeyPairs[i + 1]))
                    .append('\n');
        }
        Files.writeString(file, text);
        return file;
    }

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
