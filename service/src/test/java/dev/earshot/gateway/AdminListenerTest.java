package dev.earshot.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The two listeners on real sockets: health, metrics and every session only on the admin port;
 * sessions, REST and the demo page only on the public one.
 */
class AdminListenerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.synthetic(TestConfigs.sessionsMax(5));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return WsTestClient.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthMetricsAndAllSessionsAreOnTheAdminPortOnly() throws Exception {
        assertNotEquals(gateway.port(), gateway.adminPort());
        for (String path : new String[] {"/observe/health/live", "/observe/health/ready", "/observe/metrics"}) {
            assertEquals(200, get(gateway.adminPort(), path).statusCode(), path + " on the admin port");
            assertEquals(404, get(gateway.port(), path).statusCode(), path + " on the public port");
        }
        assertTrue(get(gateway.adminPort(), "/observe/metrics").body().contains("earshot_sessions_capacity 5.0"));
        assertEquals(404, get(gateway.port(), "/admin/sessions").statusCode());
    }

    @Test
    void adminSessionsListsEverySession() throws Exception {
        try (WsTestClient client = WsTestClient.connect(gateway.port(), "admin-listed")) {
            client.start(null).next();
            HttpResponse<String> response = get(gateway.adminPort(), "/admin/sessions");
            assertEquals(200, response.statusCode());
            JsonNode sessions = JSON.readTree(response.body());
            assertEquals(5, sessions.path("capacity").asInt());
            assertEquals(
                    "admin-listed",
                    sessions.path("sessions").get(0).path("session_id").asText());
        }
    }

    @Test
    void theAdminPortServesNoSessionsRestOrDemoPage() throws Exception {
        assertEquals(404, get(gateway.adminPort(), "/api/v1/transcribe").statusCode());
        assertEquals(404, get(gateway.adminPort(), "/api/v1/sessions").statusCode());
        assertEquals(404, get(gateway.adminPort(), "/").statusCode());
        assertEquals(200, get(gateway.port(), "/").statusCode());
    }
}
