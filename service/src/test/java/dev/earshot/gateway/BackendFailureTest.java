package dev.earshot.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.asr.AsrConfig;
import dev.earshot.asr.AsrServer;
import dev.earshot.riva.RivaConfig;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.Wav;
import dev.earshot.testing.WsTestClient;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What clients see, over a WebSocket and over REST, when Riva is unreachable or refuses the gateway's credentials. */
class BackendFailureTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static int status(int port, String path) throws Exception {
        return WsTestClient.HTTP
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    static RivaConfig withKey(int port, String apiKey) {
        return new RivaConfig(
                "127.0.0.1:" + port,
                false,
                Optional.empty(),
                "fn-1",
                apiKey,
                Duration.ofSeconds(10),
                Duration.ofSeconds(1));
    }

    /** POSTs a short WAV file to the REST API. */
    static HttpResponse<String> transcribe(int port) throws Exception {
        return WsTestClient.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/transcriptions"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(Wav.pcm16k(new byte[3200])))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static String code(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body()).path("code").asText();
    }

    @Test
    void unreachableRivaGivesBackendUnavailableWith1011AndReadinessDown() throws Exception {
        RivaConfig nowhere = TestConfigs.riva("127.0.0.1:" + closedPort());
        try (GatewayServer gateway = TestGateways.toRiva(SessionSettings.defaults(), nowhere);
                WsTestClient ws = WsTestClient.connect(gateway.port(), "down-1")) {
            assertEquals(503, status(gateway.adminPort(), "/observe/health/ready"));
            assertEquals(200, status(gateway.adminPort(), "/observe/health/live"));
            ws.start(null).next();
            ws.sendBinary(new byte[3200]);
            JsonNode error = ws.until("error");
            assertEquals("backend_unavailable", error.path("code").asText(), error.toString());
            assertTrue(error.path("message").asText().contains("UNAVAILABLE"), error.toString());
            assertEquals(1011, ws.closeCode());

            HttpResponse<String> rest = transcribe(gateway.port());
            assertEquals(502, rest.statusCode(), rest.body());
            assertEquals("backend_unavailable", code(rest), rest.body());
        }
    }

    @Test
    void theApiKeyIsSentAsBearerMetadataAndAWrongOneGivesUnauthorizedWith1008() throws Exception {
        try (AsrServer riva = AsrServer.start(new AsrConfig(0, AsrConfig.SYNTHETIC, 1, 1 << 20, "s3cret"))) {
            RivaConfig right = withKey(riva.port(), "s3cret");
            try (GatewayServer gateway = TestGateways.toRiva(SessionSettings.defaults(), right);
                    WsTestClient ws = WsTestClient.connect(gateway.port(), "key-ok")) {
                assertEquals(200, status(gateway.adminPort(), "/observe/health/ready"));
                ws.start(null).next();
                ws.sendBinary(new byte[3200]);
                assertEquals("chunk 1", ws.nextTranscript());
            }
            try (GatewayServer gateway =
                            TestGateways.toRiva(SessionSettings.defaults(), withKey(riva.port(), "wrong"));
                    WsTestClient ws = WsTestClient.connect(gateway.port(), "key-bad")) {
                ws.start(null).next();
                ws.sendBinary(new byte[3200]);
                JsonNode error = ws.until("error");
                assertEquals("unauthorized", error.path("code").asText(), error.toString());
                assertFalse(error.toString().contains("wrong"), "the key is never echoed");
                assertEquals(1008, ws.closeCode());

                // the same code over REST (it was backend_unavailable there)
                HttpResponse<String> rest = transcribe(gateway.port());
                assertEquals(502, rest.statusCode(), rest.body());
                assertEquals("unauthorized", code(rest), rest.body());
                assertFalse(rest.body().contains("wrong"), "the key is never echoed");
            }
        }
    }
}
