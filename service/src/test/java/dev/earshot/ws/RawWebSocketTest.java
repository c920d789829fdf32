package dev.earshot.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket layer byte by byte, over a plain socket: what a browser never sends, but a broken
 * or hostile client can. Every case must end in the right close code, never a hang or a leak.
 */
class RawWebSocketTest {
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.synthetic(TestConfigs.sessionsMax(50));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    /** A WebSocket client with nothing between the test and the bytes. */
    static final class Raw implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;

        Raw(String id, String version, byte[] sentWithTheHandshake) throws IOException {
            socket = new Socket("127.0.0.1", gateway.port());
            socket.setSoTimeout(10_000);
            in = new DataInputStream(socket.getInputStream());
            String request = "GET /api/v1/transcribe/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: " + version + "\r\n\r\n";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(request.getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(sentWithTheHandshake);
            socket.getOutputStream().write(out.toByteArray());
        }

        /** The response head, up to the blank line. */
        String responseHead() throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.readUnsignedByte());
            }
            return head.toString();
        }

        void send(byte[] frame) throws IOException {
            socket.getOutputStream().write(frame);
        }

        /** The next server frame: [opcode, payload...] as opcode and payload. */
        Frame read() throws IOException {
            int b0 = in.readUnsignedByte();
            int n = in.readUnsignedByte();
            assertEquals(0, n & 0x80, "server frames are not masked");
            n &= 0x7F;
            if (n == 126) {
                n = in.readUnsignedShort();
            } else if (n == 127) {
                n = (int) in.readLong();
            }
            byte[] payload = new byte[n];
            in.readFully(payload);
            return new Frame(b0 & 0x0F, payload);
        }

        /** Reads frames until the close frame and returns its code. */
        int closeCode() throws IOException {
            Frame f;
            do {
                f = read();
            } while (f.opcode() != WsOpcodes.CLOSE);
            return (f.payload()[0] & 0xFF) << 8 | (f.payload()[1] & 0xFF);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    record Frame(int opcode, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    static byte[] text(String s) {
        return WsFrameDecoderTest.clientFrame(WsOpcodes.TEXT, true, s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theHandshakeAnswersWithTheRfcAcceptKey() throws Exception {
        try (Raw ws = new Raw("hs-1", "13", new byte[0])) {
            String head = ws.responseHead();
            assertTrue(head.startsWith("HTTP/1.1 101"), head);
            assertTrue(head.contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo="), head); // RFC 6455 1.3
        }
    }

    @Test
    void anotherProtocolVersionIsRefusedWith400() throws Exception {
        try (Raw ws = new Raw("hs-2", "8", new byte[0])) {
            String head = ws.responseHead();
            assertTrue(head.startsWith("HTTP/1.1 400"), head);
            assertTrue(head.toLowerCase().contains("sec-websocket-version: 13"), head);
        }
    }

    @Test
    void framesSentRightBehindTheHandshakeAreNotLost() throws Exception {
        try (Raw ws = new Raw("early-1", "13", text("{\"type\":\"start_transcription\"}"))) {
            ws.responseHead();
            assertTrue(ws.read().text().contains("transcription_started"));
        }
    }

    @Test
    void aPingIsAnsweredWithAPongCarryingItsPayload() throws Exception {
        try (Raw ws = new Raw("ping-1", "13", new byte[0])) {
            ws.responseHead();
            ws.send(WsFrameDecoderTest.clientFrame(WsOpcodes.PING, true, new byte[] {4, 2}));
            Frame pong = ws.read();
            assertEquals(WsOpcodes.PONG, pong.opcode());
            assertArrayEquals(new byte[] {4, 2}, pong.payload());
        }
    }

    @Test
    void anUnmaskedFrameClosesWith1002() throws Exception {
        try (Raw ws = new Raw("unmasked-1", "13", new byte[0])) {
            ws.responseHead();
            ws.send(new byte[] {(byte) 0x81, 2, '{', '}'});
            assertEquals(1002, ws.closeCode());
        }
    }

    @Test
    void aHugeContinuationWithoutAMessageClosesWith1002BeforeItsPayload() throws Exception {
        try (Raw ws = new Raw("cont-1", "13", new byte[0])) {
            ws.responseHead();
            ws.send(new byte[] {(byte) 0x80, (byte) (0x80 | 127), 0, 0, 1, 0, 0, 0, 0, 0, 9, 9, 9, 9}); // 2^40 bytes
            assertEquals(1002, ws.closeCode());
        }
    }

    @Test
    void invalidUtf8TextClosesWith1007() throws Exception {
        try (Raw ws = new Raw("utf8-1", "13", new byte[0])) {
            ws.responseHead();
            ws.send(WsFrameDecoderTest.clientFrame(WsOpcodes.TEXT, true, new byte[] {'{', (byte) 0xC3, '}'}));
            assertEquals(1007, ws.closeCode());
        }
    }

    @Test
    void aFragmentedTextMessageIsJoined() throws Exception {
        try (Raw ws = new Raw("frag-1", "13", new byte[0])) {
            ws.responseHead();
            ws.send(WsFrameDecoderTest.clientFrame(WsOpcodes.TEXT, false, "{\"type\":\"start_".getBytes()));
            ws.send(WsFrameDecoderTest.clientFrame(WsOpcodes.PING, true, new byte[0])); // allowed in between
            ws.send(WsFrameDecoderTest.clientFrame(WsOpcodes.CONTINUATION, true, "transcription\"}".getBytes()));
            assertEquals(WsOpcodes.PONG, ws.read().opcode());
            assertTrue(ws.read().text().contains("transcription_started"));
        }
    }

    @Test
    void aClientThatVanishesMidStreamIsNoticedAtOnce() throws Exception {
        Raw ws = new Raw("vanish-1", "13", new byte[0]);
        ws.responseHead();
        ws.send(text("{\"type\":\"start_transcription\"}"));
        ws.read();
        ws.send(WsFrameDecoderTest.clientFrame(WsOpcodes.BINARY, true, new byte[3200]));
        assertTrue(ws.read().text().contains("chunk 1"));
        ws.close(); // no close frame
        await("the session ends with its connection")
                .atMost(Duration.ofSeconds(10))
                .until(
                        () -> TestGateways.sessions(gateway).path("sessions").findValuesAsText("session_id"),
                        ids -> !ids.contains("vanish-1"));
    }

    @Test
    void aClientThatNeverAnswersTheCloseIsDisconnected() throws Exception {
        try (Raw ws = new Raw("deaf-1", "13", new byte[0])) {
            ws.responseHead();
            ws.send(text("{\"type\":\"stop_transcription\"}")); // not started: an error, not an end
            ws.read();
            ws.send(text("{\"type\":\"start_transcription\"}"));
            ws.read();
            ws.send(text("{\"type\":\"stop_transcription\"}")); // ends the session: the server closes
            assertEquals(1000, ws.closeCode());
            InputStream in = ws.socket.getInputStream();
            assertEquals(-1, in.read(), "the server drops the connection after its grace period (read timeout 10 s)");
        }
    }
}
