package dev.earshot.auth;

import io.helidon.config.Config;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code auth.*}: who may open sessions and call the API.
 *
 * @param modes                   {@code auth.mode}: empty for {@code none}, else API keys, JWTs or both
 * @param apiKeysFile             {@code auth.api-keys-file}: names and hashes of the API keys
 * @param tokenTtl                {@code auth.token-ttl}: the longest (and default) life of a token
 * @param tokenSigningKeyFile     {@code auth.token-signing-key-file}; empty: a random key per process
 * @param jwt                     {@code auth.jwt.*}
 * @param maxSessionsPerPrincipal {@code auth.max-sessions-per-principal}; 0: no limit
 * @param sessionsPerMinute       {@code auth.sessions-per-minute-per-principal}; 0: no limit
 */
public record AuthConfig(
        Set<Mode> modes,
        Optional<Path> apiKeysFile,
        Duration tokenTtl,
        Optional<Path> tokenSigningKeyFile,
        JwtConfig jwt,
        int maxSessionsPerPrincipal,
        int sessionsPerMinute) {

    /** The longest {@code auth.token-ttl}: a token is for starting a session soon, not a login. */
    public static final Duration MAX_TOKEN_TTL = Duration.ofHours(1);

    /** A way of authenticating that {@code auth.mode} turns on. */
    public enum Mode {
        API_KEY,
        JWT
    }

    /**
     * {@code auth.jwt.*}: JWTs from an identity provider.
     *
     * @param jwksFile the provider's public keys (a JSON Web Key Set)
     * @param issuer   the {@code iss} every JWT must carry
     * @param audience the {@code aud} every JWT must include
     */
    public record JwtConfig(Optional<Path> jwksFile, String issuer, String audience) {}

    public AuthConfig {
        modes = modes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(modes));
    }

    /** No authentication: everything works as before {@code auth} existed. */
    public static AuthConfig none() {
        return new AuthConfig(
                Set.of(),
                Optional.empty(),
                Duration.ofMinutes(5),
                Optional.empty(),
                new JwtConfig(Optional.empty(), "", ""),
                0,
                0);
    }

    /** Whether requests need credentials at all. */
    public boolean required() {
        return !modes.isEmpty();
    }

    /**
     * Reads {@code auth.*}.
     *
     * @throws IllegalArgumentException naming the key of a setting the gateway must not run with
     */
    public static AuthConfig from(Config config) {
        Config auth = config.get("auth");
        Set<Mode> modes = modes(auth.get("mode").asString().orElse("none"));
        Optional<Path> keys = path(auth.get("api-keys-file"));
        if (modes.contains(Mode.API_KEY) && keys.isEmpty()) {
            throw new IllegalArgumentException("auth.mode api-key needs auth.api-keys-file");
        }
        Duration ttl = duration(auth.get("token-ttl"), Duration.ofMinutes(5));
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TOKEN_TTL) > 0) {
            throw new IllegalArgumentException("auth.token-ttl must be more than 0 and at most PT1H (got " + ttl + ")");
        }
        Config jwt = auth.get("jwt");
        JwtConfig jwtConfig = new JwtConfig(
                path(jwt.get("jwks-file")),
                jwt.get("issuer").asString().orElse("").trim(),
                jwt.get("audience").asString().orElse("").trim());
        if (modes.contains(Mode.JWT)
                && (jwtConfig.jwksFile().isEmpty()
                        || jwtConfig.issuer().isEmpty()
                        || jwtConfig.audience().isEmpty())) {
            throw new IllegalArgumentException(
                    "auth.mode jwt needs auth.jwt.jwks-file, auth.jwt.issuer and auth.jwt.audience");
        }
        int maxSessions = auth.get("max-sessions-per-principal").asInt().orElse(0);
        int perMinute = auth.get("sessions-per-minute-per-principal").asInt().orElse(0);
        if (maxSessions < 0 || perMinute < 0) {
            throw new IllegalArgumentException(
                    "auth.max-sessions-per-principal and auth.sessions-per-minute-per-principal must be 0 (no limit) or more");
        }
        return new AuthConfig(
                modes, keys, ttl, path(auth.get("token-signing-key-file")), jwtConfig, maxSessions, perMinute);
    }

    /** {@code none}, {@code api-key}, {@code jwt} or {@code api-key,jwt}. */
    static Set<Mode> modes(String value) {
        Set<Mode> modes = EnumSet.noneOf(Mode.class);
        for (String part : value.split(",")) {
            switch (part.trim().toLowerCase(Locale.ROOT)) {
                case "none", "" -> {}
                case "api-key" -> modes.add(Mode.API_KEY);
                case "jwt" -> modes.add(Mode.JWT);
                default ->
                    throw new IllegalArgumentException(
                            "auth.mode must be none, api-key, jwt or api-key,jwt (got " + value + ")");
            }
        }
        return modes;
    }

    private static Optional<Path> path(Config node) {
        return node.asString()
                .asOptional()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .map(Path::of);
    }

    private static Duration duration(Config node, Duration fallback) {
        Optional<String> text = node.asString().asOptional();
        try {
            return text.map(Duration::parse).orElse(fallback);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(node.key() + " must be an ISO-8601 duration like PT5M", e);
        }
    }
}
