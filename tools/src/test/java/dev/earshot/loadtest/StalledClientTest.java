package dev.earshot.loadtest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.asr.AsrConfig;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code earshot-tools stall} against a real gateway: the client streams and never reads, and the
 * gateway, whose writes to it block once the small socket buffers are full, closes it after
 * {@code sessions.write-timeout}; the tool says so.
 */
class StalledClientTest {

    @Test
    void aClientThatNeverReadsIsClosedByTheGatewayAndTheToolSaysWhen() throws Exception {
        Config listener =
                Config.just(ConfigSources.create(Map.of("server.connection-options.socket-send-buffer-size", "4096")));
        SessionSettings sessions =
                SessionSettings.defaults().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(1));
        try (GatewayServer gateway = TestGateways.start(
                sessions, TestConfigs.riva(""), AsrConfig.SYNTHETIC, Duration.ofSeconds(1), listener.get("server"))) {
            ByteArrayOutputStream text = new ByteArrayOutputStream();
            int exit = StalledClient.main(
                    new String[] {"--url", "ws://127.0.0.1:" + gateway.port() + "/api/v1/transcribe", "--seconds", "60"
                    },
                    new PrintStream(text, true, StandardCharsets.UTF_8));
            String output = text.toString(StandardCharsets.UTF_8);
            assertEquals(0, exit, output);
            assertTrue(output.startsWith("stalled client: closed by the gateway after"), output);
        }
    }
}
