package dev.earshot.ws;

/**
 * A client broke the WebSocket rules: the connection is closed with {@link #closeCode()} and
 * the reason, and the session ends.
 */
final class WsProtocolException extends RuntimeException {
    private final int closeCode;

    WsProtocolException(int closeCode, String reason) {
        super(reason, null, false, false);
        this.closeCode = closeCode;
    }

    int closeCode() {
        return closeCode;
    }
}
