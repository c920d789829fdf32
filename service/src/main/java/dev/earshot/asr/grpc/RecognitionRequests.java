package dev.earshot.asr.grpc;

import dev.earshot.asr.engine.StreamOptions;
import dev.earshot.asr.engine.Transcript;
import dev.earshot.audio.AudioFormat;
import dev.earshot.audio.AudioFormatException;
import io.grpc.Status;
import io.grpc.StatusException;
import java.util.Locale;
import nvidia.riva.asr.RivaAsr.RecognitionConfig;
import nvidia.riva.asr.RivaAsr.SpeechRecognitionAlternative;
import nvidia.riva.asr.RivaAsr.WordInfo;

/**
 * Translation between Riva's request and result messages and the engine's terms: checks a
 * {@code RecognitionConfig} the way Riva does (language, model, encoding) and builds result
 * alternatives from transcripts.
 */
final class RecognitionRequests {
    private RecognitionRequests() {}

    /**
     * Checks the language and model of a request.
     *
     * @param type {@code online} for streaming, {@code offline} for {@code Recognize}
     * @throws StatusException {@code INVALID_ARGUMENT} naming what is unavailable, in Riva's words
     */
    static void checkModel(RecognitionConfig config, String modelName, String type) throws StatusException {
        String language = config.getLanguageCode();
        String lower = language.toLowerCase(Locale.ROOT);
        boolean english = lower.isEmpty() || lower.equals("en-us") || lower.equals("en");
        boolean model = config.getModel().isEmpty() || config.getModel().equals(modelName);
        if (!english || !model) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("Unavailable model requested given these parameters: language_code=" + language
                            + "; type=" + type
                            + (config.getModel().isEmpty() ? "" : "; model=" + config.getModel())
                            + "; this server has " + modelName + " (en-US)")
                    .asException();
        }
    }

    /** The audio format a config declares. */
    static AudioFormat audioFormat(RecognitionConfig config) throws AudioFormatException {
        AudioFormat.Encoding encoding = switch (config.getEncoding()) {
            case ENCODING_UNSPECIFIED -> AudioFormat.Encoding.UNSPECIFIED;
            case LINEAR_PCM -> AudioFormat.Encoding.LINEAR_PCM;
            case MULAW -> AudioFormat.Encoding.MULAW;
            case ALAW -> AudioFormat.Encoding.ALAW;
            default ->
                throw new AudioFormatException("encoding " + config.getEncoding()
                        + " is not supported by this server; use LINEAR_PCM, "
                        + "MULAW, ALAW, or a WAV header with the encoding unset");
        };
        return new AudioFormat(encoding, config.getSampleRateHertz(), config.getAudioChannelCount());
    }

    static StreamOptions options(RecognitionConfig config, boolean interimResults) {
        return new StreamOptions(interimResults, config.getEnableWordTimeOffsets(), config.getMaxAlternatives());
    }

    static SpeechRecognitionAlternative alternative(Transcript.Alternative alternative) {
        SpeechRecognitionAlternative.Builder b = SpeechRecognitionAlternative.newBuilder()
                .setTranscript(alternative.text())
                .setConfidence(alternative.confidence());
        for (Transcript.Word w : alternative.words()) {
            b.addWords(WordInfo.newBuilder()
                    .setWord(w.word())
                    .setStartTime(w.startMs())
                    .setEndTime(w.endMs())
                    .setConfidence(w.confidence()));
        }
        return b.build();
    }
}
