package dev.earshot.ws;

import io.helidon.common.buffers.BufferData;
import io.helidon.config.Config;
import io.helidon.http.Header;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.http.Status;
import io.helidon.http.WritableHeaders;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.http1.Http1ConnectionListener;
import io.helidon.webserver.spi.ProtocolConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Header tokens of the WebSocket handshake, compared as RFC 6455 section 4.2.1 wants: without
 * regard to letter case, and among the other tokens of a comma-separated list
 * ({@code Upgrade: WebSocket}, {@code Connection: keep-alive, Upgrade}).
 *
 * <p>Helidon picks the upgrader for a request by the exact value of its {@code Upgrade} header,
 * so {@code Upgrade: WebSocket} would never reach {@link TranscribeUpgrader} and get 426 from the
 * HTTP routes. As a listener on the HTTP/1 connection this class sees each request's headers once
 * they are parsed and before that look-up, and writes a {@code websocket} token found in any case
 * or list as the one value Helidon looks for. Nothing else in the request changes.
 *
 * <p>It must be the HTTP/1 protocol's only receive listener: Helidon 4.5.0 joins two or more
 * into a composite that forwards no calls at all. So it takes the listeners configured before it
 * (Helidon's receive log) and forwards every call to them itself.
 */
public final class HandshakeTokens implements Http1ConnectionListener {
    static final String WEBSOCKET = "websocket";
    private static final String HTTP1 = "http_1_1";

    private final List<Http1ConnectionListener> others;

    private HandshakeTokens(List<Http1ConnectionListener> others) {
        this.others = List.copyOf(others);
    }

    /**
     * Adds the listener to the server's HTTP/1 protocol, built from the listener's configuration
     * ({@code protocols.http_1_1}, when there is one) and named as Helidon names the one it would
     * build from there, so that Helidon does not add a second.
     *
     * @param alsoTo listeners of Earshot's own that get every call after this one, since they
     *               cannot be receive listeners beside it
     */
    public static void install(WebServerConfig.Builder server, Config listener, List<Http1ConnectionListener> alsoTo) {
        Http1Config.Builder configured = Http1Config.builder();
        Config node = listener.get("protocols").get(HTTP1);
        if (node.exists()) {
            configured.config(node);
        }
        Http1Config http1 = configured.name(HTTP1).build();
        List<Http1ConnectionListener> forwarded = new ArrayList<>(http1.receiveListeners());
        forwarded.addAll(alsoTo);
        List<ProtocolConfig> protocols = new ArrayList<>(server.protocols());
        protocols.removeIf(Http1Config.class::isInstance);
        protocols.add(Http1Config.builder()
                .from(http1)
                .receiveListeners(List.of(new HandshakeTokens(forwarded)))
                .build());
        server.protocols(protocols);
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        if (headers instanceof WritableHeaders<?> writable
                && headers.contains(HeaderNames.UPGRADE)
                && !headers.get(HeaderNames.UPGRADE).allValues().equals(List.of(WEBSOCKET))
                && hasToken(headers, HeaderNames.UPGRADE, WEBSOCKET)) {
            writable.set(HeaderNames.UPGRADE, WEBSOCKET);
        }
        others.forEach(l -> l.headers(ctx, headers));
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        others.forEach(l -> l.prologue(ctx, prologue));
    }

    @Override
    public void status(ConnectionContext ctx, Status status) {
        others.forEach(l -> l.status(ctx, status));
    }

    @Override
    public void data(ConnectionContext ctx, BufferData data) {
        others.forEach(l -> l.data(ctx, data));
    }

    @Override
    public void data(ConnectionContext ctx, byte[] bytes, int offset, int length) {
        others.forEach(l -> l.data(ctx, bytes, offset, length));
    }

    /** Whether a header holds this token, in any letter case, on any of its lines or in any list. */
    static boolean hasToken(Headers headers, HeaderName name, String token) {
        if (!headers.contains(name)) {
            return false;
        }
        Header header = headers.get(name);
        for (String value : header.allValues()) {
            for (String part : value.split(",")) {
                if (part.trim().toLowerCase(Locale.ROOT).equals(token)) {
                    return true;
                }
            }
        }
        return false;
    }
}
