package dev.earshot.listener;

import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.spi.ProtocolConfig;

/**
 * The HTTP/1 protocol's configuration with a {@link ConnectionGuard} around it, in its place
 * among the listener's protocols. It keeps the type and name of the configuration it wraps
 * ({@code http_1_1}), so Helidon adds no HTTP/1 protocol of its own beside it; not being an
 * {@link Http1Config}, it reaches {@link GuardedHttp1Provider} and not Helidon's provider, so the
 * listener has exactly one HTTP/1 connection selector. That matters: with a single selector
 * Helidon creates the connection before reading a byte, so a client that connects and sends
 * nothing is already under the head deadline.
 *
 * @param http1 Helidon's HTTP/1 settings, listeners and all
 * @param guard the rules each connection is held to
 */
public record GuardedHttp1(Http1Config http1, ConnectionGuard guard) implements ProtocolConfig {
    @Override
    public String name() {
        return http1.name();
    }

    @Override
    public String type() {
        return http1.type();
    }
}
