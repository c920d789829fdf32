package dev.earshot.ws;

/**
 * A client broke the WebSocket rules: the connection is closed with {@link #closeCode()} and
 * the reason, and the session ends.
 */
final class WsProtocolException extends RuntimeException {
    /** RFC 6455 1002: a framing rule was broken. */
    static final int PROTOCOL_ERROR = 1002;
    /** RFC 6455 1007: a text message was not valid UTF-8. */
    static final int INVALID_PAYLOAD = 1007;

    private final int closeCode;

    WsProtocolException(int closeCode, String reason) {
        super(reason, null, false, false);
        this.closeCode = closeCode;
    }

    int closeCode() {
        return closeCode;
    }
}
