package dev.earshot.listener;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.Http1ConnectionProvider;
import io.helidon.webserver.spi.ServerConnection;
import io.helidon.webserver.spi.ServerConnectionSelector;
import io.helidon.webserver.spi.ServerConnectionSelectorProvider;
import java.util.Set;

/**
 * Helidon's hook for connection selectors ({@code META-INF/services}): for a {@link GuardedHttp1}
 * among a listener's protocols, Helidon's own HTTP/1 selector (built by Helidon's provider from
 * the wrapped configuration, so upgrades and settings work as without the guard), with every
 * connection it makes handed to the guard.
 */
public final class GuardedHttp1Provider implements ServerConnectionSelectorProvider<GuardedHttp1> {

    /** For {@link java.util.ServiceLoader}. */
    public GuardedHttp1Provider() {}

    @Override
    public Class<GuardedHttp1> protocolConfigType() {
        return GuardedHttp1.class;
    }

    @Override
    public String protocolType() {
        return new Http1ConnectionProvider().protocolType();
    }

    @Override
    public ServerConnectionSelector create(String listenerName, GuardedHttp1 config, ProtocolConfigs configs) {
        ServerConnectionSelector http1 = new Http1ConnectionProvider().create(listenerName, config.http1(), configs);
        return new Selector(http1, config.guard());
    }

    private record Selector(ServerConnectionSelector http1, ConnectionGuard guard) implements ServerConnectionSelector {
        @Override
        public int bytesToIdentifyConnection() {
            return http1.bytesToIdentifyConnection();
        }

        @Override
        public Support supports(BufferData request) {
            return http1.supports(request);
        }

        @Override
        public Set<String> supportedApplicationProtocols() {
            return http1.supportedApplicationProtocols();
        }

        @Override
        public ServerConnection connection(ConnectionContext ctx) {
            return guard.open(ctx, http1.connection(ctx));
        }
    }
}
