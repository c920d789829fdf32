package dev.earshot.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every documented key is read from a variable, a property and the bundled file alike. */
class ConfigLoaderTest {
    private static final Pattern ROW = Pattern.compile("^\\| `([a-z][a-z0-9.-]*)` \\| `([A-Z][A-Z0-9_]*)` \\|");

    /** The rows of the README's configuration table: key and environment variable. */
    static Stream<List<String>> readmeKeys() throws IOException {
        Path readme = Path.of("..", "README.md");
        List<List<String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(readme)) {
            Matcher m = ROW.matcher(line);
            if (m.find()) {
                rows.add(List.of(m.group(1), m.group(2)));
            }
        }
        assertTrue(rows.size() >= 20, "the README's configuration table was not found: " + rows);
        return rows.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readmeKeys")
    void everyReadmeKeyIsSetByItsEnvironmentVariable(List<String> row) {
        String key = row.get(0);
        String variable = row.get(1);
        assertEquals(variable, EnvironmentKeys.variable(key), "the README names another variable for " + key);
        Config config = ConfigLoader.load(Map.of(variable, "from-env"), new Properties());
        assertEquals("from-env", config.get(key).asString().orElse("(unset)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readmeKeys")
    void everyReadmeKeyIsSetByItsSystemProperty(List<String> row) {
        Properties properties = new Properties();
        properties.setProperty(row.get(0), "from-property");
        Config config = ConfigLoader.load(Map.of(), properties);
        assertEquals("from-property", config.get(row.get(0)).asString().orElse("(unset)"));
    }

    @Test
    void propertiesWinOverVariablesAndVariablesOverTheBundledFile() {
        Properties properties = new Properties();
        properties.setProperty("server.port", "9001");
        Config config = ConfigLoader.load(Map.of("SERVER_PORT", "9002", "SERVER_DRAIN__SECONDS", "7"), properties);
        assertEquals(9001, config.get("server.port").asInt().get());
        assertEquals(7, config.get("server.drain-seconds").asInt().get());
        assertEquals("PT30S", config.get("sessions.idle-timeout").asString().get(), "the file's default");
    }

    @Test
    void aDoubleUnderscoreIsADashAndASingleOneALevel() {
        assertEquals("server.drain-seconds", EnvironmentKeys.key("SERVER_DRAIN__SECONDS"));
        assertEquals("sessions.max-text-bytes", EnvironmentKeys.key("SESSIONS_MAX__TEXT__BYTES"));
        assertEquals("riva.api-key-file", EnvironmentKeys.key("RIVA_API__KEY__FILE"));
        assertNull(EnvironmentKeys.key("lower_case"));
        assertNull(EnvironmentKeys.key("TRAILING_"));
        assertNull(EnvironmentKeys.key("THREE___UNDERSCORES"));
    }

    @Test
    void aListIsReadFromACommaSeparatedValueOrFromAList() {
        Config fromVariable = ConfigLoader.load(
                Map.of("SERVER_ALLOWED__ORIGINS", " https://a.example, http://b.example:8080 ,"), new Properties());
        assertEquals(
                List.of("https://a.example", "http://b.example:8080"),
                ConfigLoader.list(fromVariable.get("server.allowed-origins")));
        Config unset = ConfigLoader.load(Map.of(), new Properties());
        assertTrue(ConfigLoader.list(unset.get("server.allowed-origins")).isEmpty());
        assertFalse(unset.get("server.allowed-origins").exists(), "the bundled file must leave lists unset");
    }
}
