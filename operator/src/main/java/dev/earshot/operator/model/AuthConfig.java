package dev.earshot.operator.model;

import dev.earshot.operator.crd.AuthSpec;
import dev.earshot.operator.crd.JwtSpec;
import dev.earshot.operator.crd.KeyFileRef;
import java.util.List;
import java.util.Optional;

/**
 * The validated form of {@code spec.auth}. It repeats the CRD's two CEL rules, because the
 * operator must not trust the schema (an older CRD may not have them) and the gateway refuses to
 * start with a mode it cannot serve: caught here, the spec ends in {@code InvalidSpec} and the
 * running pods are kept, instead of a rollout of pods that crash-loop.
 *
 * @param mode the pods' {@code auth.mode}
 * @param apiKeys the Secret entry with the API keys file
 * @param tokenSigningKey the Secret entry with the key that signs the pods' tokens
 * @param jwt what JWTs are checked against
 * @param maxSessionsPerPrincipal {@code auth.max-sessions-per-principal}, when the spec sets it
 * @param sessionsPerMinutePerPrincipal {@code auth.sessions-per-minute-per-principal}, when set
 */
public record AuthConfig(
        Mode mode,
        Optional<KeyFile> apiKeys,
        Optional<KeyFile> tokenSigningKey,
        Jwt jwt,
        Optional<Integer> maxSessionsPerPrincipal,
        Optional<Integer> sessionsPerMinutePerPrincipal) {

    /** Key of the API keys file in its Secret when the reference names none. */
    public static final String DEFAULT_API_KEYS_KEY = "api-keys";
    /** Key of the token signing key in its Secret when the reference names none. */
    public static final String DEFAULT_SIGNING_KEY_KEY = "signing-key";
    /** Key of the JSON Web Key Set in its ConfigMap when the reference names none. */
    public static final String DEFAULT_JWKS_KEY = "jwks.json";

    /** {@code auth.mode}, spelled as the gateway reads it. */
    public enum Mode {
        NONE("none", false, false),
        API_KEY("api-key", true, false),
        JWT("jwt", false, true),
        API_KEY_OR_JWT("api-key,jwt", true, true);

        private final String value;
        private final boolean apiKeys;
        private final boolean jwt;

        Mode(String value, boolean apiKeys, boolean jwt) {
            this.value = value;
            this.apiKeys = apiKeys;
            this.jwt = jwt;
        }

        /** The value of {@code auth.mode}. */
        public String value() {
            return value;
        }

        /** Whether API keys (and the tokens they mint) are accepted. */
        public boolean apiKeys() {
            return apiKeys;
        }

        /** Whether JWTs from an identity provider are accepted. */
        public boolean jwt() {
            return jwt;
        }

        static Optional<Mode> of(String value) {
            for (Mode mode : values()) {
                if (mode.value.equals(value)) {
                    return Optional.of(mode);
                }
            }
            return Optional.empty();
        }
    }

    /**
     * An entry of a Secret or ConfigMap.
     *
     * @param name the object's name
     * @param key the entry's key
     */
    public record KeyFile(String name, String key) {}

    /**
     * {@code auth.jwt.*}; empty strings where the spec sets nothing.
     *
     * @param issuer the {@code iss} JWTs must carry
     * @param audience the {@code aud} JWTs must include
     * @param jwks the ConfigMap entry with the provider's key set
     */
    public record Jwt(String issuer, String audience, Optional<KeyFile> jwks) {}

    /**
     * Checks {@code spec.auth}; each problem found is added to {@code problems}.
     *
     * @param spec the spec's {@code auth}, or null
     * @param problems where problems are collected, one per broken rule
     * @return the config, or empty when the spec has no {@code auth} or it is invalid
     */
    static Optional<AuthConfig> from(AuthSpec spec, List<String> problems) {
        if (spec == null) {
            return Optional.empty();
        }
        int before = problems.size();
        String modeValue = trim(spec.getMode());
        Optional<Mode> mode = Mode.of(modeValue);
        if (mode.isEmpty()) {
            problems.add("auth.mode must be none, api-key, jwt or api-key,jwt (got \"" + modeValue + "\")");
        }
        Optional<KeyFile> apiKeys =
                keyFile(spec.getApiKeysSecretRef(), DEFAULT_API_KEYS_KEY, "auth.apiKeysSecretRef", problems);
        Optional<KeyFile> signingKey = keyFile(
                spec.getTokenSigningKeySecretRef(), DEFAULT_SIGNING_KEY_KEY, "auth.tokenSigningKeySecretRef", problems);
        JwtSpec jwtSpec = spec.getJwt() == null ? new JwtSpec() : spec.getJwt();
        Jwt jwt = new Jwt(
                trim(jwtSpec.getIssuer()),
                trim(jwtSpec.getAudience()),
                keyFile(jwtSpec.getJwksConfigMapRef(), DEFAULT_JWKS_KEY, "auth.jwt.jwksConfigMapRef", problems));
        if (mode.isPresent() && mode.get().apiKeys() && spec.getApiKeysSecretRef() == null) {
            problems.add("auth.mode " + modeValue + " needs auth.apiKeysSecretRef (the Secret with the API keys file)");
        }
        if (mode.isPresent()
                && mode.get().jwt()
                && (jwt.issuer().isEmpty() || jwt.audience().isEmpty() || jwtSpec.getJwksConfigMapRef() == null)) {
            problems.add("auth.mode " + modeValue
                    + " needs auth.jwt.issuer, auth.jwt.audience and auth.jwt.jwksConfigMapRef");
        }
        Optional<Integer> maxSessions =
                atLeastZero(spec.getMaxSessionsPerPrincipal(), "auth.maxSessionsPerPrincipal", problems);
        Optional<Integer> perMinute =
                atLeastZero(spec.getSessionsPerMinutePerPrincipal(), "auth.sessionsPerMinutePerPrincipal", problems);
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new AuthConfig(mode.orElseThrow(), apiKeys, signingKey, jwt, maxSessions, perMinute));
    }

    private static Optional<KeyFile> keyFile(KeyFileRef ref, String defaultKey, String field, List<String> problems) {
        if (ref == null) {
            return Optional.empty();
        }
        String name = trim(ref.getName());
        if (name.isEmpty()) {
            problems.add(field + " needs a name");
            return Optional.empty();
        }
        String key = trim(ref.getKey());
        return Optional.of(new KeyFile(name, key.isEmpty() ? defaultKey : key));
    }

    private static Optional<Integer> atLeastZero(Integer value, String field, List<String> problems) {
        if (value != null && value < 0) {
            problems.add(field + " must be 0 (no limit) or more (got " + value + ")");
        }
        return Optional.ofNullable(value);
    }

    private static String trim(String value) {
        return value == null ? "" : value.trim();
    }
}
