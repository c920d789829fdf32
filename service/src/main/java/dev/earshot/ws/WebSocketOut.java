package dev.earshot.ws;

import dev.earshot.session.SessionSocket;

/**
 * A session's WebSocket as another {@link WsEndpoint} sees it: a {@link SessionSocket} that can
 * also close with a close code and reason of the endpoint's choosing, for APIs whose close codes
 * differ from protocol v1's.
 */
public interface WebSocketOut extends SessionSocket {
    /** Sends a close frame with this code and reason (at most 123 bytes of UTF-8; longer is cut). */
    void close(int code, String reason);
}
