package dev.earshot.http;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.earshot.gateway.GatewayServer;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.ScrapeText;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HTTP side of the gateway: session listing, metrics, health and CORS (synthetic engine). */
class GatewayHttpTest {
    static GatewayServer gateway;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() {
        gateway = TestGateways.synthetic(SessionSettings.defaults().withMax(20));
    }

    @AfterAll
    static void stop() {
        gateway.close();
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
        return metric(get("/observe/metrics", null).body(), name);
    }

    @Test
    void metricsFollowSessionsOpeningAndClosing() throws Exception {
        String before = get("/observe/metrics", null).body();
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
            String one = get("/observe/metrics", null).body();
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
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (metric("earshot_sessions_active") > 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        String text = get("/observe/metrics", null).body();
        assertEquals(0, metric(text, "earshot_sessions_active"));
        assertEquals(endedBefore + 2, metric(text, "earshot_sessions_total"), text);
        assertEquals(completedBefore + 1, ScrapeText.sample(text, "earshot_sessions_total{outcome=\"completed\"}"), text);
        assertEquals(closedBefore + 1, ScrapeText.sample(text, "earshot_sessions_total{outcome=\"client_closed\"}"), text);
        assertEquals(audioBefore + 0.2, metric(text, "earshot_audio_seconds_total"), 1e-9,
                     "two 100 ms chunks of 16 kHz audio");
        // the synthetic recognizer answers each chunk with an interim, and the stop with a final
        assertEquals(interimsBefore + 2, ScrapeText.sample(text, "earshot_results_total{final=\"false\"}"), text);
        assertEquals(finalsBefore + 1, ScrapeText.sample(text, "earshot_results_total{final=\"true\"}"), text);
        assertEquals(firstResultsBefore + 1, metric(text, "earshot_first_result_seconds_count"), text);
        assertEquals(firstResultsBefore + 1,
                     ScrapeText.sample(text, "earshot_first_result_seconds_bucket{le=\"+Inf\"}"), text);
        assertEquals(firstResultsBefore + 1,
                     ScrapeText.sample(text, "earshot_first_result_seconds_bucket{le=\"10.0\"}"),
                     "the synthetic recognizer answers within the largest bucket");
    }

    @Test
    void healthIsUpWithTheEmbeddedRecognizer() throws Exception {
        assertEquals(200, get("/observe/health/live", null).statusCode());
        assertEquals(200, get("/observe/health/ready", null).statusCode());
    }

    @Test
    void corsAllowsLocalAndSameOriginsAndRefusesOthers() throws Exception {
        HttpResponse<String> local = get("/api/v1/sessions", "http://localhost:5173");
        assertEquals(200, local.statusCode());
        assertEquals("http://localhost:5173", local.headers().firstValue("Access-Control-Allow-Origin").orElse(""));
        HttpResponse<String> same = get("/api/v1/sessions", "http://127.0.0.1:" + gateway.port());
        assertEquals(200, same.statusCode());
        assertEquals(403, get("/api/v1/sessions", "https://evil.example.com").statusCode());
        HttpResponse<String> preflight = WsTestClient.HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.port() + "/api/v1/transcriptions"))
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "http://localhost:5173").header("Access-Control-Request-Method", "POST").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(204, preflight.statusCode());
        assertTrue(preflight.headers().firstValue("Access-Control-Allow-Methods").orElse("").contains("POST"));
    }
}
