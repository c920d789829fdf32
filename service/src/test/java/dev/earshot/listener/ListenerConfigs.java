package dev.earshot.listener;

import dev.earshot.asr.AsrConfig;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.time.Duration;
import java.util.Map;

/** Gateways with a synthetic recognizer whose listener has the given {@code server.*} keys. */
final class ListenerConfigs {
    private ListenerConfigs() {}

    static Config server(Map<String, String> keys) {
        return Config.just(ConfigSources.create(keys)).get("server");
    }

    static GatewayServer gateway(Map<String, String> serverKeys) {
        return TestGateways.start(
                SessionSettings.defaults(),
                TestConfigs.riva(""),
                AsrConfig.SYNTHETIC,
                Duration.ofSeconds(1),
                server(serverKeys));
    }
}
