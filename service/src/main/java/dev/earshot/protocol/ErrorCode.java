package dev.earshot.protocol;

/**
 * The {@code code} of an {@code error} event (protocol v1). Which errors end the session is
 * the session's decision; which WebSocket close code follows is the WebSocket layer's
 * ({@code ws.CloseCodes}), and which HTTP status the REST API answers with is the HTTP layer's
 * ({@code http.HttpErrors}).
 */
public enum ErrorCode {
    /** A frame that is not a valid protocol message. The session goes on. */
    INVALID_MESSAGE("invalid_message"),
    /**
     * A start message whose configuration cannot be used, or that Riva refused before answering:
     * the session is not started; a corrected start may follow. Riva refusing a stream that had
     * answered (mid-stream) ends the session.
     */
    INVALID_CONFIG("invalid_config"),
    /** Audio, or a stop, before {@code start_transcription}. */
    NOT_STARTED("not_started"),
    /** A second {@code start_transcription}. */
    ALREADY_STARTED("already_started"),
    /** Another open session has this id. */
    SESSION_EXISTS("session_exists"),
    /** The server holds as many sessions as it may ({@code sessions.max}), is draining, or Riva has no capacity. */
    CAPACITY_EXCEEDED("capacity_exceeded"),
    /** Riva cannot be reached or failed the stream, after the session's attempts at a new stream. */
    BACKEND_UNAVAILABLE("backend_unavailable"),
    /** Riva fell behind the audio by more than the session buffer. */
    OVERLOADED("overloaded"),
    /**
     * The client is not reading its results: a write to it was blocked for
     * {@code sessions.write-timeout}, or more results waited for it than a session may hold.
     */
    SLOW_CONSUMER("slow_consumer"),
    /** A frame over the size limit. */
    MESSAGE_TOO_LARGE("message_too_large"),
    /** No audio or keepalive for {@code sessions.idle-timeout}. */
    IDLE_TIMEOUT("idle_timeout"),
    /** The session reached {@code sessions.max-duration}. */
    SESSION_TIMEOUT("session_timeout"),
    /**
     * A resume that cannot be made whole: the events after the client's {@code last_seq} are no
     * longer all kept ({@code sessions.resume-buffer-bytes}), or the session ended meanwhile. The
     * session ends; the client starts a new one.
     */
    RESUME_FAILED("resume_failed"),
    /** Riva refused the gateway's credentials. */
    UNAUTHORIZED("unauthorized"),
    /** A fault in Earshot. */
    INTERNAL("internal");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    /** The code as it appears in JSON. */
    public String wire() {
        return wire;
    }
}
