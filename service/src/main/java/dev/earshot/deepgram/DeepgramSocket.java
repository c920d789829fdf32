package dev.earshot.deepgram;

import dev.earshot.protocol.ErrorCode;
import dev.earshot.session.SessionSocket;
import dev.earshot.ws.WebSocketOut;
import java.time.Duration;

/**
 * A Deepgram stream's WebSocket: Deepgram sends no error message, so the session's error becomes
 * the close frame itself ({@link DeepgramCloses}). The dialect notes the error's message
 * ({@link #noteError}) right before the session asks to close after it.
 */
final class DeepgramSocket implements SessionSocket {
    private final WebSocketOut out;
    private volatile String lastError = "";

    DeepgramSocket(WebSocketOut out) {
        this.out = out;
    }

    void noteError(String message) {
        lastError = message;
    }

    @Override
    public void send(String text) {
        out.send(text);
    }

    @Override
    public void closeAfter(ErrorCode error) {
        out.close(DeepgramCloses.code(error), DeepgramCloses.reason(error, lastError));
    }

    @Override
    public void closeNormally(String reason) {
        out.closeNormally(reason);
    }

    @Override
    public void closeGoingAway() {
        out.closeGoingAway();
    }

    @Override
    public boolean isOpen() {
        return out.isOpen();
    }

    @Override
    public long writeBlockedNanos(long nowNanos) {
        return out.writeBlockedNanos(nowNanos);
    }

    @Override
    public void abortAfter(Duration delay) {
        out.abortAfter(delay);
    }
}
