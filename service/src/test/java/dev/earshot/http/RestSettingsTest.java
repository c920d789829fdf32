package dev.earshot.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RestSettingsTest {
    @Test
    void restSettingsComeFromTheRestNodeAndDefaultToTheDocumentedValues() {
        RestSettings set = RestSettings.from(
                Config.just(ConfigSources.create(Map.of("rest.max-bytes", "1000", "rest.max-concurrent", "3"))));
        assertEquals(new RestSettings(1000, 3), set);
        assertEquals(RestSettings.defaults(), RestSettings.from(Config.empty()));
        assertEquals(64L * 1024 * 1024, RestSettings.defaults().maxBytes());
        assertEquals(8, RestSettings.defaults().maxConcurrent());
    }

    @Test
    void unlessConfiguredConcurrentRecognitionsFollowTheEmbeddedRecognizersDecoders() {
        assertEquals(4, RestSettings.defaults().forDecoders(OptionalInt.of(4)).maxConcurrent());
        assertEquals(8, RestSettings.defaults().forDecoders(OptionalInt.empty()).maxConcurrent(), "a Riva elsewhere");
        RestSettings configured =
                RestSettings.from(Config.just(ConfigSources.create(Map.of("rest.max-concurrent", "8"))));
        assertEquals(8, configured.forDecoders(OptionalInt.of(4)).maxConcurrent(), "an explicit value wins");
    }

    @Test
    void limitsBelowOneAreRefusedAtStartUp() {
        assertThrows(IllegalArgumentException.class, () -> new RestSettings(0, 8));
        assertThrows(IllegalArgumentException.class, () -> new RestSettings(1, 0));
    }
}
