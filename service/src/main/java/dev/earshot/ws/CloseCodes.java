package dev.earshot.ws;

import dev.earshot.protocol.ErrorCode;

/**
 * The WebSocket close codes Earshot sends (RFC 6455 section 7.4), and the one table of which
 * close follows an {@code error} event that ends a session. Sessions only say why they end; the
 * numbers are the WebSocket's business and live here.
 */
final class CloseCodes {
    /** The session ended normally. */
    static final int NORMAL = 1000;
    /** The server is shutting down. */
    static final int GOING_AWAY = 1001;
    /** A framing rule was broken. */
    static final int PROTOCOL_ERROR = 1002;
    /** A text message was not valid UTF-8. */
    static final int INVALID_PAYLOAD = 1007;
    /** A policy was violated: duplicate session id, authentication, a client that does not read. */
    static final int POLICY = 1008;
    /** A message was too big. */
    static final int TOO_BIG = 1009;
    /** An internal or backend failure. */
    static final int INTERNAL = 1011;
    /** Try again later: the server or Riva is at capacity. */
    static final int TRY_AGAIN_LATER = 1013;

    private CloseCodes() {}

    /**
     * Whether a peer may send this code in a close frame (RFC 6455 section 7.4 and IANA's
     * registry): 1000–1003 and 1007–1014 are defined, 3000–4999 belong to libraries and
     * applications. 1004 and 1016–2999 are reserved; 1005, 1006 and 1015 stand for "no code",
     * "no close frame" and "TLS failed", which only an API may report, never a frame; anything
     * below 1000 or above 4999 is not a close code. A close frame with one of these is a
     * protocol error (1002).
     */
    static boolean maySend(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    /** The close code that follows an error event that ends the session (the table in the README). */
    static int after(ErrorCode error) {
        return switch (error) {
            case SESSION_EXISTS, UNAUTHORIZED, SLOW_CONSUMER, RESUME_FAILED -> POLICY;
            case CAPACITY_EXCEEDED, OVERLOADED -> TRY_AGAIN_LATER;
            case BACKEND_UNAVAILABLE, INTERNAL -> INTERNAL;
            case MESSAGE_TOO_LARGE -> TOO_BIG;
            case IDLE_TIMEOUT, SESSION_TIMEOUT -> NORMAL;
            // protocol v1 leaves the session open after these; were one ever to end it, the
            // client broke the protocol's rules. invalid_config ends one when Riva refuses the
            // stream after it had answered (mid-stream): what the client sends cannot be recognized
            case INVALID_MESSAGE, INVALID_CONFIG, NOT_STARTED, ALREADY_STARTED -> POLICY;
        };
    }
}
