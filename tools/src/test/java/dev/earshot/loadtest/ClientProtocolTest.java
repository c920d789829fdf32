package dev.earshot.loadtest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.ws.WsOpcodes;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The load tool's WebSocket client against a scripted server on a real socket: the RFC 6455
 * handshake and framing, pings and closes, and how every way a session can go wrong is counted —
 * and that none of them makes the run hang.
 */
class ClientProtocolTest {
    private static final Timeouts SHORT = new Timeouts(
            Duration.ofMillis(500),
            Duration.ofMillis(500),
            Duration.ofMillis(500),
            Duration.ofMillis(500),
            Duration.ofMillis(500));
    private static final String STARTED = "{\"event\":\"transcription_started\",\"session_id\":\"s\",\"config\":{}}";
    private static final String STOPPED = "{\"event\":\"transcription_stopped\",\"session_id\":\"s\"}";

    private static LoadReport run(String url, int sessions, int seconds) throws Exception {
        LoadTestOptions options = new LoadTestOptions(
                URI.create(url),
                URI.create("http://127.0.0.1:1/observe/metrics"),
                sessions,
                1000,
                seconds,
                true,
                false,
                1,
                Optional.empty(),
                Optional.empty(),
                true);
        return LoadTest.run(options, new PrintStream(new ByteArrayOutputStream()), SHORT);
    }

    private static String transcript(int n) {
        return "{\"event\":\"transcript\",\"session_id\":\"s\",\"is_final\":false,\"stability\":0.0,"
                + "\"alternatives\":[{\"transcript\":\"chunk " + n + "\",\"confidence\":0.0,\"words\":[]}]}";
    }

    /** Streams like the gateway: answers every chunk (but {@code skip}), then stops and closes. */
    private static void session(ScriptedServer.Peer peer, int skip) throws Exception {
        String key = peer.readRequest();
        assertTrue(peer.requestLine.matches("GET /api/v1/transcribe/load-[0-9a-f]+-\\d+ HTTP/1\\.1"), peer.requestLine);
        peer.accept(key, null);
        ScriptedServer.Frame start = peer.read();
        assertEquals(WsOpcodes.TEXT, start.opcode());
        assertEquals("{\"type\":\"start_transcription\"}", start.text());
        peer.frame(WsOpcodes.PING, "are you there".getBytes(StandardCharsets.UTF_8));
        ScriptedServer.Frame pong = peer.read();
        assertEquals(WsOpcodes.PONG, pong.opcode());
        assertEquals("are you there", pong.text());
        peer.text(STARTED);
        int n = 0;
        while (true) {
            ScriptedServer.Frame f = peer.read();
            if (f.opcode() == WsOpcodes.TEXT) {
                assertEquals("{\"type\":\"stop_transcription\"}", f.text());
                break;
            }
            assertEquals(WsOpcodes.BINARY, f.opcode());
            assertEquals(3200, f.payload().length);
            assertEquals(start.maskKey(), f.maskKey(), "one key per loop");
            n++;
            if (n != skip) {
                peer.text(transcript(n));
                peer.text(transcript(n)); // a second answer to the same chunk counts once
            }
        }
        assertEquals(10, n);
        peer.text(STOPPED);
        ScriptedServer.Frame close = peer.read();
        assertEquals(WsOpcodes.CLOSE, close.opcode());
        assertArrayEquals(new byte[] {0x03, (byte) 0xE8}, close.payload());
        peer.frame(WsOpcodes.CLOSE, new byte[] {0x03, (byte) 0xE8});
        assertTrue(peer.closedByClient());
    }

    @Test
    void aWholeSessionSpeaksRfc6455() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> session(peer, -1))) {
            LoadReport report = run(server.url(), 3, 1);
            assertEquals(List.of(), server.failures);
            assertEquals(3, report.established(), report.table());
            assertEquals(3, report.completed(), report.table());
            assertEquals(Map.of(), report.refused());
            assertEquals(Map.of(), report.errors());
            assertEquals(0, report.missingResults());
            assertEquals(30, report.chunks());
            assertEquals(30, report.chunkLatency().count(), "first answers only");
            assertEquals(30, report.sendLag().count());
            assertEquals(3, report.stopLatency().count());
            assertEquals(3 * (2 + 2 * 10), report.messages());
        }
    }

    @Test
    void aChunkWithoutAnAnswerIsCountedAsMissing() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> session(peer, 4))) {
            LoadReport report = run(server.url(), 2, 1);
            assertEquals(List.of(), server.failures);
            assertEquals(2, report.completed(), report.table());
            assertEquals(2, report.missingResults(), report.table());
            assertEquals(18, report.chunkLatency().count());
        }
    }

    @Test
    void aRefusedHandshakeIsCountedByItsHttpStatus() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.readRequest();
            peer.raw("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy");
            peer.closedByClient();
        })) {
            LoadReport report = run(server.url(), 3, 1);
            assertEquals(Map.of("http_503", 3), report.refused(), report.table());
            assertEquals(Map.of(), report.errors());
            assertEquals(0, report.established());
        }
    }

    @Test
    void aWrongAcceptValueIsAnError() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.accept(peer.readRequest(), "dGhlIHNhbXBsZSBub25jZQ==");
            peer.closedByClient();
        })) {
            LoadReport report = run(server.url(), 2, 1);
            assertEquals(Map.of("bad_accept", 2), report.errors(), report.table());
            assertEquals(0, report.established());
        }
    }

    @Test
    void aRefusalAfterTheUpgradeIsCountedByItsCode() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.upgrade();
            peer.read();
            peer.text("{\"event\":\"error\",\"session_id\":\"s\",\"code\":\"capacity_exceeded\",\"message\":\"full\"}");
            peer.frame(
                    WsOpcodes.CLOSE,
                    ByteBuffer.allocate(2).putShort((short) 1013).array());
            assertEquals(WsOpcodes.CLOSE, peer.readUntil(WsOpcodes.CLOSE).opcode(), "the close is answered");
            assertTrue(peer.closedByClient());
        })) {
            LoadReport report = run(server.url(), 2, 1);
            assertEquals(List.of(), server.failures);
            assertEquals(Map.of("capacity_exceeded", 2), report.refused(), report.table());
            assertEquals(Map.of(), report.errors());
        }
    }

    @Test
    void anErrorWhileStreamingIsCountedByItsCode() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.upgrade();
            peer.read();
            peer.text(STARTED);
            peer.readUntil(WsOpcodes.BINARY);
            peer.text("{\"event\":\"error\",\"session_id\":\"s\",\"code\":\"overloaded\",\"message\":\"behind\"}");
            peer.frame(
                    WsOpcodes.CLOSE,
                    ByteBuffer.allocate(2).putShort((short) 1013).array());
            peer.readUntil(WsOpcodes.CLOSE);
        })) {
            LoadReport report = run(server.url(), 2, 1);
            assertEquals(2, report.established(), report.table());
            assertEquals(0, report.completed(), report.table());
            assertEquals(Map.of("overloaded", 2), report.errors(), report.table());
        }
    }

    @Test
    void silenceAtEveryStepEndsInATimeoutNotAHang() throws Exception {
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.readRequest();
            peer.closedByClient();
        })) {
            assertEquals(Map.of("handshake_timeout", 2), run(server.url(), 2, 1).errors());
        }
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.upgrade();
            peer.closedByClient();
        })) {
            assertEquals(Map.of("start_timeout", 2), run(server.url(), 2, 1).errors());
        }
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.upgrade();
            peer.read();
            peer.text(STARTED);
            peer.closedByClient();
        })) {
            LoadReport report = run(server.url(), 2, 1);
            assertEquals(Map.of("stop_timeout", 2), report.errors(), report.table());
            assertEquals(2, report.established());
        }
    }

    @Test
    void aConnectionRefusedOrDroppedIsAnError() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        assertEquals(
                Map.of("connect_failed", 2),
                run("ws://127.0.0.1:" + port + "/api/v1/transcribe", 2, 1).errors());
        try (ScriptedServer server = new ScriptedServer(peer -> {
            peer.upgrade();
            peer.read();
            peer.text(STARTED);
            peer.readUntil(WsOpcodes.BINARY);
            peer.socket.close();
        })) {
            LoadReport report = run(server.url(), 2, 1);
            assertEquals(2, report.established(), report.table());
            assertTrue(report.errors().keySet().stream().allMatch(c -> c.startsWith("connection_")), report.table());
            assertEquals(
                    2,
                    report.errors().values().stream()
                            .mapToInt(Integer::intValue)
                            .sum(),
                    report.table());
        }
    }
}
