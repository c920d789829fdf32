package dev.earshot.gateway;

import java.net.StandardSocketOptions;

import io.helidon.webserver.WebServerConfig;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The socket settings every gateway connection gets, whatever Helidon's defaults are. */
class GatewayConnectionsTest {

    @Test
    void connectionsGetAReceiveBufferThatHoldsWholeChunksAndNoNagleDelay() {
        WebServerConfig.Builder builder = WebServerConfig.builder();
        Gateway.connections(builder);
        WebServerConfig config = builder.buildPrototype();

        // Helidon 4.2.0 would put 4096 here, smaller than one 100 ms chunk of 16 kHz audio with its framing
        assertEquals(64 * 1024, config.listenerSocketOptions().get(StandardSocketOptions.SO_RCVBUF));
        assertTrue(config.connectionOptions().tcpNoDelay(), "TCP_NODELAY");
    }
}
