package dev.earshot.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.asr.AsrConfig;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.ScrapeText;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A client that sends but never reads fills its TCP window; the gateway must end only that
 * session ({@code slow_consumer}), within the write timeout, and never let it hold up anyone
 * else: other sessions, the reaper, or a shutdown.
 */
class SlowClientTest {
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(1);

    /** A gateway whose connections have small send buffers, so a client that does not read blocks writes soon. */
    private static GatewayServer gateway(Duration drain, Duration writeTimeout) {
        SessionSettings sessions = TestConfigs.sessionsMax(10).withTimeouts(Duration.ofSeconds(10), writeTimeout);
        Config listener = Config.just(
                        ConfigSources.create(Map.of("server.connection-options.socket-send-buffer-size", "4096")))
                .get("server");
        return TestGateways.start(sessions, TestConfigs.riva(""), AsrConfig.SYNTHETIC, drain, listener);
    }

    /**
     * Opens a session on a raw socket with a tiny receive buffer, starts it and keeps sending audio
     * on a thread of its own, never reading a byte.
     */
    private static Socket nonReadingClient(GatewayServer gateway, String id) throws IOException {
        return nonReadingClient(gateway, id, new AtomicLong());
    }

    /** Like the other, counting the frames it got out in {@code sent}. */
    private static Socket nonReadingClient(GatewayServer gateway, String id, AtomicLong sent) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096);
        socket.connect(new InetSocketAddress("127.0.0.1", gateway.port()));
        OutputStream out = socket.getOutputStream();
        out.write(("GET /api/v1/transcribe/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        + "Sec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(RawWebSocketTest.text("{\"type\":\"start_transcription\"}"));
        Thread.ofVirtual().name("non-reading-" + id).start(() -> {
            byte[] chunk = WsFrameDecoderTest.clientFrame(WsOpcodes.BINARY, true, new byte[320]);
            try {
                for (int i = 0; i < 100_000; i++) {
                    out.write(chunk); // blocks once the gateway stops reading; fails once it hangs up
                    sent.incrementAndGet();
                }
            } catch (IOException e) {
                // the gateway closed the connection: expected
            }
        });
        return socket;
    }

    /** Reads what the gateway sent until it closes the connection; true when it did within the time. */
    private static boolean closedByServer(Socket socket) {
        try {
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[65536];
            while (in.read(buffer) >= 0) {
                // the results it never read, then maybe the error and the close frame
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the gateway
        }
    }

    @Test
    void aClientThatDoesNotReadIsEndedAsSlowConsumerWhileOthersStreamOn() throws Exception {
        try (GatewayServer gateway = gateway(Duration.ofSeconds(30), WRITE_TIMEOUT);
                Socket stalled = nonReadingClient(gateway, "stalled-1")) {
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ScrapeText.sampleOrZero(
                                    TestGateways.metrics(gateway), "earshot_sessions_total{outcome=\"slow_consumer\"}")
                            == 1.0);
            // its slot is free and its connection is dropped, though it never read a byte
            assertEquals(0, TestGateways.activeSessions(gateway));
            assertTrue(closedByServer(stalled), "the gateway kept the connection of a client that does not read");

            // and a client that reads is served as before on the same replica
            try (WsTestClient reader = WsTestClient.connect(gateway.port(), "reader-1")) {
                reader.start(null).until("transcription_started");
                reader.audio(new byte[3200], 320).stop();
                assertEquals(
                        "transcription_stopped",
                        reader.until("transcription_stopped").path("event").asText());
            }
        }
    }

    @Test
    void otherSessionsKeepStreamingWhileAClientDoesNotRead() throws Exception {
        try (GatewayServer gateway = gateway(Duration.ofSeconds(30), WRITE_TIMEOUT);
                WsTestClient reader = WsTestClient.connect(gateway.port(), "reader-2")) {
            reader.start(null).until("transcription_started");
            try (Socket stalled = nonReadingClient(gateway, "stalled-2")) {
                // while the stalled session's writes are blocked, this one's chunks are all answered
                for (int i = 1; i <= 20; i++) {
                    reader.sendBinary(new byte[3200]);
                    assertEquals("chunk " + i, reader.nextTranscript());
                }
                assertFalse(stalled.isClosed());
            }
        }
    }

    @Test
    void aShutdownIsNotHeldUpByAClientThatDoesNotRead() throws Exception {
        // a write timeout long enough that the reaper does not end the session first
        GatewayServer gateway = gateway(Duration.ZERO, Duration.ofSeconds(5));
        AtomicLong sent = new AtomicLong();
        try (Socket stalled = nonReadingClient(gateway, "stalled-3", sent)) {
            // the client can send no more: the gateway is blocked writing to it and reads nothing
            long[] last = {-1};
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        long now = sent.get();
                        boolean stuck = now == last[0];
                        last[0] = now;
                        return stuck;
                    });
            assertEquals(1, TestGateways.activeSessions(gateway), "the session must still be open for this test");
            Thread shutdown = Thread.ofVirtual().start(gateway::shutdown);
            shutdown.join(Duration.ofSeconds(60));
            assertFalse(shutdown.isAlive(), "shutdown hung on a client that does not read");
            assertTrue(closedByServer(stalled));
        } finally {
            gateway.close();
        }
    }
}
