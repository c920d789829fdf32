package dev.earshot.ws;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decodes the frames a WebSocket client sends (RFC 6455 section 5) from whatever pieces the
 * socket returns: a frame may be split across reads at any byte, and one read may hold several
 * frames. Arrays fed in become the decoder's: a payload that lies whole in one (the usual case:
 * one read, one audio chunk) is unmasked where it lies, eight bytes at a time, and handed over as
 * a view of that array, with no copy; a payload split across reads is unmasked into an array of
 * its own. Either way the bytes are the receiver's to keep. Between frames the decoder holds
 * nothing but its 14-byte header buffer, so an idle connection costs almost nothing here.
 *
 * <p>The size limit is checked on the header, before any payload is read or allocated: a frame
 * over the limit is reported and its payload skipped. Violations of the framing rules (an
 * unmasked frame, reserved bits, an unknown opcode, a fragmented or oversized control frame) are
 * thrown as {@link WsProtocolException} with close code 1002.
 */
final class WsFrameDecoder {
    /** No payload is ever allocated beyond what a Java array can hold, whatever the handler allows. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private static final byte[] EMPTY = new byte[0];
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** Receives complete frames. */
    interface Handler {
        /** The largest payload accepted for a frame with this opcode. */
        long maxPayload(int opcode);

        /** A whole frame, unmasked: its payload is {@code length} bytes of {@code bytes} from {@code offset}. */
        void onFrame(int opcode, boolean fin, byte[] bytes, int offset, int length);

        /** A frame announced a payload over {@link #maxPayload}; its payload is being skipped. */
        void onOversized(int opcode);
    }

    private final byte[] header = new byte[14];
    private int headerFill;
    private int headerSize;
    private int opcode;
    private boolean fin;
    private int mask;
    private boolean payloadNext; // a header was read; its payload comes next
    private int payloadLength;
    private byte[] payload; // a payload arriving over several reads
    private int payloadFill;
    private long skip;

    /**
     * Consumes {@code length} bytes from {@code data}, calling the handler for each finished
     * frame. The array is given away: it may be unmasked in place and handed to the handler, so
     * the caller must not reuse it.
     */
    void feed(byte[] data, int offset, int length, Handler handler) {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (skip > 0) {
                int n = (int) Math.min(skip, end - at);
                at += n;
                skip -= n;
            } else if (payload != null) {
                int n = Math.min(payload.length - payloadFill, end - at);
                unmask(data, at, payload, payloadFill, n, Integer.rotateRight(mask, (payloadFill & 3) * 8));
                at += n;
                payloadFill += n;
                if (payloadFill == payload.length) {
                    byte[] done = payload;
                    payload = null;
                    handler.onFrame(opcode, fin, done, 0, done.length);
                }
            } else if (payloadNext) {
                payloadNext = false;
                if (end - at >= payloadLength) { // all here: unmask in place, no copy
                    int start = at;
                    at += payloadLength;
                    unmask(data, start, data, start, payloadLength, mask);
                    handler.onFrame(opcode, fin, data, start, payloadLength);
                } else {
                    payload = new byte[payloadLength];
                    payloadFill = 0;
                }
            } else {
                header[headerFill++] = data[at++];
                if (headerFill == 2) {
                    if ((header[1] & 0x80) == 0) { // known now: do not wait for a mask that never comes
                        throw new WsProtocolException(CloseCodes.PROTOCOL_ERROR, "client frames must be masked");
                    }
                    headerSize = 2
                            + 4
                            + switch (header[1] & 0x7F) {
                                case 126 -> 2;
                                case 127 -> 8;
                                default -> 0;
                            };
                }
                if (headerFill >= 2 && headerFill == headerSize) {
                    headerFill = 0;
                    startFrame(handler);
                }
            }
        }
    }

    private void startFrame(Handler handler) {
        int b0 = header[0] & 0xFF;
        int b1 = header[1] & 0xFF;
        fin = (b0 & 0x80) != 0;
        opcode = b0 & 0x0F;
        if ((b0 & 0x70) != 0) {
            throw new WsProtocolException(CloseCodes.PROTOCOL_ERROR, "reserved bits set");
        }
        long length = b1 & 0x7F;
        int at = 2;
        if (length == 126) {
            length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
            at = 4;
        } else if (length == 127) {
            length = 0;
            for (int i = 2; i < 10; i++) {
                length = (length << 8) | (header[i] & 0xFF);
            }
            if (length < 0) {
                throw new WsProtocolException(CloseCodes.PROTOCOL_ERROR, "frame length out of range");
            }
            at = 10;
        }
        mask = (header[at] & 0xFF)
                | (header[at + 1] & 0xFF) << 8
                | (header[at + 2] & 0xFF) << 16
                | (header[at + 3] & 0xFF) << 24;
        switch (opcode) {
            case WsOpcodes.CONTINUATION, WsOpcodes.TEXT, WsOpcodes.BINARY -> {}
            case WsOpcodes.CLOSE, WsOpcodes.PING, WsOpcodes.PONG -> {
                if (!fin || length > 125) {
                    throw new WsProtocolException(
                            CloseCodes.PROTOCOL_ERROR, "control frames must be whole and at most 125 bytes");
                }
            }
            default -> throw new WsProtocolException(CloseCodes.PROTOCOL_ERROR, "unknown opcode " + opcode);
        }
        if (length > handler.maxPayload(opcode) || length > MAX_ARRAY) {
            skip = length;
            handler.onOversized(opcode);
            return;
        }
        if (length == 0) {
            handler.onFrame(opcode, fin, EMPTY, 0, 0);
            return;
        }
        payloadNext = true;
        payloadLength = (int) length;
    }

    /**
     * XORs {@code n} bytes with the mask into {@code dst} ({@code dst} may be {@code src}, at
     * the same place). {@code rotated} is the mask as it stands at the first byte: the frame's
     * mask turned right by eight bits for each payload byte before it, modulo four.
     */
    static void unmask(byte[] src, int srcAt, byte[] dst, int dstAt, int n, int rotated) {
        long wide = (rotated & 0xFFFFFFFFL) | ((long) rotated << 32);
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            LONGS.set(dst, dstAt + i, (long) LONGS.get(src, srcAt + i) ^ wide);
        }
        for (; i < n; i++) {
            dst[dstAt + i] = (byte) (src[srcAt + i] ^ (rotated >>> ((i & 3) * 8)));
        }
    }
}
