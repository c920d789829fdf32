package dev.earshot.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.asr.AsrConfig;
import dev.earshot.session.SessionSettings;
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

/** Graceful shutdown: readiness drops at once, live sessions go on, then hear going_away and 1001. */
class DrainTest {

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
