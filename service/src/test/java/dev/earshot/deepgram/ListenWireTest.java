package dev.earshot.deepgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deepgram's live wire format on a real gateway, through a raw WebSocket client, with the
 * {@code synthetic} engine: chunk N of a stream is answered with the interim "chunk N", every
 * tenth chunk with a final, and 100 ms chunks make Riva's times exact, so every field can be
 * checked to the millisecond.
 */
class ListenWireTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] CHUNK = new byte[3200]; // 100 ms of 16 kHz 16-bit mono
    private static final String LIVE = "model=nova-3&encoding=linear16&sample_rate=16000&interim_results=true";
    private static final DeepgramSettings SHORT_IDLE =
            new DeepgramSettings(true, DeepgramModels.defaults(), Duration.ofSeconds(1));
    private static GatewayServer gateway;

    @BeforeAll
    static void start() {
        gateway = DeepgramGateways.synthetic(SessionSettings.defaults(), SHORT_IDLE);
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static void chunks(DeepgramTestClient client, int n) {
        for (int i = 0; i < n; i++) {
            client.audio(CHUNK.clone());
        }
    }

    private static JsonNode finalWith(DeepgramTestClient client, String transcript) {
        return client.await(m -> m.path("type").asText().equals("Results")
                && m.path("is_final").asBoolean()
                && transcript(m).equals(transcript));
    }

    private static String transcript(JsonNode results) {
        return results.path("channel")
                .path("alternatives")
                .path(0)
                .path("transcript")
                .asText();
    }

    @Test
    void resultsCarryDeepgramsFieldsAndCloseStreamEndsWithMetadataAndNormalClose() throws Exception {
        try (DeepgramTestClient client = DeepgramTestClient.connect(gateway.port(), LIVE + "&extra=team:blue")) {
            chunks(client, 15);
            JsonNode interim = client.await(m -> transcript(m).equals("chunk 3"));
            assertFalse(interim.path("is_final").asBoolean());
            assertEquals(0.0, interim.path("start").asDouble());
            assertEquals(0.3, interim.path("duration").asDouble());

            JsonNode fin = finalWith(client, "chunk 10");
            assertEquals("Results", fin.path("type").asText());
            assertEquals("[0,1]", fin.path("channel_index").toString());
            assertEquals(0.0, fin.path("start").asDouble());
            assertEquals(1.0, fin.path("duration").asDouble());
            assertTrue(fin.path("speech_final").asBoolean());
            assertFalse(fin.path("from_finalize").asBoolean());
            assertTrue(fin.path("channel")
                    .path("alternatives")
                    .path(0)
                    .path("confidence")
                    .isNumber());
            assertTrue(fin.path("channel")
                    .path("alternatives")
                    .path(0)
                    .path("words")
                    .isArray());
            JsonNode metadata = fin.path("metadata");
            String requestId = metadata.path("request_id").asText();
            assertTrue(requestId.matches("[0-9a-f-]{36}"), requestId);
            assertEquals("nova-3", metadata.path("model_info").path("name").asText());
            assertTrue(
                    metadata.path("model_uuid").asText().matches("[0-9a-f-]{36}"),
                    metadata.path("model_uuid").asText());
            assertEquals("blue", metadata.path("extra").path("team").asText());

            JsonNode after = client.await(m -> transcript(m).equals("chunk 11"));
            assertEquals(1.0, after.path("start").asDouble());
            assertEquals(0.1, after.path("duration").asDouble());

            client.text("{\"type\":\"CloseStream\"}");
            DeepgramTestClient.Close close = client.awaitClose();
            assertEquals(1000, close.code());
            List<JsonNode> all = client.messages();
            JsonNode last = all.getLast();
            assertEquals("Metadata", last.path("type").asText());
            assertEquals(requestId, last.path("request_id").asText());
            assertEquals(1.5, last.path("duration").asDouble());
            assertEquals(1, last.path("channels").asInt());
            assertEquals("deprecated", last.path("transaction_key").asText());
            assertTrue(
                    last.path("created").asText().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"),
                    last.path("created").asText());
            String uuid = metadata.path("model_uuid").asText();
            assertEquals("[\"" + uuid + "\"]", last.path("models").toString());
            assertEquals(
                    "nova-3", last.path("model_info").path(uuid).path("name").asText());
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int i = 0; i < 15; i++) {
                sha.update(CHUNK);
            }
            assertEquals(
                    HexFormat.of().formatHex(sha.digest()), last.path("sha256").asText());
            JsonNode flushed = all.get(all.size() - 2);
            assertEquals("chunk 15", transcript(flushed));
            assertTrue(flushed.path("is_final").asBoolean());
            assertFalse(
                    flushed.path("speech_final").asBoolean(), "a final forced by CloseStream did not end in silence");
            assertEquals(1.0, flushed.path("start").asDouble());
            assertEquals(0.5, flushed.path("duration").asDouble());
        }
    }

    @Test
    void interimResultsAreSentOnlyWhenAskedFor() {
        try (DeepgramTestClient client =
                DeepgramTestClient.connect(gateway.port(), "encoding=linear16&sample_rate=16000")) {
            chunks(client, 12);
            client.text("{\"type\":\"CloseStream\"}");
            assertEquals(1000, client.awaitClose().code());
            List<JsonNode> results = client.ofType("Results");
            assertEquals(
                    List.of("chunk 10", "chunk 12"),
                    results.stream().map(ListenWireTest::transcript).toList());
            assertTrue(results.stream().allMatch(m -> m.path("is_final").asBoolean()));
        }
    }

    @Test
    void finalizeAnswersWithAFromFinalizeFinalAndTheStreamGoesOnInSessionTime() {
        try (DeepgramTestClient client = DeepgramTestClient.connect(gateway.port(), LIVE)) {
            chunks(client, 5);
            client.text("{\"type\":\"Finalize\"}");
            JsonNode fin = finalWith(client, "chunk 5");
            assertTrue(fin.path("from_finalize").asBoolean());
            assertFalse(fin.path("speech_final").asBoolean());
            assertEquals(0.5, fin.path("duration").asDouble());
            assertFalse(client.closed());

            chunks(client, 3);
            client.text("{\"type\":\"CloseStream\"}");
            assertEquals(1000, client.awaitClose().code());
            JsonNode next = client.ofType("Results").stream()
                    .filter(m -> m.path("is_final").asBoolean() && transcript(m).equals("chunk 3"))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no final after Finalize: " + client.messages()));
            assertEquals(
                    0.5,
                    next.path("start").asDouble(),
                    "the new Riva stream's times are offset by the audio before it");
            assertEquals(0.3, next.path("duration").asDouble());
            assertFalse(next.path("from_finalize").asBoolean());
            assertEquals(0.8, client.messages().getLast().path("duration").asDouble());
        }
    }

    @Test
    void finalizeWithNothingToFinishAnswersAnEmptyFromFinalizeFinal() {
        try (DeepgramTestClient client = DeepgramTestClient.connect(gateway.port(), LIVE)) {
            client.text("{\"type\":\"Finalize\"}");
            JsonNode fin = client.await(m -> m.path("type").asText().equals("Results"));
            assertTrue(fin.path("is_final").asBoolean());
            assertTrue(fin.path("from_finalize").asBoolean());
            assertTrue(transcript(fin).isEmpty(), String.valueOf(transcript(fin)));
        }
    }

    @Test
    void keepAliveHoldsASilentStreamOpenAndSilenceClosesItWithNet0001() {
        try (DeepgramTestClient client = DeepgramTestClient.connect(gateway.port(), LIVE)) {
            long until = System.nanoTime() + Duration.ofMillis(2500).toNanos();
            while (System.nanoTime() < until) {
                client.text("{\"type\":\"KeepAlive\"}");
                Awaitility.await().pollDelay(Duration.ofMillis(250)).until(() -> true);
            }
            assertFalse(client.closed(), "closed despite KeepAlive every 250 ms");
            DeepgramTestClient.Close close = client.awaitClose();
            assertEquals(1011, close.code());
            assertTrue(close.reason().startsWith("NET-0001"), close.reason());
            assertTrue(client.messages().isEmpty(), String.valueOf(client.messages()));
        }
    }

    @Test
    void messagesThatAreNotDeepgramsAreIgnored() {
        try (DeepgramTestClient client = DeepgramTestClient.connect(gateway.port(), LIVE)) {
            client.text("not json").text("{\"type\":\"Configure\"}");
            chunks(client, 10);
            finalWith(client, "chunk 10");
            assertFalse(client.closed());
        }
    }

    @Test
    void invalidParametersAreRefusedWithDeepgramsErrorBody() throws Exception {
        HttpResponse<String> missingRate = get("/v1/listen?encoding=linear16");
        assertEquals(400, missingRate.statusCode());
        JsonNode body = JSON.readTree(missingRate.body());
        assertEquals("Bad Request", body.path("err_code").asText());
        assertTrue(
                body.path("err_msg").asText().contains("sample_rate"),
                body.path("err_msg").asText());
        assertEquals(
                missingRate.headers().firstValue("dg-request-id").orElseThrow(),
                body.path("request_id").asText());
        assertTrue(
                missingRate.headers().firstValue("dg-error").orElseThrow().contains("sample_rate"),
                missingRate.headers().firstValue("dg-error").orElseThrow());

        HttpResponse<String> unknownModel = get("/v1/listen?model=nova-99");
        assertEquals(400, unknownModel.statusCode());
        assertTrue(
                JSON.readTree(unknownModel.body())
                        .path("err_msg")
                        .asText()
                        .startsWith("No such model/language/tier combination found"),
                JSON.readTree(unknownModel.body()).path("err_msg").asText());

        assertEquals(400, get("/v1/listen?interim_results=yes").statusCode());
        assertEquals(400, get("/v1/listen?redact=pci").statusCode());
        assertEquals(400, get("/v1/listen?callback=https://example.invalid/").statusCode());
        assertEquals(
                426, get("/v1/listen?model=nova-2-phonecall&diarize=true").statusCode(), "valid, but not an upgrade");

        CompletionException refused = assertThrows(
                CompletionException.class,
                () -> DeepgramTestClient.connect(gateway.port(), "encoding=speex&sample_rate=16000"));
        assertEquals(
                400,
                assertInstanceOf(WebSocketHandshakeException.class, refused.getCause())
                        .getResponse()
                        .statusCode());
    }

    @Test
    void aPageFromAnotherOriginIsRefused403() throws Exception {
        CompletionException refused = assertThrows(
                CompletionException.class,
                () -> DeepgramTestClient.connect(
                        gateway.port(), LIVE, List.of("Origin", "https://evil.example"), List.of()));
        assertEquals(
                403,
                assertInstanceOf(WebSocketHandshakeException.class, refused.getCause())
                        .getResponse()
                        .statusCode());
        try (DeepgramTestClient allowed = DeepgramTestClient.connect(
                gateway.port(), LIVE, List.of("Origin", "http://localhost:" + gateway.port()), List.of())) {
            chunks(allowed, 1);
            allowed.await(m -> transcript(m).equals("chunk 1"));
        }
    }

    @Test
    void theBrowserFormOfTheKeyIsAnsweredWithTheTokenSubprotocol() {
        try (DeepgramTestClient client =
                DeepgramTestClient.connect(gateway.port(), LIVE, List.of(), List.of("token", "some-api-key"))) {
            assertEquals("token", client.ws.getSubprotocol());
            chunks(client, 10);
            finalWith(client, "chunk 10");
        }
    }

    @Test
    void aStreamIsASessionCountedAndLimitedLikeProtocolV1s() {
        try (DeepgramTestClient client = DeepgramTestClient.connect(gateway.port(), LIVE)) {
            chunks(client, 1);
            client.await(m -> transcript(m).equals("chunk 1"));
            assertEquals(1, TestGateways.activeSessions(gateway));
        }
        try (GatewayServer full = DeepgramGateways.synthetic(TestConfigs.sessionsMax(0), SHORT_IDLE);
                DeepgramTestClient client = DeepgramTestClient.connect(full.port(), LIVE)) {
            DeepgramTestClient.Close close = client.awaitClose();
            assertEquals(1013, close.code());
            assertTrue(close.reason().startsWith("capacity_exceeded"), close.reason());
        }
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return WsTestClient.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
