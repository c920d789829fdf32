package dev.earshot.riva;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import dev.earshot.protocol.SessionConfig;
import java.util.Optional;
import nvidia.riva.RivaAudio.AudioEncoding;
import nvidia.riva.asr.RivaAsr.RecognizeRequest;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionConfig;
import org.junit.jupiter.api.Test;

/** What Riva is asked for: every protocol v1 config field and every REST parameter reaches it. */
class RivaRequestsTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static StreamingRecognitionConfig streaming(String configJson) throws Exception {
        return RivaRequests.streaming(SessionConfig.parse(JSON.readTree(configJson)));
    }

    @Test
    void theDefaultsAskForUsEnglish16kHzPcmWithInterimsAndPunctuation() throws Exception {
        StreamingRecognitionConfig riva = streaming("{}");
        assertEquals("en-US", riva.getConfig().getLanguageCode());
        assertEquals(AudioEncoding.LINEAR_PCM, riva.getConfig().getEncoding());
        assertEquals(16000, riva.getConfig().getSampleRateHertz());
        assertEquals(1, riva.getConfig().getAudioChannelCount());
        assertEquals(1, riva.getConfig().getMaxAlternatives());
        assertTrue(riva.getInterimResults());
        assertTrue(riva.getConfig().getEnableAutomaticPunctuation());
        // always: the end of a final's last word is where a recovering session replays from
        assertTrue(riva.getConfig().getEnableWordTimeOffsets());
        assertFalse(riva.getConfig().hasEndpointingConfig());
        assertEquals(0, riva.getConfig().getSpeechContextsCount());
    }

    @Test
    void everySessionConfigFieldReachesRiva() throws Exception {
        StreamingRecognitionConfig riva = streaming("""
                {"language":"en-GB","encoding":"mulaw","sample_rate_hertz":8000,"enable_interim_results":false,
                 "enable_automatic_punctuation":false,
                 "max_alternatives":3,"enable_word_time_offsets":true,"profanity_filter":true,"model":"m1",
                 "speech_contexts":[{"phrases":["Earshot","Riva"],"boost":12.5}],
                 "endpointing":{"start_history":300,"start_threshold":0.2,"stop_history":800,"stop_threshold":0.3,
                                "stop_history_eou":240,"stop_threshold_eou":0.4},
                 "custom_configuration":{"k":"v","n":3},"unknown_future_key":1}""");
        assertEquals("en-GB", riva.getConfig().getLanguageCode());
        assertEquals(AudioEncoding.MULAW, riva.getConfig().getEncoding());
        assertEquals(8000, riva.getConfig().getSampleRateHertz());
        assertFalse(riva.getInterimResults());
        assertFalse(riva.getConfig().getEnableAutomaticPunctuation());
        assertEquals(3, riva.getConfig().getMaxAlternatives());
        assertTrue(riva.getConfig().getEnableWordTimeOffsets());
        assertTrue(riva.getConfig().getProfanityFilter());
        assertEquals("m1", riva.getConfig().getModel());
        assertEquals(12.5f, riva.getConfig().getSpeechContexts(0).getBoost());
        assertEquals(
                java.util.List.of("Earshot", "Riva"),
                riva.getConfig().getSpeechContexts(0).getPhrasesList());
        var endpointing = riva.getConfig().getEndpointingConfig();
        assertEquals(300, endpointing.getStartHistory());
        assertEquals(0.2f, endpointing.getStartThreshold(), 1e-6);
        assertEquals(800, endpointing.getStopHistory());
        assertEquals(0.3f, endpointing.getStopThreshold(), 1e-6);
        assertEquals(240, endpointing.getStopHistoryEou());
        assertEquals(0.4f, endpointing.getStopThresholdEou(), 1e-6);
        assertEquals("v", riva.getConfig().getCustomConfigurationOrThrow("k"));
        assertEquals("3", riva.getConfig().getCustomConfigurationOrThrow("n"));
    }

    @Test
    void endpointingFieldsNotGivenAreNotSet() throws Exception {
        var endpointing = streaming("{\"endpointing\":{\"stop_history\":800}}")
                .getConfig()
                .getEndpointingConfig();
        assertEquals(800, endpointing.getStopHistory());
        assertFalse(endpointing.hasStartHistory());
        assertFalse(endpointing.hasStopThreshold());
    }

    @Test
    void aWavUploadLeavesTheFormatToItsHeaderAndRawAudioSaysIt() {
        ByteString audio = ByteString.copyFrom(new byte[] {1, 2, 3});
        RecognizeRequest wav = RivaRequests.recognize(audio, Optional.empty(), "en-GB", true);
        assertEquals(AudioEncoding.ENCODING_UNSPECIFIED, wav.getConfig().getEncoding());
        assertEquals(0, wav.getConfig().getSampleRateHertz());
        assertEquals("en-GB", wav.getConfig().getLanguageCode());
        assertTrue(wav.getConfig().getEnableWordTimeOffsets());
        assertTrue(wav.getConfig().getEnableAutomaticPunctuation());
        assertEquals(1, wav.getConfig().getAudioChannelCount());
        assertSame(audio, wav.getAudio(), "carried as it is, not copied");

        RecognizeRequest raw = RivaRequests.recognize(
                audio, Optional.of(new RivaRequests.RawFormat(AudioEncoding.ALAW, 8000)), "en-US", false);
        assertEquals(AudioEncoding.ALAW, raw.getConfig().getEncoding());
        assertEquals(8000, raw.getConfig().getSampleRateHertz());
        assertFalse(raw.getConfig().getEnableWordTimeOffsets());
    }
}
