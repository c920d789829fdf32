package dev.earshot.protocol;

/**
 * The {@code code} of an {@code error} event (protocol v1), with the WebSocket close code that
 * follows it, or 0 when the socket stays open and the client may go on.
 */
public enum ErrorCode {
    /** A frame that is not a valid protocol message. The session goes on. */
    INVALID_MESSAGE("invalid_message", 0),
    /** A start message whose configuration cannot be used. The session is not started; a corrected start may follow. */
    INVALID_CONFIG("invalid_config", 0),
    /** Audio, or a stop, before {@code start_transcription}. */
    NOT_STARTED("not_started", 0),
    /** A second {@code start_transcription}. */
    ALREADY_STARTED("already_started", 0),
    /** Another open session has this id. */
    SESSION_EXISTS("session_exists", CloseCodes.POLICY),
    /** The server holds as many sessions as it may ({@code sessions.max}), or is draining. */
    CAPACITY_EXCEEDED("capacity_exceeded", CloseCodes.TRY_AGAIN_LATER),
    /** Riva cannot be reached or failed the stream. */
    BACKEND_UNAVAILABLE("backend_unavailable", CloseCodes.INTERNAL),
    /** Riva fell behind the audio by more than the session buffer. */
    OVERLOADED("overloaded", CloseCodes.TRY_AGAIN_LATER),
    /** A frame over the size limit. */
    MESSAGE_TOO_LARGE("message_too_large", CloseCodes.TOO_BIG),
    /** No audio or keepalive for {@code sessions.idle-timeout}. */
    IDLE_TIMEOUT("idle_timeout", CloseCodes.NORMAL),
    /** The session reached {@code sessions.max-duration}. */
    SESSION_TIMEOUT("session_timeout", CloseCodes.NORMAL),
    /** Authentication or authorization failed (at Riva or here). */
    UNAUTHORIZED("unauthorized", CloseCodes.POLICY),
    /** A fault in Earshot. */
    INTERNAL("internal", CloseCodes.INTERNAL);

    private final String wire;
    private final int closeCode;

    ErrorCode(String wire, int closeCode) {
        this.wire = wire;
        this.closeCode = closeCode;
    }

    /** The code as it appears in JSON. */
    public String wire() {
        return wire;
    }

    /** The close code that follows the event, or 0 when the session goes on. */
    public int closeCode() {
        return closeCode;
    }

    /** Whether the socket is closed after this error. */
    public boolean closes() {
        return closeCode != 0;
    }
}
