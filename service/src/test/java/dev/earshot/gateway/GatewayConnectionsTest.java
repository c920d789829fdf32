package dev.earshot.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.asr.AsrConfig;
import dev.earshot.http.OriginPolicy;
import dev.earshot.listener.GuardedHttp1;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.ws.TranscribeProtocol;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http1.Http1Config;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The listener settings: Earshot's defaults where configuration is silent, Helidon's own
 * {@code server.*} keys wherever it speaks.
 */
class GatewayConnectionsTest {

    private static Config server(Map<String, String> keys) {
        return Config.just(ConfigSources.create(keys)).get("server");
    }

    @Test
    void withoutConfigurationConnectionsGetAReceiveBufferThatHoldsWholeChunksAndNoNagleDelay() {
        WebServerConfig.Builder builder = WebServerConfig.builder();
        Gateway.connections(builder, Config.empty());
        WebServerConfig config = builder.buildPrototype();

        // Helidon 4.2.0 put 4096 here, smaller than one 100 ms chunk of 16 kHz audio with its framing
        assertEquals(64 * 1024, config.listenerSocketOptions().get(StandardSocketOptions.SO_RCVBUF));
        assertTrue(config.connectionOptions().tcpNoDelay(), "TCP_NODELAY");
        // left to Linux it grows to 4 MB and a client that stops reading is not noticed for half an hour
        assertEquals(
                64 * 1024, config.connectionOptions().socketSendBufferSize().orElseThrow());
        // Helidon 4.5.0's default (true) adds an 8 KB write buffer to every connection
        assertFalse(config.useNio(), "use-nio");
    }

    @Test
    void theWebSocketKeepsTheHttp1SettingsFromConfigurationAndIsItsOnlyReceiveListener() {
        WebServerConfig.Builder builder = WebServerConfig.builder();
        Gateway.connections(builder, server(Map.of("server.protocols.http_1_1.max-prologue-length", "1234")));
        builder.addProtocol(new TranscribeProtocol(null, OriginPolicy.of(List.of()), null));
        WebServerConfig config = builder.buildPrototype();
        // the guard (header-timeout is on by default) wraps the HTTP/1 protocol, so that Helidon
        // builds exactly one HTTP/1 connection selector: the guarded one
        assertTrue(
                config.protocols().stream().noneMatch(Http1Config.class::isInstance),
                config.protocols().toString());
        List<Http1Config> http1 = config.protocols().stream()
                .filter(GuardedHttp1.class::isInstance)
                .map(p -> ((GuardedHttp1) p).http1())
                .toList();
        assertEquals(1, http1.size(), config.protocols().toString());
        assertEquals(1234, http1.get(0).maxPrologueLength(), "configured, then kept");
        // Helidon 4.5.0's composite of two or more receive listeners forwards nothing
        assertEquals(1, http1.get(0).receiveListeners().size(), http1.get(0).toString());
        assertTrue(config.protocols().stream().anyMatch(TranscribeProtocol.class::isInstance));
    }

    @Test
    void helidonListenerKeysFromConfigurationAreAppliedAndWinOverEarshotDefaults() {
        WebServerConfig.Builder builder = WebServerConfig.builder();
        Gateway.connections(
                builder,
                server(Map.of(
                        "server.max-tcp-connections", "700",
                        "server.idle-connection-timeout", "PT7M",
                        "server.connection-options.tcp-no-delay", "false",
                        "server.connection-options.socket-receive-buffer-size", "131072",
                        "server.connection-options.socket-send-buffer-size", "262144",
                        "server.use-nio", "true",
                        "server.drain-seconds", "12")));
        WebServerConfig config = builder.buildPrototype();

        assertEquals(700, config.maxTcpConnections());
        assertEquals(Duration.ofMinutes(7), config.idleConnectionTimeout());
        assertFalse(config.connectionOptions().tcpNoDelay(), "TCP_NODELAY as configured");
        assertTrue(config.useNio(), "use-nio as configured");
        assertEquals(
                131072, config.connectionOptions().socketReceiveBufferSize().orElseThrow());
        assertEquals(262144, config.connectionOptions().socketSendBufferSize().orElseThrow());
        assertNull(
                config.listenerSocketOptions().get(StandardSocketOptions.SO_RCVBUF),
                "Earshot's default receive buffer stays out of the way of a configured one");
    }

    @Test
    void aRunningGatewayClosesIdleConnectionsAfterTheConfiguredIdleTimeout() throws Exception {
        Config listener = server(Map.of(
                "server.idle-connection-timeout", "PT1S",
                "server.idle-connection-period", "PT0.2S"));
        try (GatewayServer gateway = TestGateways.start(
                        SessionSettings.defaults(),
                        TestConfigs.riva(""),
                        AsrConfig.SYNTHETIC,
                        Duration.ofSeconds(1),
                        listener);
                Socket socket = new Socket("127.0.0.1", gateway.port())) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String status = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertEquals("HTTP/1.1 200", status, "a keep-alive request is answered first");
            // then nothing more is sent; Helidon's default idle timeout (5 minutes) would outlast
            // the socket timeout above, so end of stream here means the configured one was applied
            while (in.read() >= 0) {
                // the rest of the response
            }
        }
    }
}
