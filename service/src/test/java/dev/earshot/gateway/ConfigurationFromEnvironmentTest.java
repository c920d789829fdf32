package dev.earshot.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.config.ConfigLoader;
import dev.earshot.riva.RivaConfig;
import dev.earshot.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The keys that used to be lost when they came from the environment, as the operator and
 * Kubernetes manifests set them, through a real gateway where the effect is on the wire.
 */
class ConfigurationFromEnvironmentTest {

    private static GatewayConfig fromEnvironment(Map<String, String> environment) {
        return GatewayConfig.from(ConfigLoader.load(environment, new Properties()));
    }

    /** A gateway on free loopback ports with the synthetic engine, configured through the environment plus {@code key}. */
    private static GatewayServer syntheticGateway(String key, String value) {
        return GatewayServer.start(fromEnvironment(Map.of(
                "SERVER_PORT",
                "0",
                "SERVER_ADMIN__PORT",
                "0",
                "SERVER_HOST",
                "127.0.0.1",
                "ASR_ENGINE",
                "synthetic",
                "ASR_PORT",
                "0",
                key,
                value)));
    }

    private static int upgradeStatus(GatewayServer gateway, String origin) throws Exception {
        return WsTestClient.HTTP
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/api/v1/transcribe"))
                                .header("Origin", origin)
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void allowedOriginsFromTheEnvironmentAdmitThoseOriginsOnly() throws Exception {
        GatewayServer gateway = syntheticGateway("SERVER_ALLOWED__ORIGINS", "http://a.example,https://b.example");
        try {
            // a plain GET is not an upgrade: 426 when the origin may open sessions, 403 when not
            assertEquals(426, upgradeStatus(gateway, "http://a.example"));
            assertEquals(426, upgradeStatus(gateway, "https://b.example"));
            assertEquals(403, upgradeStatus(gateway, "https://a.example"));
            assertEquals(403, upgradeStatus(gateway, "http://c.example"));
        } finally {
            gateway.shutdown();
        }
    }

    @Test
    void aModelOutsideAllowedModelsIsInvalidConfigAndTheSessionCanStartAgain() throws Exception {
        GatewayServer gateway = syntheticGateway("RIVA_ALLOWED__MODELS", "parakeet-ctc-0.6b-asr, conformer-en-US");
        try (WsTestClient client = WsTestClient.connect(gateway.port(), "models")) {
            JsonNode refused = client.start("{\"model\":\"expensive-model\"}").next();
            assertEquals("invalid_config", refused.path("code").asText(), refused.toString());
            assertTrue(refused.path("message").asText().contains("riva.allowed-models"), refused.toString());
            JsonNode started = client.start("{\"model\":\"conformer-en-US\"}").next();
            assertEquals("transcription_started", started.path("event").asText(), started.toString());
        } finally {
            gateway.shutdown();
        }
    }

    @Test
    void theAdminListenerBindsTheServerHostUnlessAdminHostSaysOtherwise() {
        GatewayConfig defaults = fromEnvironment(Map.of("SERVER_HOST", "10.1.2.3"));
        assertEquals(9090, defaults.adminPort());
        assertEquals("10.1.2.3", defaults.adminHost());
        GatewayConfig own = fromEnvironment(
                Map.of("SERVER_HOST", "10.1.2.3", "SERVER_ADMIN__PORT", "9191", "SERVER_ADMIN__HOST", "127.0.0.1"));
        assertEquals(9191, own.adminPort());
        assertEquals("127.0.0.1", own.adminHost());
    }

    @Test
    void drainSecondsFromTheEnvironmentIsTheDrainTime() {
        assertEquals(
                Duration.ofSeconds(7),
                fromEnvironment(Map.of("SERVER_DRAIN__SECONDS", "7")).drain());
        assertEquals(Duration.ofSeconds(30), fromEnvironment(Map.of()).drain());
    }

    @Test
    void aRivaKeyWithoutTlsIsRefusedUnlessAllowedExplicitly() {
        Map<String, String> inClear = Map.of("RIVA_ENDPOINT", "riva.internal:50051", "RIVA_API__KEY", "secret-1");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fromEnvironment(inClear));
        assertTrue(e.getMessage().startsWith("riva.api-key is set but riva.tls is false"), e.getMessage());
        assertTrue(!e.getMessage().contains("secret-1"), "the key itself is never printed");

        RivaConfig allowed = fromEnvironment(Map.of(
                        "RIVA_ENDPOINT", "127.0.0.1:50051",
                        "RIVA_API__KEY", "secret-1",
                        "RIVA_ALLOW__INSECURE__KEY", "true"))
                .riva();
        assertEquals("secret-1", allowed.apiKey());
        RivaConfig withTls = fromEnvironment(
                        Map.of("RIVA_ENDPOINT", "riva.internal:443", "RIVA_API__KEY", "secret-1", "RIVA_TLS", "true"))
                .riva();
        assertTrue(withTls.tls());
    }
}
