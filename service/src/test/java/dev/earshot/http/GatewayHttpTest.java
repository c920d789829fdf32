package dev.earshot.http;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.ScrapeText;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.Wav;
import dev.earshot.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The HTTP side of the gateway: REST transcription, session listing, metrics, health and CORS (synthetic engine). */
class GatewayHttpTest {
    static GatewayServer gateway;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        gateway = TestGateways.synthetic(TestConfigs.sessionsMax(20));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** A GET on the admin listener ({@code server.admin-port}). */
    static HttpResponse<String> admin(String path, String origin) throws Exception {
        return WsTestClient.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String path, String origin) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + path));
        if (origin != null) {
            b.header("Origin", origin);
        }
        return WsTestClient.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static double metric(String text, String name) {
        return ScrapeText.sum(text, name);
    }

    static double metric(String name) throws Exception {
        return metric(admin("/observe/metrics", null).body(), name);
    }

    @Test
    void metricsFollowSessionsOpeningAndClosing() throws Exception {
        String before = admin("/observe/metrics", null).body();
        double endedBefore = before.contains("earshot_sessions_total{") ? metric(before, "earshot_sessions_total") : 0;
        double interimsBefore = ScrapeText.sampleOrZero(before, "earshot_results_total{final=\"false\"}");
        double finalsBefore = ScrapeText.sampleOrZero(before, "earshot_results_total{final=\"true\"}");
        double completedBefore = ScrapeText.sampleOrZero(before, "earshot_sessions_total{outcome=\"completed\"}");
        double closedBefore = ScrapeText.sampleOrZero(before, "earshot_sessions_total{outcome=\"client_closed\"}");
        double audioBefore = metric(before, "earshot_audio_seconds_total");
        double firstResultsBefore = metric(before, "earshot_first_result_seconds_count");
        assertEquals(20, metric("earshot_sessions_capacity"));
        assertEquals(0, metric("earshot_sessions_active"));
        try (WsTestClient a = WsTestClient.connect(gateway.port(), "m-1")) {
            a.start(null).next();
            String one = admin("/observe/metrics", null).body();
            assertTrue(one.contains("\nearshot_sessions_active 1.0\n"), one);
            try (WsTestClient b = WsTestClient.connect(gateway.port(), "m-2")) {
                b.start(null).next();
                assertEquals(2, metric("earshot_sessions_active"));
                JsonNode sessions = JSON.readTree(get("/api/v1/sessions", null).body());
                assertEquals(2, sessions.path("active").asInt());
                assertEquals(20, sessions.path("capacity").asInt());
                assertEquals(2, sessions.path("sessions").size());
                a.sendBinary(new byte[3200]).sendBinary(new byte[3200]).stop();
                a.until("transcription_stopped");
            }
        }
        await("both sessions end").atMost(Duration.ofSeconds(10)).until(() -> metric("earshot_sessions_active") == 0);
        String text = admin("/observe/metrics", null).body();
        assertEquals(endedBefore + 2, metric(text, "earshot_sessions_total"), text);
        assertEquals(
                completedBefore + 1, ScrapeText.sample(text, "earshot_sessions_total{outcome=\"completed\"}"), text);
        assertEquals(
                closedBefore + 1, ScrapeText.sample(text, "earshot_sessions_total{outcome=\"client_closed\"}"), text);
        assertEquals(
                audioBefore + 0.2,
                metric(text, "earshot_audio_seconds_total"),
                1e-9,
                "two 100 ms chunks of 16 kHz audio");
        // the synthetic recognizer answers each chunk with an interim, and the stop with a final
        assertEquals(interimsBefore + 2, ScrapeText.sample(text, "earshot_results_total{final=\"false\"}"), text);
        assertEquals(finalsBefore + 1, ScrapeText.sample(text, "earshot_results_total{final=\"true\"}"), text);
        assertEquals(firstResultsBefore + 1, metric(text, "earshot_first_result_seconds_count"), text);
        assertEquals(
                firstResultsBefore + 1,
                ScrapeText.sample(text, "earshot_first_result_seconds_bucket{le=\"+Inf\"}"),
                text);
        assertEquals(
                firstResultsBefore + 1,
                ScrapeText.sample(text, "earshot_first_result_seconds_bucket{le=\"10.0\"}"),
                "the synthetic recognizer answers within the largest bucket");
    }

    static HttpResponse<String> post(String pathAndQuery, byte[] body) throws Exception {
        return WsTestClient.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + pathAndQuery))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aWavFileIsTranscribedInOneRequest() throws Exception {
        // 1.2 s: the synthetic engine answers every 100 ms chunk, with a final every tenth and at the end
        HttpResponse<String> response = post("/api/v1/transcriptions", Wav.pcm16k(new byte[38400]));
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("chunk 10 chunk 12", body.path("transcript").asText(), response.body());
        assertEquals(1.2, body.path("audio_seconds").asDouble(), 1e-6);
        assertEquals(2, body.path("results").size(), response.body());
        assertEquals(
                "chunk 10",
                body.path("results")
                        .get(0)
                        .path("alternatives")
                        .get(0)
                        .path("transcript")
                        .asText());
    }

    @Test
    void rawAudioIsTranscribedWhenTheQuerySaysWhatItIs() throws Exception {
        HttpResponse<String> response =
                post("/api/v1/transcriptions?encoding=linear_pcm&sample_rate_hertz=16000", new byte[3200]);
        assertEquals(200, response.statusCode(), response.body());
        assertEquals(
                "chunk 1", JSON.readTree(response.body()).path("transcript").asText(), response.body());
    }

    @Test
    void requestsThatCannotBeTranscribedAreInvalidConfigWith400() throws Exception {
        for (String query : new String[] {
            "",
            "?encoding=LINEAR_PCM",
            "?sample_rate_hertz=16000",
            "?encoding=MP3&sample_rate_hertz=16000",
            "?encoding=LINEAR_PCM&sample_rate_hertz=fast"
        }) {
            HttpResponse<String> response = post("/api/v1/transcriptions" + query, new byte[3200]);
            assertEquals(400, response.statusCode(), query + " -> " + response.body());
            JsonNode body = JSON.readTree(response.body());
            assertEquals("invalid_config", body.path("code").asText(), query + " -> " + response.body());
            assertFalse(body.path("message").asText().isBlank(), "errors say what was wrong");
        }
        HttpResponse<String> empty = post("/api/v1/transcriptions", new byte[0]);
        assertEquals(400, empty.statusCode(), empty.body());
        assertEquals("invalid_config", JSON.readTree(empty.body()).path("code").asText());
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "sample_rate_hertz=abc          | sample_rate_hertz",
                "sample_rate_hertz=0            | sample_rate_hertz",
                "sample_rate_hertz=99999999999  | sample_rate_hertz",
                "sample_rate_hertz=16000.5      | sample_rate_hertz",
                "encoding=MP3                   | encoding",
                "encoding=UNRECOGNIZED          | encoding",
                "word_time_offsets=yes          | word_time_offsets",
                "language=en_US                 | language",
            })
    void aBadQueryValueIs400NamingTheParameterEvenWhenAWavFileWouldNotNeedIt(String query, String parameter)
            throws Exception {
        HttpResponse<String> response = post("/api/v1/transcriptions?" + query, Wav.pcm16k(new byte[3200]));
        assertEquals(400, response.statusCode(), query + " -> " + response.body());
        JsonNode body = JSON.readTree(response.body());
        assertEquals("invalid_config", body.path("code").asText(), response.body());
        assertTrue(body.path("message").asText().startsWith(parameter + " "), response.body());
    }

    @Test
    void goodQueryValuesAreTakenInAnyLetterCase() throws Exception {
        HttpResponse<String> response = post(
                "/api/v1/transcriptions?encoding=Linear_Pcm&sample_rate_hertz=8000&word_time_offsets=TRUE&language=en-us",
                new byte[1600]);
        assertEquals(200, response.statusCode(), response.body());
    }

    @Test
    void healthIsUpWithTheEmbeddedRecognizer() throws Exception {
        assertEquals(200, admin("/observe/health/live", null).statusCode());
        assertEquals(200, admin("/observe/health/ready", null).statusCode());
    }

    @Test
    void corsAllowsLocalAndSameOriginsAndRefusesOthers() throws Exception {
        HttpResponse<String> local = get("/api/v1/sessions", "http://localhost:5173");
        assertEquals(200, local.statusCode());
        assertEquals(
                "http://localhost:5173",
                local.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        HttpResponse<String> same = get("/api/v1/sessions", "http://127.0.0.1:" + gateway.port());
        assertEquals(200, same.statusCode());
        assertEquals(403, get("/api/v1/sessions", "https://evil.example.com").statusCode());
        HttpResponse<String> preflight = WsTestClient.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/api/v1/transcriptions"))
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", "http://localhost:5173")
                        .header("Access-Control-Request-Method", "POST")
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, preflight.statusCode());
        assertTrue(preflight
                .headers()
                .firstValue("Access-Control-Allow-Methods")
                .orElse("")
                .contains("POST"));
    }
}
