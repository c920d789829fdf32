package dev.earshot.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionConfigTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static SessionConfig parse(String json) throws Exception {
        return SessionConfig.parse(JSON.readTree(json));
    }

    @Test
    void absentKeysTakeTheDocumentedDefaults() throws Exception {
        SessionConfig c = parse("{}");
        assertEquals(
                new SessionConfig(
                        "en-US",
                        "LINEAR_PCM",
                        16000,
                        1,
                        true,
                        true,
                        1,
                        false,
                        false,
                        "",
                        List.of(),
                        Map.of(),
                        Map.of()),
                c);
        assertEquals(c, SessionConfig.parse(null), "no config at all is the defaults too");
        assertEquals(32000, c.bytesPerSecond());
    }

    @Test
    void everyFieldIsRead() throws Exception {
        SessionConfig c = parse("""
                {"language":"en-GB","encoding":"mulaw","sample_rate_hertz":8000,"enable_interim_results":false,
                 "max_alternatives":3,"enable_word_time_offsets":true,"profanity_filter":true,"model":"m1",
                 "speech_contexts":[{"phrases":["Earshot","Riva"],"boost":12.5}],
                 "endpointing":{"stop_history":800,"stop_threshold":0.3},
                 "custom_configuration":{"k":"v","n":3},"unknown_future_key":1}""");
        assertEquals(
                new SessionConfig(
                        "en-GB",
                        "MULAW",
                        8000,
                        1,
                        true,
                        false,
                        3,
                        true,
                        true,
                        "m1",
                        List.of(new SessionConfig.Context(List.of("Earshot", "Riva"), 12.5f)),
                        Map.of("stop_history", 800, "stop_threshold", 0.3f),
                        Map.of("k", "v", "n", "3")),
                c);
        assertEquals(8000, c.bytesPerSecond());
    }

    @Test
    void badValuesAreInvalidConfigNamingTheField() {
        for (String[] bad : new String[][] {
            {"{\"language\":\"\"}", "language"},
            {"{\"encoding\":\"MP3\"}", "encoding"},
            {"{\"sample_rate_hertz\":96000}", "sample_rate_hertz"},
            {"{\"sample_rate_hertz\":16000.5}", "sample_rate_hertz"},
            {"{\"audio_channel_count\":2}", "audio_channel_count"},
            {"{\"max_alternatives\":11}", "max_alternatives"},
            {"{\"enable_interim_results\":\"yes\"}", "enable_interim_results"},
            {"{\"speech_contexts\":[{\"boost\":1}]}", "phrases"},
            {"{\"endpointing\":{\"stop_threshold\":2}}", "stop_threshold"},
            {"{\"endpointing\":{\"bogus\":1}}", "bogus"},
            {"{\"custom_configuration\":{\"k\":{}}}", "custom_configuration.k"},
            {"[1]", "object"}
        }) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> parse(bad[0]), bad[0]);
            assertEquals(ErrorCode.INVALID_CONFIG, e.code());
            assertTrue(e.getMessage().contains(bad[1]), bad[0] + " -> " + e.getMessage());
        }
    }
}
