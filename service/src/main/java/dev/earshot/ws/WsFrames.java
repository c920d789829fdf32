package dev.earshot.ws;

import java.nio.charset.StandardCharsets;

/**
 * Encodes the frames the server sends (RFC 6455 section 5): unmasked, never fragmented, header
 * and payload in one array so that each frame is one write to the socket.
 */
final class WsFrames {
    private static final int MAX_CLOSE_REASON = 123;

    private WsFrames() {}

    /** A text frame carrying {@code text} as UTF-8. */
    static byte[] text(String text) {
        return frame(WsOpcodes.TEXT, text.getBytes(StandardCharsets.UTF_8));
    }

    /** A pong answering a ping with {@code payload}. */
    static byte[] pong(byte[] payload) {
        return frame(WsOpcodes.PONG, payload);
    }

    /** A close frame with a status code and a reason cut to fit the 125-byte control frame limit. */
    static byte[] close(int code, String reason) {
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        int length = utf8.length;
        if (length > MAX_CLOSE_REASON) {
            length = MAX_CLOSE_REASON;
            while ((utf8[length] & 0xC0) == 0x80) { // do not split a character
                length--;
            }
        }
        byte[] payload = new byte[2 + length];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(utf8, 0, payload, 2, length);
        return frame(WsOpcodes.CLOSE, payload);
    }

    /** A final, unmasked frame. */
    static byte[] frame(int opcode, byte[] payload) {
        int n = payload.length;
        int header = n < 126 ? 2 : n < 65536 ? 4 : 10;
        byte[] frame = new byte[header + n];
        frame[0] = (byte) (0x80 | opcode);
        if (n < 126) {
            frame[1] = (byte) n;
        } else if (n < 65536) {
            frame[1] = 126;
            frame[2] = (byte) (n >> 8);
            frame[3] = (byte) n;
        } else {
            frame[1] = 127;
            for (int i = 0; i < 8; i++) {
                frame[2 + i] = (byte) ((long) n >>> (56 - 8 * i));
            }
        }
        System.arraycopy(payload, 0, frame, header, n);
        return frame;
    }
}
