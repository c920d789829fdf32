package dev.earshot.listener;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.WsTestClient;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code server.header-timeout} on real sockets: what is timed is only the wait for a request
 * head. The gateway here allows one second, and the tests wait longer than that where it matters.
 */
class HeaderTimeoutTest {
    static final String TIMEOUT = "HTTP/1.1 408 ";
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        gateway = ListenerConfigs.gateway(Map.of("server.header-timeout", "PT1S"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aClientThatConnectsAndSendsNothingGets408AndIsClosed() throws Exception {
        try (RawConnection silent = new RawConnection(gateway.port())) {
            String answer = silent.untilClosed();
            assertTrue(answer.startsWith(TIMEOUT), answer);
        }
    }

    @Test
    void aHeadThatKeepsComingButNeverEndsGets408AndIsClosed() throws Exception {
        try (RawConnection slow = new RawConnection(gateway.port())) {
            slow.send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            Thread drip = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        Thread.sleep(100);
                        slow.send("X-Slow-" + i + ": still coming\r\n");
                    }
                } catch (Exception e) {
                    // closed by the server, as it should be
                }
            });
            String answer = slow.untilClosed();
            drip.interrupt();
            assertTrue(answer.startsWith(TIMEOUT), answer);
            assertTrue(!answer.contains("200 OK"), "the request was never served: " + answer);
        }
    }

    @Test
    void aKeptAliveConnectionIsTimedAgainForItsNextHeadAndClosedQuietlyWhenIdle() throws Exception {
        try (RawConnection idle = new RawConnection(gateway.port());
                RawConnection slow = new RawConnection(gateway.port())) {
            assertTrue(idle.get("/").response().startsWith("HTTP/1.1 200 "), "the first request is served");
            assertTrue(slow.get("/").response().startsWith("HTTP/1.1 200 "), "the first request is served");
            // one sends nothing more, the other only the first line of a second request
            slow.send("GET / HTTP/1.1\r\n");
            String slowAnswer = slow.untilClosed();
            assertTrue(slowAnswer.startsWith(TIMEOUT), slowAnswer);
            // an idle kept-alive connection is closed without a 408, which a client sending a
            // request at that moment would take for its answer
            assertEquals("", idle.untilClosed());
        }
    }

    @Test
    void aBodyThatTakesLongerThanTheHeaderTimeoutIsNotCut() throws Exception {
        byte[] pcm = new byte[3200 * 6];
        try (RawConnection upload = new RawConnection(gateway.port())) {
            upload.send("POST /api/v1/transcriptions?encoding=LINEAR_PCM&sample_rate_hertz=16000 HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nContent-Length: " + pcm.length + "\r\n\r\n");
            for (int i = 0; i < 6; i++) { // 3 s of body at 500 ms a piece: three header timeouts
                Thread.sleep(500);
                upload.socket.getOutputStream().write(pcm, i * 3200, 3200);
                upload.socket.getOutputStream().flush();
            }
            String answer = upload.response();
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            assertTrue(answer.contains("chunk"), "the synthetic recognizer's transcript: " + answer);
        }
    }

    @Test
    void aWebSocketQuieterThanTheHeaderTimeoutKeepsItsSession() throws Exception {
        try (WsTestClient ws = WsTestClient.connect(gateway.port(), "quiet-after-upgrade")) {
            assertQuietSessionLivesOn(ws);
        }
    }

    /**
     * The session on {@code ws} sends nothing for 2.5 s (two and a half of the one-second
     * deadlines these tests set), then starts and is transcribed: no deadline cut it.
     */
    static void assertQuietSessionLivesOn(WsTestClient ws) throws InterruptedException {
        Thread.sleep(2_500);
        assertEquals(
                "transcription_started", ws.start(null).next().path("event").asText());
        ws.sendBinary(new byte[3200]);
        assertEquals("chunk 1", ws.nextTranscript());
    }

    @Test
    void aWholeHeadInTimeIsServed() throws Exception {
        try (RawConnection quick = new RawConnection(gateway.port())) {
            String answer = quick.get("/").response();
            assertTrue(answer.startsWith("HTTP/1.1 200 "), answer);
            assertTrue(answer.toLowerCase(Locale.ROOT).contains("<html"), "the demo page");
        }
    }
}
