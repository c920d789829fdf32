package dev.earshot.riva;

import com.google.protobuf.ByteString;
import dev.earshot.protocol.SessionConfig;
import java.util.Optional;
import nvidia.riva.RivaAudio.AudioEncoding;
import nvidia.riva.asr.RivaAsr.EndpointingConfig;
import nvidia.riva.asr.RivaAsr.RecognitionConfig;
import nvidia.riva.asr.RivaAsr.RecognizeRequest;
import nvidia.riva.asr.RivaAsr.SpeechContext;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionConfig;

/**
 * What Earshot asks Riva for, in Riva's terms: a WebSocket session's configuration becomes a
 * {@code StreamingRecognitionConfig}, a REST upload a {@code RecognizeRequest}. The client-facing
 * formats (protocol v1's JSON, the REST query) are read and checked where they arrive; this is
 * the one place that knows Riva's field names.
 */
public final class RivaRequests {
    private RivaRequests() {}

    /**
     * The streaming configuration a session's {@code start_transcription} asks for, with word time
     * offsets always on whatever the client asked: the end of a final's last word is where a
     * session replays audio from when it recovers onto a new stream (the session strips the
     * words from what a client that did not ask for them gets).
     */
    public static StreamingRecognitionConfig streaming(SessionConfig c) {
        RecognitionConfig.Builder config = RecognitionConfig.newBuilder()
                .setLanguageCode(c.language())
                .setEncoding(AudioEncoding.valueOf(c.encoding()))
                .setSampleRateHertz(c.sampleRateHertz())
                .setAudioChannelCount(c.audioChannelCount())
                .setEnableAutomaticPunctuation(c.punctuation())
                .setMaxAlternatives(c.maxAlternatives())
                .setEnableWordTimeOffsets(true)
                .setProfanityFilter(c.profanityFilter())
                .setModel(c.model())
                .putAllCustomConfiguration(c.customConfiguration());
        for (SessionConfig.Context context : c.speechContexts()) {
            config.addSpeechContexts(
                    SpeechContext.newBuilder().addAllPhrases(context.phrases()).setBoost(context.boost()));
        }
        if (!c.endpointing().isEmpty()) {
            EndpointingConfig.Builder e = EndpointingConfig.newBuilder();
            c.endpointing().forEach((k, v) -> {
                switch (k) {
                    case "start_history" -> e.setStartHistory(v.intValue());
                    case "start_threshold" -> e.setStartThreshold(v.floatValue());
                    case "stop_history" -> e.setStopHistory(v.intValue());
                    case "stop_threshold" -> e.setStopThreshold(v.floatValue());
                    case "stop_history_eou" -> e.setStopHistoryEou(v.intValue());
                    case "stop_threshold_eou" -> e.setStopThresholdEou(v.floatValue());
                    default -> {}
                }
            });
            config.setEndpointingConfig(e);
        }
        return StreamingRecognitionConfig.newBuilder()
                .setConfig(config)
                .setInterimResults(c.interimResults())
                .build();
    }

    /**
     * Raw audio's format, for a recording without a WAV header.
     *
     * @param encoding        a Riva {@code AudioEncoding}
     * @param sampleRateHertz its sample rate
     */
    public record RawFormat(AudioEncoding encoding, int sampleRateHertz) {}

    /**
     * A whole recording for {@code Recognize}, mono, with punctuation.
     *
     * @param audio           a WAV file (Riva reads the format from its header), or raw audio;
     *                        carried as it is, not copied
     * @param raw             the raw audio's format; empty for a WAV file
     * @param language        BCP-47 language
     * @param wordTimeOffsets word timings on the results
     */
    public static RecognizeRequest recognize(
            ByteString audio, Optional<RawFormat> raw, String language, boolean wordTimeOffsets) {
        RecognitionConfig.Builder config = RecognitionConfig.newBuilder()
                .setLanguageCode(language)
                .setEnableWordTimeOffsets(wordTimeOffsets)
                .setEnableAutomaticPunctuation(true)
                .setAudioChannelCount(1);
        raw.ifPresent(f -> config.setEncoding(f.encoding()).setSampleRateHertz(f.sampleRateHertz()));
        return RecognizeRequest.newBuilder().setConfig(config).setAudio(audio).build();
    }
}
