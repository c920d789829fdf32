package dev.earshot.config;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Builds the configuration {@code serve} and {@code asr-server} run with. Precedence, highest
 * first: system properties ({@code -Dserver.port=9090}), environment variables
 * ({@code SERVER_PORT=9090}, named by {@link EnvironmentKeys}), then the bundled
 * {@code application.yaml} with the documented defaults.
 *
 * <p>A list key ({@code server.allowed-origins}) may be given as a comma-separated value from a
 * property or variable; {@link #list(Config)} reads both forms. The bundled file leaves such keys
 * unset, because a list in the file would shadow a single value given on the command line.
 */
public final class ConfigLoader {
    private ConfigLoader() {}

    /** This process's configuration. */
    public static Config load() {
        return load(System.getenv(), System.getProperties());
    }

    /** The configuration from these variables and properties over the bundled defaults. */
    public static Config load(Map<String, String> environment, Properties properties) {
        Map<String, String> props = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> props.put(name, properties.getProperty(name)));
        return Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .addSource(ConfigSources.create(props).name("system properties"))
                .addSource(
                        ConfigSources.create(EnvironmentKeys.keys(environment)).name("environment variables"))
                .addSource(ConfigSources.classpath("application.yaml"))
                .build();
    }

    /** A list from a list node, or from a comma-separated value; blank items are dropped. */
    public static List<String> list(Config node) {
        if (node.isList()) {
            return node.asList(String.class).orElse(List.of()).stream()
                    .map(String::trim)
                    .filter(s -> !s.isEmpty())
                    .toList();
        }
        return node.asString()
                .map(value -> List.of(value.split(",")).stream()
                        .map(String::trim)
                        .filter(s -> !s.isEmpty())
                        .toList())
                .orElse(List.of());
    }
}
