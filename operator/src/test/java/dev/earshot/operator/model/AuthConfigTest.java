package dev.earshot.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.operator.crd.AuthSpec;
import dev.earshot.operator.crd.KeyFileRef;
import dev.earshot.operator.crd.SpeechServiceSpec;
import dev.earshot.operator.testing.AuthSpecs;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The operator checks {@code spec.auth} itself, with the CRD's rules and the gateway's. */
class AuthConfigTest {

    private static SpeechServiceSpec spec(AuthSpec auth) {
        SpeechServiceSpec spec = new SpeechServiceSpec();
        spec.setImage("earshot:1.0");
        spec.setAuth(auth);
        return spec;
    }

    private static AuthConfig valid(AuthSpec auth) {
        return assertInstanceOf(SpeechServiceConfig.Valid.class, SpeechServiceConfig.from(spec(auth)))
                .config()
                .auth()
                .orElseThrow();
    }

    private static String problems(AuthSpec auth) {
        return assertInstanceOf(SpeechServiceConfig.Invalid.class, SpeechServiceConfig.from(spec(auth)))
                .message();
    }

    private static AuthSpec mode(String mode) {
        AuthSpec auth = new AuthSpec();
        auth.setMode(mode);
        return auth;
    }

    @Test
    void withoutAuthTheOperatorLeavesItToThePods() {
        SpeechServiceConfig config = assertInstanceOf(
                        SpeechServiceConfig.Valid.class, SpeechServiceConfig.from(spec(null)))
                .config();
        assertEquals(Optional.empty(), config.auth());
    }

    @Test
    void apiKeysTakeTheApiKeysEntryUnlessTheReferenceNamesAnother() {
        AuthConfig config = valid(AuthSpecs.apiKeys("earshot-api-keys"));
        assertEquals(AuthConfig.Mode.API_KEY, config.mode());
        assertEquals(Optional.of(new AuthConfig.KeyFile("earshot-api-keys", "api-keys")), config.apiKeys());
        AuthSpec other = AuthSpecs.apiKeys("keys");
        other.getApiKeysSecretRef().setKey("keys.txt");
        assertEquals("keys.txt", valid(other).apiKeys().orElseThrow().key());
    }

    @Test
    void anApiKeyModeWithoutItsSecretIsRefused() {
        assertEquals(
                "auth.mode api-key needs auth.apiKeysSecretRef (the Secret with the API keys file)",
                problems(mode("api-key")));
        assertTrue(problems(mode("api-key,jwt")).contains("needs auth.apiKeysSecretRef"));
    }

    @Test
    void aJwtModeWithoutIssuerAudienceOrKeySetIsRefused() {
        AuthSpec auth = mode("jwt");
        assertEquals(
                "auth.mode jwt needs auth.jwt.issuer, auth.jwt.audience and auth.jwt.jwksConfigMapRef", problems(auth));
        auth.setJwt(AuthSpecs.jwt("https://idp/", " ", "jwks"));
        assertTrue(problems(auth).contains("needs auth.jwt.issuer, auth.jwt.audience"), "a blank audience");
        auth.setJwt(AuthSpecs.jwt("https://idp/", "earshot", "jwks"));
        auth.getJwt().setJwksConfigMapRef(null);
        assertTrue(problems(auth).contains("auth.jwt.jwksConfigMapRef"));
        auth.setJwt(AuthSpecs.jwt("https://idp/", "earshot", "jwks"));
        AuthConfig config = valid(auth);
        assertEquals(AuthConfig.Mode.JWT, config.mode());
        assertEquals(
                Optional.of(new AuthConfig.KeyFile("jwks", "jwks.json")),
                config.jwt().jwks());
    }

    @Test
    void anUnknownModeBlankNamesAndNegativeQuotasAreEachNamed() {
        AuthSpec auth = mode("jwt,api-key");
        auth.setTokenSigningKeySecretRef(new KeyFileRef(" ", "k"));
        auth.setMaxSessionsPerPrincipal(-1);
        auth.setSessionsPerMinutePerPrincipal(-2);
        String problems = problems(auth);
        assertTrue(
                problems.contains("auth.mode must be none, api-key, jwt or api-key,jwt (got \"jwt,api-key\")"),
                problems);
        assertTrue(problems.contains("auth.tokenSigningKeySecretRef needs a name"), problems);
        assertTrue(problems.contains("auth.maxSessionsPerPrincipal must be 0 (no limit) or more (got -1)"), problems);
        assertTrue(problems.contains("auth.sessionsPerMinutePerPrincipal must be 0 (no limit) or more (got -2)"));
        assertTrue(problems(new AuthSpec()).startsWith("auth.mode must be"), "mode is required");
    }

    @Test
    void quotasAreKeptAsGivenIncludingZero() {
        AuthSpec auth = AuthSpecs.apiKeys("k");
        auth.setMaxSessionsPerPrincipal(0);
        auth.setSessionsPerMinutePerPrincipal(30);
        AuthConfig config = valid(auth);
        assertEquals(Optional.of(0), config.maxSessionsPerPrincipal());
        assertEquals(Optional.of(30), config.sessionsPerMinutePerPrincipal());
    }

    @Test
    void allowedModelsMustBeNamesWithoutCommas() {
        SpeechServiceSpec spec = spec(null);
        spec.getRiva().setAllowedModels(List.of("a,b"));
        assertTrue(assertInstanceOf(SpeechServiceConfig.Invalid.class, SpeechServiceConfig.from(spec))
                .message()
                .contains("riva.allowedModels entries must be model names without commas (got \"a,b\")"));
        spec.getRiva().setAllowedModels(List.of("parakeet", " "));
        assertInstanceOf(SpeechServiceConfig.Invalid.class, SpeechServiceConfig.from(spec));
    }
}
