package dev.earshot.listener;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.RawHttp;
import dev.earshot.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code server.max-connections-per-ip} on real sockets: every test client is 127.0.0.1, so the
 * limit of two here counts all of them.
 */
class ConnectionsPerIpTest {

    @Test
    void aConnectionBeyondTheLimitGets429AndIsClosedAndAFreedPlaceIsTakenAgain() throws Exception {
        try (GatewayServer gateway = ListenerConfigs.gateway(Map.of("server.max-connections-per-ip", "2"));
                WsTestClient session = WsTestClient.connect(gateway.port(), "per-ip-1");
                RawConnection keepAlive = new RawConnection(gateway.port())) {
            assertTrue(keepAlive.get("/").response().startsWith("HTTP/1.1 200 "), "the second connection is let in");

            try (RawConnection third = new RawConnection(gateway.port())) {
                String answer = third.get("/").untilClosed();
                assertTrue(answer.startsWith("HTTP/1.1 429 "), answer);
                assertTrue(answer.toLowerCase(Locale.ROOT).contains("connection: close"), answer);
            }
            RawHttp.Answer upgrade = RawHttp.upgrade(gateway.port(), "/api/v1/transcribe/per-ip-3");
            assertEquals(429, upgrade.status(), "a WebSocket beyond the limit: " + upgrade.head());

            // the WebSocket session holds its place and goes on
            session.start(null).next();
            session.sendBinary(new byte[3200]);
            assertEquals("chunk 1", session.nextTranscript());

            // the keep-alive connection ends: its place is free once the server has seen the end
            keepAlive.close();
            await("a place freed by a closed connection")
                    .atMost(Duration.ofSeconds(20))
                    .until(() -> {
                        try (RawConnection again = new RawConnection(gateway.port())) {
                            return again.get("/").response().startsWith("HTTP/1.1 200 ");
                        }
                    });
        }
    }

    @Test
    void withoutTheLimitManyConnectionsFromOneAddressAreServed() throws Exception {
        try (GatewayServer gateway = ListenerConfigs.gateway(Map.of())) {
            List<RawConnection> open = new ArrayList<>();
            try {
                for (int i = 0; i < 20; i++) {
                    RawConnection c = new RawConnection(gateway.port());
                    open.add(c);
                    String answer = c.get("/").response();
                    assertTrue(answer.startsWith("HTTP/1.1 200 "), i + ": " + answer);
                }
            } finally {
                for (RawConnection c : open) {
                    c.close();
                }
            }
        }
    }
}
