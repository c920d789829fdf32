package dev.earshot.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Protocol v1 over a real socket, against a gateway whose embedded recognizer is the synthetic
 * engine ("chunk N" for audio chunk N): message handling, ordering, and every error and close
 * code a client can cause.
 */
class TranscribeProtocolTest {
    static final byte[] CHUNK = new byte[3200]; // 100 ms of 16 kHz 16-bit silence
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.synthetic(TestConfigs.sessionsMax(50));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    static WsTestClient connect(String id) {
        return WsTestClient.connect(gateway.port(), id);
    }

    @Test
    void startAudioStopGivesResultsInOrderThenStoppedThenNormalClose() throws Exception {
        try (WsTestClient ws = connect("order-1")) {
            JsonNode started = ws.start("{\"sample_rate_hertz\":16000}").next();
            assertEquals("transcription_started", started.path("event").asText());
            assertEquals("order-1", started.path("session_id").asText());
            assertEquals("en-US", started.path("config").path("language").asText());
            assertEquals(16000, started.path("config").path("sample_rate_hertz").asInt());
            for (int i = 0; i < 12; i++) {
                ws.sendBinary(CHUNK);
            }
            ws.stop();
            List<JsonNode> events = ws.drainUntilClosed();
            List<JsonNode> transcripts = events.stream()
                    .filter(e -> e.path("event").asText().equals("transcript"))
                    .toList();
            assertEquals(13, transcripts.size(), "12 answers and the final for the pending interim: " + events);
            for (int i = 0; i < 12; i++) {
                JsonNode t = transcripts.get(i);
                assertEquals(
                        "chunk " + (i + 1),
                        t.path("alternatives").get(0).path("transcript").asText());
                assertEquals((i + 1) % 10 == 0, t.path("is_final").asBoolean());
            }
            assertTrue(transcripts.get(12).path("is_final").asBoolean());
            JsonNode stopped = events.getLast();
            assertEquals("transcription_stopped", stopped.path("event").asText());
            assertEquals(1.2, stopped.path("audio_seconds").asDouble(), 1e-6);
            assertEquals(1000, ws.closeCode());
        }
    }

    @Test
    void stopBeforeAnyAudioEndsAtOnceWithZeroSeconds() throws Exception {
        try (WsTestClient ws = connect("quiet-1")) {
            ws.start(null).next();
            ws.stop();
            JsonNode stopped = ws.until("transcription_stopped");
            assertEquals(0.0, stopped.path("audio_seconds").asDouble());
            assertEquals(1000, ws.closeCode());
        }
    }

    @Test
    void aConfigRivaRefusesIsInvalidConfigAndTheSessionCanStartAgain() throws Exception {
        try (WsTestClient ws = connect("refused-1")) {
            ws.start("{\"language\":\"de-DE\"}").next();
            ws.sendBinary(CHUNK); // the Riva stream opens with the first audio
            JsonNode error = ws.until("error");
            assertEquals("invalid_config", error.path("code").asText(), error.toString());
            assertTrue(error.path("message").asText().contains("Unavailable model"), error.toString());
            assertEquals(
                    "transcription_started", ws.start(null).next().path("event").asText());
            ws.sendBinary(CHUNK);
            assertEquals("chunk 1", ws.nextTranscript());
        }
    }

    @Test
    void base64AudioMessagesWorkLikeBinaryFrames() throws Exception {
        try (WsTestClient ws = connect(null)) {
            String sessionId = ws.start(null).next().path("session_id").asText();
            assertTrue(sessionId.matches("[0-9a-f-]{36}"), "a generated UUID: " + sessionId);
            String data = Base64.getEncoder().encodeToString(CHUNK);
            ws.send("{\"type\":\"audio\",\"data\":\"" + data + "\"}");
            JsonNode t = ws.until("transcript");
            assertEquals(
                    "chunk 1", t.path("alternatives").get(0).path("transcript").asText());
            assertEquals(0.1, t.path("audio_processed_seconds").asDouble(), 1e-6);
        }
    }

    @Test
    void misuseGetsAnErrorAndTheSessionGoesOn() throws Exception {
        try (WsTestClient ws = connect("misuse-1")) {
            assertError(ws.send("not json").next(), "invalid_message");
            assertError(ws.send("{\"type\":\"dance\"}").next(), "invalid_message");
            assertError(ws.send("{\"type\":\"audio\",\"data\":\"***\"}").next(), "invalid_message");
            assertError(ws.sendBinary(CHUNK).next(), "not_started");
            assertError(ws.stop().next(), "not_started");
            assertError(ws.start("{\"sample_rate_hertz\":1234}").next(), "invalid_config");
            assertError(ws.start("{\"encoding\":\"MP3\"}").next(), "invalid_config");
            assertError(ws.start("{\"max_alternatives\":\"two\"}").next(), "invalid_config");
            assertEquals(
                    "transcription_started", ws.start(null).next().path("event").asText());
            assertError(ws.start(null).next(), "already_started");
            ws.sendBinary(CHUNK);
            assertEquals("chunk 1", ws.nextTranscript());
            assertFalse(ws.closed());
        }
    }

    @Test
    void duplicateSessionIdIsRefusedWith1008AndTheFirstGoesOn() throws Exception {
        try (WsTestClient first = connect("dup-1")) {
            first.start(null).next();
            try (WsTestClient second = connect("dup-1")) {
                assertError(second.next(), "session_exists");
                assertEquals(1008, second.closeCode());
            }
            first.sendBinary(CHUNK);
            assertEquals("chunk 1", first.nextTranscript(), "the first session still works");
        }
    }

    @Test
    void oversizedFramesEndTheSessionWith1009() throws Exception {
        try (WsTestClient ws = connect("big-1")) {
            ws.start(null).next();
            ws.sendBinary(new byte[1024 * 1024 + 1]);
            assertError(ws.until("error"), "message_too_large");
            assertEquals(1009, ws.closeCode());
        }
        try (WsTestClient ws = connect("big-2")) {
            ws.send("{\"type\":\"keepalive\",\"pad\":\"" + "x".repeat(70 * 1024) + "\"}");
            assertError(ws.until("error"), "message_too_large");
            assertEquals(1009, ws.closeCode());
        }
    }

    @Test
    void invalidSessionIdIsRefusedAtTheUpgrade() {
        String bad = "x".repeat(65);
        var response = WsTestClient.HTTP
                .sendAsync(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                        "http://127.0.0.1:" + gateway.port() + "/api/v1/transcribe/" + bad))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString())
                .join();
        assertEquals(400, response.statusCode());
        org.junit.jupiter.api.Assertions.assertThrows(Exception.class, () -> connect(bad), "no WebSocket for a bad id");
    }

    @Test
    void foreignOriginIsRefusedWith403AndLocalOriginsAreAllowed() throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + gateway.port() + "/api/v1/transcribe/o-1"))
                .header("Origin", "https://evil.example.com")
                .build();
        assertEquals(
                403,
                WsTestClient.HTTP
                        .send(request, java.net.http.HttpResponse.BodyHandlers.ofString())
                        .statusCode());
        Exception refused = org.junit.jupiter.api.Assertions.assertThrows(
                Exception.class, () -> WsTestClient.connect(gateway.port(), "o-2", "https://evil.example.com"));
        assertTrue(refused.getCause() instanceof java.net.http.WebSocketHandshakeException, refused.toString());
        assertEquals(
                403,
                ((java.net.http.WebSocketHandshakeException) refused.getCause())
                        .getResponse()
                        .statusCode());
        try (WsTestClient ws = WsTestClient.connect(gateway.port(), "o-3", "http://localhost:3000")) {
            assertEquals(
                    "transcription_started", ws.start(null).next().path("event").asText());
        }
    }

    static void assertError(JsonNode event, String code) {
        assertEquals("error", event.path("event").asText(), event.toString());
        assertEquals(code, event.path("code").asText(), event.toString());
        assertFalse(event.path("message").asText().isBlank(), "errors say what was wrong");
    }
}
