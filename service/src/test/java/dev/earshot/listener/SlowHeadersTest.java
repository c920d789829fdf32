package dev.earshot.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.WsTestClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's figure: 1,000 slow-header connections do not stop new sessions. The listener here
 * takes at most 1,000 connections ({@code max-tcp-connections}), so the slow ones hold every place
 * it has: a new session gets in only because the header deadline (two seconds here) closes them.
 * Half of them send a request line and then a header line every 200 ms, never the blank line
 * that ends a head; half send nothing at all.
 */
class SlowHeadersTest {
    static final int SLOW = 1_000;

    @Test
    void aThousandSlowHeadConnectionsDoNotStopNewSessionsAndAreClosedWith408() throws Exception {
        try (GatewayServer gateway = ListenerConfigs.gateway(
                Map.of("server.header-timeout", "PT2S", "server.max-tcp-connections", String.valueOf(SLOW)))) {
            List<RawConnection> slow = new ArrayList<>();
            Thread drip = null;
            try {
                for (int i = 0; i < SLOW; i++) {
                    RawConnection c = new RawConnection(gateway.port());
                    slow.add(c);
                    if (i % 2 == 0) {
                        c.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
                    }
                }
                drip = Thread.ofVirtual().start(() -> drip(slow));

                try (WsTestClient ws = WsTestClient.connect(gateway.port(), "past-the-slow-heads")) {
                    assertEquals(
                            "transcription_started",
                            ws.start(null).next().path("event").asText());
                    for (int chunk = 1; chunk <= 3; chunk++) {
                        ws.sendBinary(new byte[3200]);
                        assertEquals("chunk " + chunk, ws.nextTranscript());
                    }
                }

                int timedOut = 0;
                List<String> others = new ArrayList<>();
                for (RawConnection c : slow) {
                    String answer = c.untilClosed();
                    if (answer.startsWith("HTTP/1.1 408 ")) {
                        timedOut++;
                    } else {
                        others.add(answer);
                    }
                }
                assertEquals(
                        SLOW, timedOut, "answers other than 408: " + others.subList(0, Math.min(5, others.size())));
            } finally {
                if (drip != null) {
                    drip.interrupt();
                }
                for (RawConnection c : slow) {
                    c.close();
                }
            }
        }
    }

    /** A header line every 200 ms on each connection that sent a request line, until interrupted. */
    private static void drip(List<RawConnection> slow) {
        for (int line = 0; !Thread.currentThread().isInterrupted(); line++) {
            for (int i = 0; i < slow.size(); i += 2) {
                try {
                    slow.get(i).send("X-Slow-" + line + ": 1\r\n");
                } catch (IOException closed) {
                    // the server has closed it
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
