package dev.earshot.session;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The registry's hard limit and the session timers, over real sockets. */
class SessionLimitsTest {
    static final byte[] CHUNK = new byte[3200];

    @Test
    void oneSessionOverTheLimitIsRefusedWith1013AndTheOthersGoOn() throws Exception {
        try (GatewayServer gateway = TestGateways.synthetic(TestConfigs.sessionsMax(3))) {
            List<WsTestClient> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                WsTestClient ws = WsTestClient.connect(gateway.port(), "cap-" + i);
                ws.start(null).next();
                held.add(ws);
            }
            try (WsTestClient extra = WsTestClient.connect(gateway.port(), "cap-extra")) {
                JsonNode error = extra.next();
                assertEquals("capacity_exceeded", error.path("code").asText(), error.toString());
                assertEquals(1013, extra.closeCode());
            }
            for (WsTestClient ws : held) {
                ws.sendBinary(CHUNK);
                assertEquals("chunk 1", ws.nextTranscript());
            }
            held.getFirst().close();
            await("the closed session frees its slot")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> TestGateways.activeSessions(gateway) == 2);
            try (WsTestClient again = WsTestClient.connect(gateway.port(), "cap-again")) {
                assertEquals(
                        "transcription_started",
                        again.start(null).next().path("event").asText());
            }
            held.forEach(WsTestClient::close);
        }
    }

    @Test
    void silenceLongerThanTheIdleTimeoutEndsTheSessionButKeepalivesKeepItOpen() throws Exception {
        SessionSettings settings = TestConfigs.sessionsIdleTimeout(Duration.ofMillis(800));
        try (GatewayServer gateway = TestGateways.synthetic(settings);
                WsTestClient idle = WsTestClient.connect(gateway.port(), "idle-1");
                WsTestClient alive = WsTestClient.connect(gateway.port(), "idle-2")) {
            idle.start(null).next();
            alive.start(null).next();
            // for more than twice the idle timeout: a keepalive every 200 ms, and the socket stays open
            await("keepalives reset the idle timer")
                    .during(Duration.ofMillis(2000))
                    .atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        alive.send("{\"type\":\"keepalive\"}");
                        return !alive.closed();
                    });
            JsonNode error = idle.until("error");
            assertEquals("idle_timeout", error.path("code").asText());
            assertEquals(1000, idle.closeCode());
        }
    }

    @Test
    void aSessionPastItsMaximumDurationEndsWithSessionTimeout() throws Exception {
        SessionSettings settings = TestConfigs.sessionsMaxDuration(Duration.ofMillis(700));
        try (GatewayServer gateway = TestGateways.synthetic(settings);
                WsTestClient ws = WsTestClient.connect(gateway.port(), "long-1")) {
            ws.start(null).next();
            for (int i = 0; i < 5; i++) {
                ws.sendBinary(CHUNK);
                Thread.sleep(100);
            }
            JsonNode error = ws.until("error");
            assertEquals("session_timeout", error.path("code").asText());
            assertEquals(1000, ws.closeCode());
        }
    }

    @Test
    void aSocketThatNeverStartsIsClosedAfterTheStartTimeoutKeepalivesOrNot() throws Exception {
        SessionSettings settings =
                SessionSettings.defaults().withTimeouts(Duration.ofMillis(800), SessionSettings.DEFAULT_WRITE_TIMEOUT);
        try (GatewayServer gateway = TestGateways.synthetic(settings);
                WsTestClient unstarted = WsTestClient.connect(gateway.port(), "unstarted-1");
                WsTestClient started = WsTestClient.connect(gateway.port(), "started-1")) {
            started.start(null).next();
            // both send keepalives for more than twice the start timeout; only the unstarted one is closed
            await("the unstarted socket is closed")
                    .atMost(Duration.ofSeconds(10))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        if (unstarted.closed()) {
                            return true;
                        }
                        unstarted.send("{\"type\":\"keepalive\"}");
                        started.send("{\"type\":\"keepalive\"}");
                        return false;
                    });
            JsonNode error = unstarted.until("error");
            assertEquals("idle_timeout", error.path("code").asText());
            assertTrue(error.path("message").asText().contains("start_transcription"), error.toString());
            assertEquals(1000, unstarted.closeCode());
            assertFalse(started.closed(), "a started session is not subject to the start timeout");
            assertEquals(1, TestGateways.activeSessions(gateway));
        }
    }
}
