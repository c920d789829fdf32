package dev.earshot.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestSettingsTest {
    @Test
    void restSettingsComeFromTheRestNodeAndDefaultToTheDocumentedValues() {
        RestSettings set = RestSettings.from(
                Config.just(ConfigSources.create(Map.of("rest.max-bytes", "1000", "rest.max-concurrent", "3"))));
        assertEquals(new RestSettings(1000, 3), set);
        assertEquals(new RestSettings(64L * 1024 * 1024, 8), RestSettings.from(Config.empty()));
    }

    @Test
    void limitsBelowOneAreRefusedAtStartUp() {
        assertThrows(IllegalArgumentException.class, () -> new RestSettings(0, 8));
        assertThrows(IllegalArgumentException.class, () -> new RestSettings(1, 0));
    }
}
