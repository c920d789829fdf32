package dev.earshot.ws;

import dev.earshot.session.Session;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Another WebSocket API served through Earshot's own framing besides protocol v1 (Deepgram's
 * listen API is one). Helidon takes one upgrader per protocol name, so the {@code websocket}
 * upgrader asks each endpoint in turn; an endpoint decides its handshake and builds the
 * {@link Session} for the connection, and the frames, limits and timers are the same as v1's.
 */
public interface WsEndpoint {

    /** Whether requests to this path are this endpoint's. */
    boolean serves(String path);

    /**
     * Accepts an upgrade request, or declines it (empty): a declined request goes on to the HTTP
     * routes as a plain request, where the endpoint's own route answers why (400, 401, 426...).
     */
    Optional<Accepted> accept(HttpPrologue prologue, Headers headers);

    /**
     * An accepted upgrade.
     *
     * @param responseHeaders extra headers of the 101 answer ({@code Sec-WebSocket-Protocol}, ids)
     * @param session         the session of the connection, given the socket it writes to
     */
    record Accepted(Map<String, String> responseHeaders, Function<WebSocketOut, Session> session) {}
}
