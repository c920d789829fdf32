package dev.earshot.session;

import dev.earshot.protocol.ErrorCode;
import java.time.Duration;

/**
 * The client end of a session: where its events go, and how it is closed. The session says
 * why it closes; the transport turns that into its own terms (WebSocket close codes, in
 * {@code ws}). Implementations must be safe to call from several threads (the socket's own and
 * the session's) and must never throw: a client that has gone away simply stops receiving. Only
 * the first close counts; later ones do nothing.
 */
public interface SessionSocket {
    /** Sends a text frame. */
    void send(String text);

    /**
     * Sends a transcript result. A socket that keeps events for a resumed client
     * ({@link ResumableSocket}) needs to know: an interim is superseded by the next result.
     */
    default void sendResult(String text, boolean isFinal) {
        send(text);
    }

    /**
     * The secret a client resumes this session with after its connection dropped
     * ({@link ResumableSocket}); null when the session cannot be resumed.
     */
    default String resumeToken() {
        return null;
    }

    /**
     * How long the session waits for its client to resume it after its connection dropped
     * ({@code sessions.resume-grace}), told to the client so it knows how long to try; zero when
     * the session cannot be resumed.
     */
    default Duration resumeGrace() {
        return Duration.ZERO;
    }

    /** Closes after the {@code error} event that ended the session. */
    void closeAfter(ErrorCode error);

    /** Closes normally: the transcription is complete, or the client is gone ({@code reason} says which). */
    void closeNormally(String reason);

    /** Closes because this server is shutting down (after {@code going_away}). */
    void closeGoingAway();

    /**
     * Whether the connection is still there. The session asks every couple of seconds, so that a
     * client that vanished without a close frame is noticed even when nothing is being sent.
     */
    boolean isOpen();

    /**
     * How long the write in progress, if any, has been blocked at {@code nowNanos} (0 when none
     * is): a client that stops reading fills its TCP window and the write waits. Read by the
     * reaper, which must never wait itself.
     */
    long writeBlockedNanos(long nowNanos);

    /**
     * Drops the connection {@code delay} from now unless it has ended by then: the last resort
     * for a client that does not read, whose close frame may never be written. Never blocks.
     */
    void abortAfter(Duration delay);
}
