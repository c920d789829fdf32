package dev.earshot.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.asr.AsrConfig;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.MovableClock;
import dev.earshot.testing.ScrapeText;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Draining on real sockets. On SIGTERM (shutdown) readiness drops at once, live sessions go on,
 * then hear going_away and 1001. Through {@code /admin/drain} the operator drains a replica it
 * means to remove, and takes the drain back when the load returns; the drain time of a later
 * shutdown counts from the first.
 */
class DrainTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Sends {@code method} to {@code path} on the admin listener. */
    private static HttpResponse<String> admin(GatewayServer gateway, String method, String path) throws Exception {
        return WsTestClient.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + path))
                        .method(method, HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code method /admin/drain}, checked for its status; the body parsed. */
    private static JsonNode drain(GatewayServer gateway, String method, int status) throws Exception {
        HttpResponse<String> response = admin(gateway, method, "/admin/drain");
        assertEquals(status, response.statusCode(), method + " /admin/drain: " + response.body());
        assertEquals(
                "application/json",
                response.headers().firstValue("Content-Type").orElse(""));
        return JSON.readTree(response.body());
    }

    private static int readiness(GatewayServer gateway) throws Exception {
        return admin(gateway, "GET", "/observe/health/ready").statusCode();
    }

    private static double drainingGauge(GatewayServer gateway) throws Exception {
        return ScrapeText.sum(admin(gateway, "GET", "/observe/metrics").body(), "earshot_draining");
    }

    @Test
    void anAdminDrainRefusesNewSessionsWhileLiveOnesGoOnAndTakingItBackAdmitsThemAgain() throws Exception {
        GatewayServer gateway = TestGateways.synthetic(SessionSettings.defaults());
        int port = gateway.port();
        try (WsTestClient live = WsTestClient.connect(port, "admin-drain-live")) {
            live.start(null).next();
            assertEquals(JSON.readTree("{\"draining\":false,\"sessions\":1}"), drain(gateway, "GET", 200));
            assertEquals(0.0, drainingGauge(gateway));

            assertEquals(JSON.readTree("{\"draining\":true,\"sessions\":1}"), drain(gateway, "POST", 200));
            assertEquals(JSON.readTree("{\"draining\":true,\"sessions\":1}"), drain(gateway, "POST", 200));
            assertEquals(503, readiness(gateway), "readiness is down while draining");
            assertEquals(1.0, drainingGauge(gateway));
            try (WsTestClient late = WsTestClient.connect(port, "admin-drain-late")) {
                JsonNode refusal = late.next();
                assertEquals("capacity_exceeded", refusal.path("code").asText());
                assertEquals(
                        "this replica is draining; try another replica",
                        refusal.path("message").asText());
                assertEquals(1013, late.closeCode());
            }
            live.sendBinary(new byte[3200]);
            assertEquals("chunk 1", live.nextTranscript(), "a live session goes on while its replica drains");
            assertEquals(JSON.readTree("{\"draining\":true,\"sessions\":1}"), drain(gateway, "GET", 200));

            assertEquals(JSON.readTree("{\"draining\":false,\"sessions\":1}"), drain(gateway, "DELETE", 200));
            assertEquals(200, readiness(gateway), "ready again once the drain is taken back");
            assertEquals(0.0, drainingGauge(gateway));
            try (WsTestClient next = WsTestClient.connect(port, "admin-drain-next")) {
                assertEquals(
                        "transcription_started",
                        next.start(null).next().path("event").asText());
                assertEquals(2, drain(gateway, "GET", 200).path("sessions").asInt());
            }
            live.sendBinary(new byte[3200]);
            assertEquals("chunk 2", live.nextTranscript());
        } finally {
            gateway.close();
        }
    }

    @Test
    void aShutdownAfterAnAdminDrainHasOnlyWhatIsLeftOfTheDrainTimeAndCannotBeTakenBack() throws Exception {
        MovableClock clock = new MovableClock();
        GatewayServer gateway = TestGateways.synthetic(Duration.ofMinutes(10), clock);
        try (WsTestClient lingering = WsTestClient.connect(gateway.port(), "drained-linger")) {
            lingering.start(null).next();
            drain(gateway, "POST", 200);
            clock.advance(Duration.ofMinutes(9));

            CompletableFuture<Void> shutdown = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                gateway.shutdown();
                shutdown.complete(null);
            });
            await("the shutdown has begun")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> TestGateways.sessions(gateway).path("draining").asBoolean()
                            && drain(gateway, "DELETE", 409).path("draining").asBoolean());
            assertEquals(503, readiness(gateway));

            // a minute of the ten is left: the session goes on until the clock has used it up
            lingering.sendBinary(new byte[3200]);
            assertEquals("chunk 1", lingering.nextTranscript());
            clock.advance(Duration.ofMinutes(1));
            assertEquals(
                    "drained-linger",
                    lingering.until("going_away").path("session_id").asText());
            assertEquals(1001, lingering.closeCode());
            shutdown.get(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void shutdownRefusesNewSessionsLetsLiveOnesFinishThenSaysGoingAway() throws Exception {
        GatewayServer gateway = TestGateways.start(
                SessionSettings.defaults(), TestConfigs.riva(""), AsrConfig.SYNTHETIC, Duration.ofSeconds(3));
        int port = gateway.port();
        try (WsTestClient finishing = WsTestClient.connect(port, "drain-finish");
                WsTestClient lingering = WsTestClient.connect(port, "drain-linger")) {
            finishing.start(null).next();
            lingering.start(null).next();

            // on a thread of its own: the common pool has one thread on two cores, and the JDK's
            // WebSocket client needs it to complete handshakes
            CompletableFuture<Void> shutdown = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                gateway.shutdown();
                shutdown.complete(null);
            });
            await("the gateway starts draining")
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> TestGateways.sessions(gateway).path("draining").asBoolean());
            assertEquals(
                    503,
                    WsTestClient.HTTP
                            .send(
                                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort()
                                                    + "/observe/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode(),
                    "readiness is down while draining");
            try (WsTestClient late = WsTestClient.connect(port, "drain-late")) {
                assertEquals("capacity_exceeded", late.next().path("code").asText());
                assertEquals(1013, late.closeCode());
            }

            // a live session keeps working during the drain and can finish normally
            finishing.sendBinary(new byte[3200]);
            assertEquals(
                    "chunk 1",
                    finishing
                            .until("transcript")
                            .path("alternatives")
                            .get(0)
                            .path("transcript")
                            .asText());
            finishing.stop();
            finishing.until("transcription_stopped");
            assertEquals(1000, finishing.closeCode());

            // the one that does not finish is told, then closed with 1001
            JsonNode away = lingering.until("going_away");
            assertEquals("drain-linger", away.path("session_id").asText());
            assertEquals(1001, lingering.closeCode());
            shutdown.get(20, TimeUnit.SECONDS);
        }
    }
}
