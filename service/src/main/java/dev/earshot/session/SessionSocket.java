package dev.earshot.session;

/**
 * The client end of a session: where its events go. Implementations must be safe to call from
 * several threads (the socket's own and the session's) and must never throw: a client that has
 * gone away simply stops receiving.
 */
public interface SessionSocket {
    /** Sends a text frame. */
    void send(String text);

    /** Closes the socket with a close code and a short reason; later calls do nothing. */
    void close(int code, String reason);

    /**
     * Whether the connection is still there. The session asks every couple of seconds, so that a
     * client that vanished without a close frame is noticed even when nothing is being sent.
     */
    boolean isOpen();
}
