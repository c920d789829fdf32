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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The WebSocket layer byte by byte, over a plain socket: what a browser never sends, but a broken
 * or hostile client can. Every case must end in the right close code, never a hang or a leak.
 */
class RawWebSocketTest {
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        // no resume grace: a vanished client ends its session at once (ResumeTest covers the wait)
        gateway = TestGateways.synthetic(TestConfigs.sessionsMax(50).withResume(Duration.ZERO, 32 * 1024));
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
            this(
                    id,
                    sentWithTheHandshake,
                    "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                            + "Sec-WebSocket-Version: " + version + "\r\n");
        }

        /** A handshake with these header lines (each ending in CRLF) besides {@code Host}. */
        Raw(String id, byte[] sentWithTheHandshake, String headerLines) throws IOException {
            socket = new Socket("127.0.0.1", gateway.port());
            socket.setSoTimeout(10_000); // a hang fails the test instead of stalling the build
            in = new DataInputStream(socket.getInputStream());
            String request = "GET /api/v1/transcribe/" + id + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headerLines + "\r\n";
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

        /**
         * Asserts that the server failed the connection (RFC 6455 section 7.1.7): its close frame
         * with this code, then the end of the TCP connection, with nothing read from the client
         * after the fault.
         */
        void assertFailedWith(int code) throws IOException {
            assertEquals(code, closeCode());
            assertEquals(-1, in.read(), "the server closes the connection after its close frame");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** A connection whose handshake succeeded. */
    static Raw open(String id) throws IOException {
        Raw ws = new Raw(id, "13", new byte[0]);
        String head = ws.responseHead();
        assertTrue(head.startsWith("HTTP/1.1 101"), head);
        return ws;
    }

    static byte[] frame(int opcode, boolean fin, byte[] payload) {
        return WsFrameDecoderTest.clientFrame(opcode, fin, payload);
    }

    static byte[] closeFrame(int code, byte[] reason) {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        return frame(WsOpcodes.CLOSE, true, payload);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
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
        try (Raw ws = open("unmasked-1")) {
            ws.send(new byte[] {(byte) 0x81, 2, '{', '}'});
            ws.assertFailedWith(1002);
        }
    }

    // RFC 6455 section 4.2.1: the handshake

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Upgrade: WebSocket     | Connection: Upgrade",
                "Upgrade: WEBSOCKET     | Connection: keep-alive, Upgrade",
                "upgrade: websocket     | connection: UPGRADE",
                "Upgrade: websocket     | Connection: keep-alive + Connection: upgrade", // two header lines
            })
    void handshakeTokensMatchInAnyLetterCaseAndAmongOthers(String upgrade, String connection) throws Exception {
        String headers = upgrade + "\r\n" + connection.replace(" + ", "\r\n") + "\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
        try (Raw ws = new Raw("tokens-" + Math.abs(upgrade.hashCode() ^ connection.hashCode()), new byte[0], headers)) {
            String head = ws.responseHead();
            assertTrue(head.startsWith("HTTP/1.1 101"), upgrade + " / " + connection + " -> " + head);
            ws.send(text("{\"type\":\"start_transcription\"}"));
            assertTrue(ws.read().text().contains("transcription_started"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Connection: keep-alive\r\n", "Connection: Upgraded\r\n"})
    void aHandshakeWithoutTheUpgradeTokenInConnectionIsRefusedWith400(String connection) throws Exception {
        String headers = "Upgrade: websocket\r\n" + connection
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n";
        try (Raw ws = new Raw("no-connection-1", new byte[0], headers)) {
            String head = ws.responseHead();
            assertTrue(head.startsWith("HTTP/1.1 400"), connection + " -> " + head);
        }
    }

    @Test
    void anHttp10HandshakeIsNotUpgradedButRefusedWith505() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream()
                    .write(("GET /api/v1/transcribe/http10-1 HTTP/1.0\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                                    + "Sec-WebSocket-Version: 13\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertTrue(status.endsWith(" 505"), status); // HTTP Version Not Supported: Helidon's answer
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Sec-WebSocket-Key: c2hvcnQ=\r\n", "Sec-WebSocket-Key: not base64!\r\n"})
    void aHandshakeWithoutASixteenByteKeyIsRefusedWith400(String key) throws Exception {
        String headers = "Upgrade: websocket\r\nConnection: Upgrade\r\n" + key + "Sec-WebSocket-Version: 13\r\n";
        try (Raw ws = new Raw("no-key-1", new byte[0], headers)) {
            String head = ws.responseHead();
            assertTrue(head.startsWith("HTTP/1.1 400"), key + " -> " + head);
        }
    }

    // RFC 6455 section 5: framing

    @ParameterizedTest
    @ValueSource(ints = {0x40, 0x20, 0x10})
    void aReservedBitWithoutAnExtensionClosesWith1002(int bit) throws Exception {
        try (Raw ws = open("rsv-" + bit)) {
            byte[] f = text("{\"type\":\"keepalive\"}");
            f[0] |= (byte) bit;
            ws.send(f);
            ws.assertFailedWith(1002);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
    void anUnknownOpcodeClosesWith1002(int opcode) throws Exception {
        try (Raw ws = open("opcode-" + opcode)) {
            ws.send(frame(opcode, true, new byte[] {1}));
            ws.assertFailedWith(1002);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {WsOpcodes.PING, WsOpcodes.PONG, WsOpcodes.CLOSE})
    void aFragmentedControlFrameClosesWith1002(int opcode) throws Exception {
        try (Raw ws = open("ctl-frag-" + opcode)) {
            ws.send(frame(opcode, false, new byte[] {3, (byte) 0xE8}));
            ws.assertFailedWith(1002);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {WsOpcodes.PING, WsOpcodes.PONG, WsOpcodes.CLOSE})
    void aControlFrameOver125BytesClosesWith1002(int opcode) throws Exception {
        try (Raw ws = open("ctl-long-" + opcode)) {
            byte[] payload = new byte[126];
            payload[0] = 3; // 1000, should the frame be read as a close
            payload[1] = (byte) 0xE8;
            ws.send(frame(opcode, true, payload));
            ws.assertFailedWith(1002);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {WsOpcodes.TEXT, WsOpcodes.BINARY})
    void aNewDataFrameInsideAFragmentedMessageClosesWith1002(int opcode) throws Exception {
        try (Raw ws = open("interleaved-" + opcode)) {
            ws.send(frame(WsOpcodes.TEXT, false, "{\"type\":".getBytes(StandardCharsets.UTF_8)));
            ws.send(frame(opcode, true, "\"keepalive\"}".getBytes(StandardCharsets.UTF_8)));
            ws.assertFailedWith(1002);
        }
    }

    @Test
    void anUnsolicitedPongIsIgnored() throws Exception {
        try (Raw ws = open("pong-1")) {
            ws.send(frame(WsOpcodes.PONG, true, new byte[] {1}));
            ws.send(frame(WsOpcodes.PING, true, new byte[] {2}));
            Frame next = ws.read();
            assertEquals(WsOpcodes.PONG, next.opcode(), "the connection goes on: the ping is answered");
            assertArrayEquals(new byte[] {2}, next.payload());
        }
    }

    // RFC 6455 section 8.1: text is UTF-8

    static final byte[] EURO = {(byte) 0xE2, (byte) 0x82, (byte) 0xAC};

    @Test
    void aCharacterSplitAcrossFragmentsIsJoinedWhole() throws Exception {
        try (Raw ws = open("utf8-split-ok")) {
            ws.send(frame(
                    WsOpcodes.TEXT,
                    false,
                    concat(
                            "{\"type\":\"start_transcription\",\"note\":\"".getBytes(StandardCharsets.UTF_8),
                            new byte[] {EURO[0]})));
            ws.send(frame(WsOpcodes.CONTINUATION, false, new byte[] {EURO[1]}));
            ws.send(frame(
                    WsOpcodes.CONTINUATION,
                    true,
                    concat(new byte[] {EURO[2]}, "\"}".getBytes(StandardCharsets.UTF_8))));
            assertTrue(ws.read().text().contains("transcription_started"));
        }
    }

    @Test
    void invalidUtf8SplitAcrossFragmentsClosesWith1007() throws Exception {
        try (Raw ws = open("utf8-split-bad")) {
            ws.send(frame(
                    WsOpcodes.TEXT,
                    false,
                    concat(
                            "{\"type\":\"keepalive\",\"x\":\"".getBytes(StandardCharsets.UTF_8),
                            new byte[] {EURO[0], EURO[1]})));
            ws.send(frame(
                    WsOpcodes.CONTINUATION, true, "(\"}".getBytes(StandardCharsets.UTF_8))); // not a continuation byte
            ws.assertFailedWith(1007);
        }
    }

    @Test
    void invalidUtf8IsCaughtInTheFragmentWhereItGoesWrongWithoutWaitingForTheRest() throws Exception {
        try (Raw ws = open("utf8-fail-fast")) {
            // a surrogate (U+D800) encoded as UTF-8 is not UTF-8; no final fragment ever comes
            ws.send(frame(WsOpcodes.TEXT, false, new byte[] {'{', (byte) 0xED, (byte) 0xA0, (byte) 0x80}));
            ws.assertFailedWith(1007);
        }
    }

    @Test
    void aMessageThatEndsInsideACharacterClosesWith1007() throws Exception {
        try (Raw ws = open("utf8-truncated")) {
            ws.send(frame(WsOpcodes.TEXT, false, "{\"type\":\"keepalive\"}".getBytes(StandardCharsets.UTF_8)));
            ws.send(frame(WsOpcodes.CONTINUATION, true, new byte[] {EURO[0], EURO[1]}));
            ws.assertFailedWith(1007);
        }
    }

    // RFC 6455 sections 5.5.1 and 7.4: closing

    @ParameterizedTest
    @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
    void aCloseCodeNoPeerMaySendClosesWith1002(int code) throws Exception {
        try (Raw ws = open("close-bad-" + code)) {
            ws.send(closeFrame(code, new byte[0]));
            ws.assertFailedWith(1002);
        }
    }

    @ParameterizedTest
    @ValueSource(
            ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
    void aValidCloseCodeIsEchoedAndTheConnectionEnds(int code) throws Exception {
        try (Raw ws = open("close-ok-" + code)) {
            ws.send(closeFrame(code, "bye \u2713".getBytes(StandardCharsets.UTF_8)));
            ws.assertFailedWith(code); // not a failure: the same close handshake, answered
        }
    }

    @Test
    void aCloseWithoutAPayloadIsAnsweredWith1000() throws Exception {
        try (Raw ws = open("close-empty")) {
            ws.send(frame(WsOpcodes.CLOSE, true, new byte[0]));
            ws.assertFailedWith(1000);
        }
    }

    @Test
    void aCloseWithAOneBytePayloadClosesWith1002() throws Exception {
        try (Raw ws = open("close-one-byte")) {
            ws.send(frame(WsOpcodes.CLOSE, true, new byte[] {3}));
            ws.assertFailedWith(1002);
        }
    }

    @Test
    void aCloseReasonThatIsNotUtf8ClosesWith1007() throws Exception {
        try (Raw ws = open("close-bad-reason")) {
            ws.send(closeFrame(1000, new byte[] {'o', 'k', (byte) 0xC0, (byte) 0xAF})); // an overlong '/'
            ws.assertFailedWith(1007);
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
