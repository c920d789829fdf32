package dev.earshot.ws;

import dev.earshot.auth.Credentials;
import dev.earshot.session.Session;
import io.helidon.common.uri.UriQuery;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import java.util.Map;
import java.util.Optional;

/**
 * Another WebSocket API served through Earshot's own framing besides protocol v1 (Deepgram's
 * listen API is one). Helidon takes one upgrader per protocol name, so the {@code websocket}
 * upgrader asks each endpoint in turn; an endpoint decides its handshake and builds the
 * {@link Session} for the connection, and the frames, limits and timers are the same as v1's, and so
 * are the credential check and the quotas: an endpoint only says where its clients put their
 * credential.
 */
public interface WsEndpoint {

    /** Whether requests to this path are this endpoint's. */
    boolean serves(String path);

    /**
     * Accepts an upgrade request, or declines it (empty): a declined request goes on to the HTTP
     * routes as a plain request, where the endpoint's own route answers why (400, 401, 426...).
     */
    Optional<Accepted> accept(HttpPrologue prologue, Headers headers);

    /** The credential of an upgrade request in this API's forms; protocol v1's by default. */
    default Optional<Credentials> credentials(Headers headers, UriQuery query) {
        return Credentials.from(headers, query);
    }

    /** Builds the session of an accepted connection. */
    @FunctionalInterface
    interface SessionFactory {
        /**
         * @param out   the socket the session writes to
         * @param owner the id of the principal that opened it ({@code dev.earshot.auth.Principal#id()})
         */
        Session open(WebSocketOut out, String owner);
    }

    /**
     * An accepted upgrade.
     *
     * @param responseHeaders extra headers of the 101 answer ({@code Sec-WebSocket-Protocol}, ids)
     * @param session         the session of the connection, given the socket it writes to
     */
    record Accepted(Map<String, String> responseHeaders, SessionFactory session) {}
}
