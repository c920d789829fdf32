package dev.earshot.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.config.ConfigLoader;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code auth.*} read from the environment, and the settings the gateway refuses to start with. */
class AuthConfigTest {

    private static AuthConfig from(Map<String, String> env) {
        return AuthConfig.from(ConfigLoader.load(env, new Properties()));
    }

    @Test
    void noneByDefaultWithTheDocumentedDefaults() {
        AuthConfig config = from(Map.of());
        assertFalse(config.required());
        assertEquals(Duration.ofMinutes(5), config.tokenTtl());
        assertEquals(0, config.maxSessionsPerPrincipal());
        assertEquals(0, config.sessionsPerMinute());
    }

    @Test
    void everyModeAndItsCombinationParse() {
        Map<String, String> jwt = Map.of(
                "AUTH_JWT_JWKS__FILE", "/jwks.json", "AUTH_JWT_ISSUER", "https://idp", "AUTH_JWT_AUDIENCE", "earshot");
        assertEquals(
                Set.of(AuthConfig.Mode.API_KEY),
                from(Map.of("AUTH_MODE", "api-key", "AUTH_API__KEYS__FILE", "/keys"))
                        .modes());
        assertEquals(
                Set.of(AuthConfig.Mode.JWT),
                from(merge(jwt, "AUTH_MODE", "jwt")).modes());
        AuthConfig both = from(merge(merge(jwt, "AUTH_MODE", "api-key,jwt"), "AUTH_API__KEYS__FILE", "/keys"));
        assertEquals(Set.of(AuthConfig.Mode.API_KEY, AuthConfig.Mode.JWT), both.modes());
        assertEquals("https://idp", both.jwt().issuer());
        assertTrue(both.required());
    }

    @Test
    void settingsThatCannotWorkStopTheGatewayNamingTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> from(Map.of("AUTH_MODE", "password")))
                .getMessage()
                .startsWith("auth.mode"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> from(Map.of("AUTH_MODE", "api-key")))
                .getMessage()
                .contains("auth.api-keys-file"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> from(Map.of("AUTH_MODE", "jwt")))
                .getMessage()
                .contains("auth.jwt.jwks-file"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> from(Map.of("AUTH_TOKEN__TTL", "PT2H")))
                .getMessage()
                .startsWith("auth.token-ttl"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> from(Map.of("AUTH_MAX__SESSIONS__PER__PRINCIPAL", "-1")))
                .getMessage()
                .contains("auth.max-sessions-per-principal"));
    }

    private static Map<String, String> merge(Map<String, String> base, String key, String value) {
        var copy = new java.util.HashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
