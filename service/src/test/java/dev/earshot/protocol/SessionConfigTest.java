package dev.earshot.protocol;

import com.fasterxml.jackson.databind.ObjectMapper;
import nvidia.riva.RivaAudio.AudioEncoding;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SessionConfigTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static SessionConfig parse(String json) throws Exception {
        return SessionConfig.parse(JSON.readTree(json));
    }

    @Test
    void absentKeysTakeTheDocumentedDefaults() throws Exception {
        SessionConfig c = parse("{}");
        assertEquals(SessionConfig.defaults(), c);
        StreamingRecognitionConfig riva = c.toRiva();
        assertEquals("en-US", riva.getConfig().getLanguageCode());
        assertEquals(AudioEncoding.LINEAR_PCM, riva.getConfig().getEncoding());
        assertEquals(16000, riva.getConfig().getSampleRateHertz());
        assertTrue(riva.getInterimResults());
        assertTrue(riva.getConfig().getEnableAutomaticPunctuation());
        assertEquals(false, riva.getConfig().hasEndpointingConfig());
    }

    @Test
    void everyFieldReachesRiva() throws Exception {
        SessionConfig c = parse("""
                {"language":"en-GB","encoding":"mulaw","sample_rate_hertz":8000,"enable_interim_results":false,
                 "max_alternatives":3,"enable_word_time_offsets":true,"profanity_filter":true,"model":"m1",
                 "speech_contexts":[{"phrases":["Earshot","Riva"],"boost":12.5}],
                 "endpointing":{"stop_history":800,"stop_threshold":0.3},
                 "custom_configuration":{"k":"v","n":3},"unknown_future_key":1}""");
        var riva = c.toRiva();
        assertEquals("en-GB", riva.getConfig().getLanguageCode());
        assertEquals(AudioEncoding.MULAW, riva.getConfig().getEncoding());
        assertEquals(8000, riva.getConfig().getSampleRateHertz());
        assertEquals(false, riva.getInterimResults());
        assertEquals(3, riva.getConfig().getMaxAlternatives());
        assertTrue(riva.getConfig().getEnableWordTimeOffsets());
        assertTrue(riva.getConfig().getProfanityFilter());
        assertEquals("m1", riva.getConfig().getModel());
        assertEquals(12.5f, riva.getConfig().getSpeechContexts(0).getBoost());
        assertEquals(2, riva.getConfig().getSpeechContexts(0).getPhrasesCount());
        assertEquals(800, riva.getConfig().getEndpointingConfig().getStopHistory());
        assertEquals(0.3f, riva.getConfig().getEndpointingConfig().getStopThreshold(), 1e-6);
        assertEquals(false, riva.getConfig().getEndpointingConfig().hasStartHistory());
        assertEquals("3", riva.getConfig().getCustomConfigurationOrThrow("n"));
        assertEquals(8000, c.bytesPerSecond());
    }

    @Test
    void badValuesAreInvalidConfigNamingTheField() {
        for (String[] bad : new String[][]{
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
                {"[1]", "object"}}) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> parse(bad[0]), bad[0]);
            assertEquals(ErrorCode.INVALID_CONFIG, e.code());
            assertTrue(e.getMessage().contains(bad[1]), bad[0] + " -> " + e.getMessage());
        }
    }
}
