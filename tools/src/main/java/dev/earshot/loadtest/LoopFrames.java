package dev.earshot.loadtest;

import dev.earshot.ws.WsOpcodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Every frame a loop's sessions send, masked once with the loop's key: the audio chunks and the
 * protocol's control messages. RFC 6455 requires client frames to be masked; masking each chunk
 * per send would cost the tool more than the gateway's unmasking it measures, so a loop masks
 * each distinct frame once and a send is one {@code write(frame.duplicate())}. (A fixed key per
 * loop is enough for a load tool: the key protects caches on the path, of which loopback has none.)
 */
final class LoopFrames {
    private final int maskKey;
    private final ByteBuffer[] audio;
    private final ByteBuffer start;
    private final ByteBuffer stop;
    private final ByteBuffer keepalive;
    private final ByteBuffer close;

    /**
     * @param audio   the chunks to stream, in order (looped)
     * @param maskKey this loop's masking key
     */
    LoopFrames(byte[][] audio, int maskKey) {
        this.maskKey = maskKey;
        this.audio = new ByteBuffer[audio.length];
        for (int i = 0; i < audio.length; i++) {
            this.audio[i] = FrameCodec.clientFrame(WsOpcodes.BINARY, audio[i], maskKey);
        }
        this.start = text("{\"type\":\"start_transcription\"}");
        this.stop = text("{\"type\":\"stop_transcription\"}");
        this.keepalive = text("{\"type\":\"keepalive\"}");
        this.close = FrameCodec.clientFrame(WsOpcodes.CLOSE, new byte[] {0x03, (byte) 0xE8}, maskKey); // 1000
    }

    private ByteBuffer text(String message) {
        return FrameCodec.clientFrame(WsOpcodes.TEXT, message.getBytes(StandardCharsets.UTF_8), maskKey);
    }

    /** Audio chunk {@code n} (from 0), ready to write. */
    ByteBuffer audio(int n) {
        return audio[n % audio.length].duplicate();
    }

    ByteBuffer start() {
        return start.duplicate();
    }

    ByteBuffer stop() {
        return stop.duplicate();
    }

    ByteBuffer keepalive() {
        return keepalive.duplicate();
    }

    /** A close frame with status 1000. */
    ByteBuffer close() {
        return close.duplicate();
    }

    /** A pong echoing a ping's payload {@code buf[offset, offset + length)} (rare: built per ping). */
    ByteBuffer pong(ByteBuffer buf, int offset, int length) {
        byte[] payload = new byte[length];
        buf.get(offset, payload);
        return FrameCodec.clientFrame(WsOpcodes.PONG, payload, maskKey);
    }
}
