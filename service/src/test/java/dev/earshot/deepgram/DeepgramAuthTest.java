package dev.earshot.deepgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.LogCapture;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestCorpus;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deepgram's listen API behind {@code auth.mode=api-key}: Deepgram's own credential forms carry an
 * Earshot key (Deepgram's SDK works unchanged with one), anything else is refused before a session
 * exists, a stream holds its principal's quota slot, and no key reaches the log.
 */
class DeepgramAuthTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String KEY = "dg-test-key-" + "0123456789abcdef0123456789abcdef";
    private static final String LIVE = "encoding=linear16&sample_rate=16000&interim_results=true";

    @TempDir
    static Path dir;

    static GatewayServer gateway;
    static LogCapture log;

    @BeforeAll
    static void start() throws Exception {
        log = new LogCapture();
        Path keys = TestConfigs.keysFile(dir, "alice", KEY);
        gateway = DeepgramGateways.withAuth(TestConfigs.apiKeys(keys, Duration.ofMinutes(5), 1, 0));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        log.close();
        for (String line : log.lines()) {
            assertFalse(line.contains(KEY), "the key was logged: " + line);
        }
    }

    private static int refusedUpgrade(List<String> headers, List<String> subprotocols) {
        CompletionException refused = assertThrows(
                CompletionException.class,
                () -> DeepgramTestClient.connect(gateway.port(), LIVE, headers, subprotocols)
                        .close());
        return assertInstanceOf(WebSocketHandshakeException.class, refused.getCause())
                .getResponse()
                .statusCode();
    }

    /** {@code GET /api/v1/sessions} with a key: the sessions its principal holds. */
    private static JsonNode ownSessions(String key) throws Exception {
        HttpResponse<String> response = WsTestClient.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/api/v1/sessions"))
                        .header("Authorization", "Bearer " + key)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("sessions");
    }

    @Test
    void aLiveStreamOpensWithTheKeyInDeepgramsTokenHeaderAndNotWithoutIt() throws Exception {
        try (DeepgramTestClient client =
                DeepgramTestClient.connect(gateway.port(), LIVE, List.of("Authorization", "Token " + KEY), List.of())) {
            client.audio(new byte[3200]);
            client.await(m -> m.path("type").asText().equals("Results"));
            assertEquals(1, TestGateways.activeSessions(gateway));
            assertEquals(1, ownSessions(KEY).size(), "listed to its principal");
            assertEquals(
                    429, refusedUpgrade(List.of("Authorization", "Token " + KEY), List.of()), "over its one session");
        }
        assertEquals(401, refusedUpgrade(List.of(), List.of()), "no credential");
        assertEquals(401, refusedUpgrade(List.of("Authorization", "Token wrong-key"), List.of()), "unknown key");
    }

    @Test
    void theBrowserFormOfTheKeyOpensAStreamAnsweredWithTheTokenSubprotocol() {
        try (DeepgramTestClient client =
                DeepgramTestClient.connect(gateway.port(), LIVE, List.of(), List.of("token", KEY))) {
            assertEquals("token", client.ws.getSubprotocol());
            client.audio(new byte[3200]);
            client.await(m -> m.path("type").asText().equals("Results"));
        }
        assertEquals(401, refusedUpgrade(List.of(), List.of("token", "wrong-key")));
    }

    @Test
    void aPreRecordedRequestNeedsTheKeyAndIsRefusedWithDeepgramsErrorBody() throws Exception {
        HttpResponse<String> refused = WsTestClient.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/listen"))
                        .header("Authorization", "Token wrong-key")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[3200]))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, refused.statusCode(), refused.body());
        JsonNode body = JSON.readTree(refused.body());
        assertEquals("INVALID_AUTH", body.path("err_code").asText(), refused.body());
        assertEquals(
                refused.headers().firstValue("dg-request-id").orElseThrow(),
                body.path("request_id").asText());
    }

    @Test
    void deepgramsSdkTranscribesAFileWithAnEarshotKeyAndReportsTheRefusalOfAWrongOne() throws Exception {
        TestCorpus corpus = TestCorpus.samples();
        String wav = corpus.dir().resolve(corpus.clip("a_utt02.wav").file()).toString();
        String base = "http://127.0.0.1:" + gateway.port();

        NodeSdk.Result ok = NodeSdk.node("prerecorded.mjs", List.of(base, wav), Map.of("DEEPGRAM_API_KEY", KEY), 120);
        assertEquals(0, ok.exit(), ok.output());
        assertTrue(ok.lines().getLast().path("ok").asBoolean(), ok.output());
        assertTrue(ok.lines().getLast().path("response").path("metadata").has("request_id"), ok.output());

        NodeSdk.Result wrong =
                NodeSdk.node("prerecorded.mjs", List.of(base, wav), Map.of("DEEPGRAM_API_KEY", "wrong-key"), 120);
        assertFalse(wrong.lines().getLast().path("ok").asBoolean(), wrong.output());
        assertEquals(401, wrong.lines().getLast().path("status").asInt(), wrong.output());
    }
}
