package dev.earshot.ws;

import io.helidon.webserver.ProtocolConfigs;
import io.helidon.webserver.http1.spi.Http1UpgradeProvider;
import io.helidon.webserver.http1.spi.Http1Upgrader;

/**
 * Helidon's hook for HTTP/1.1 upgrades ({@code META-INF/services}): turns a
 * {@link TranscribeProtocol} added to the server into the {@code websocket} upgrader.
 */
public final class TranscribeUpgradeProvider implements Http1UpgradeProvider<TranscribeProtocol> {

    /** For {@link java.util.ServiceLoader}. */
    public TranscribeUpgradeProvider() {}

    @Override
    public String protocolType() {
        return TranscribeProtocol.TYPE;
    }

    @Override
    public Class<TranscribeProtocol> protocolConfigType() {
        return TranscribeProtocol.class;
    }

    @Override
    public Http1Upgrader create(TranscribeProtocol config, ProtocolConfigs configs) {
        return new TranscribeUpgrader(config.sessions(), config.origins(), config.auth(), config.endpoints());
    }
}
