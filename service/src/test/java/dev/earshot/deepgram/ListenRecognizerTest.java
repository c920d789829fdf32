package dev.earshot.deepgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.TestCorpus;
import dev.earshot.testing.WordErrorRate;
import dev.earshot.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Deepgram's API in front of the embedded Sphinx4 recognizer on the raw wire: what only a real
 * recognizer can show — audio it refuses, and raw audio described by the query.
 */
class ListenRecognizerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static GatewayServer gateway;

    @BeforeAll
    static void start() {
        gateway = DeepgramGateways.sphinx(DeepgramSettings.defaults());
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void audioTheRecognizerCannotDecodeClosesTheStreamWith1008Data0000() {
        try (DeepgramTestClient client = DeepgramTestClient.connect(gateway.port(), "model=nova-3")) {
            // no encoding: a container is expected, and this is no WAV file
            client.audio("this is not audio at all, just some text bytes".getBytes(StandardCharsets.UTF_8));
            DeepgramTestClient.Close close = client.awaitClose();
            assertEquals(1008, close.code(), close.toString());
            assertTrue(close.reason().startsWith("DATA-0000"), close.reason());
        }
    }

    @Test
    void prerecordedRawAudioDescribedByTheQueryIsTranscribed() throws Exception {
        TestCorpus corpus = TestCorpus.samples();
        TestCorpus.Clip clip = corpus.clip("a_utt01.wav");
        HttpResponse<String> response = post(
                "/v1/listen?encoding=linear16&sample_rate=16000&utterances=true",
                "application/octet-stream",
                corpus.pcm(clip.file()));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        String transcript = body.path("results")
                .path("channels")
                .path(0)
                .path("alternatives")
                .path(0)
                .path("transcript")
                .asText();
        WordErrorRate wer = new WordErrorRate();
        wer.add(clip.transcript(), transcript);
        assertTrue(wer.errors() <= 1, transcript);
        assertEquals(
                body.path("metadata").path("request_id").asText(),
                response.headers().firstValue("dg-request-id").orElseThrow());
        assertEquals(
                transcript,
                body.path("results")
                        .path("utterances")
                        .path(0)
                        .path("transcript")
                        .asText());
    }

    @Test
    void aPrerecordedUrlIsRefusedBecauseEarshotFetchesNothing() throws Exception {
        HttpResponse<String> response = post(
                "/v1/listen?model=nova-3",
                "application/json",
                "{\"url\":\"https://example.invalid/a.wav\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals(400, response.statusCode());
        assertTrue(JSON.readTree(response.body()).path("err_msg").asText().contains("does not fetch remote URLs"));
    }

    private static HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
        return WsTestClient.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path))
                        .header("Content-Type", contentType)
                        .header("Authorization", "Token any-key")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
