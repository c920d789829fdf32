package dev.earshot.asr.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.earshot.proto.health.v1.HealthCheckRequest;
import dev.earshot.proto.health.v1.HealthCheckResponse;
import dev.earshot.proto.health.v1.HealthGrpc;
import dev.earshot.testing.EmbeddedRecognizer;
import dev.earshot.testing.TestCorpus;
import dev.earshot.testing.WordErrorRate;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import nvidia.riva.RivaCommon.RequestId;
import nvidia.riva.asr.RivaAsr.RecognitionConfig;
import nvidia.riva.asr.RivaAsr.RecognizeRequest;
import nvidia.riva.asr.RivaAsr.RecognizeResponse;
import nvidia.riva.asr.RivaAsr.RivaSpeechRecognitionConfigRequest;
import nvidia.riva.asr.RivaAsr.RivaSpeechRecognitionConfigResponse;
import nvidia.riva.asr.RivaAsr.SpeechRecognitionResult;
import nvidia.riva.asr.RivaSpeechRecognitionGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The unary RPCs of the embedded server: Recognize, the model listing, and health. */
class RecognizeAndConfigTest {
    static ManagedChannel channel;
    static RivaSpeechRecognitionGrpc.RivaSpeechRecognitionBlockingStub asr;
    static TestCorpus corpus = TestCorpus.locate();

    @BeforeAll
    static void start() {
        channel = RivaCalls.channel(EmbeddedRecognizer.get().port());
        asr = RivaSpeechRecognitionGrpc.newBlockingStub(channel);
    }

    @AfterAll
    static void stop() {
        channel.shutdownNow();
    }

    @Test
    void recognizeTranscribesTheLongFormFileSentenceBySentence() throws Exception {
        // as transcribe_file_offline.py does: the whole file, header included, encoding unset
        RecognizeRequest request = RecognizeRequest.newBuilder()
                .setConfig(
                        RecognitionConfig.newBuilder().setLanguageCode("en-US").setEnableWordTimeOffsets(true))
                .setAudio(ByteString.copyFrom(corpus.wav("a_long01.wav")))
                .setId(RequestId.newBuilder().setValue("offline-1"))
                .build();
        RecognizeResponse response = asr.recognize(request);
        assertEquals("offline-1", response.getId().getValue());
        assertTrue(response.getResultsCount() >= 6, "results: " + response.getResultsCount());
        StringBuilder text = new StringBuilder();
        for (SpeechRecognitionResult r : response.getResultsList()) {
            text.append(r.getAlternatives(0).getTranscript()).append(' ');
            assertTrue(r.getAlternatives(0).getWordsCount() > 0, "word offsets were asked for");
        }
        WordErrorRate wer = new WordErrorRate();
        wer.add(corpus.clip("a_long01.wav").transcript(), text.toString());
        assertTrue(wer.rate() <= 0.2, "WER " + wer.rate() + ": " + text);
        float last = response.getResults(response.getResultsCount() - 1).getAudioProcessed();
        assertTrue(last > 45 && last < 50, "audio processed " + last);
    }

    @Test
    void recognizeRejectsBadAudioWithInvalidArgument() {
        RecognizeRequest request = RecognizeRequest.newBuilder()
                .setConfig(RecognitionConfig.newBuilder().setLanguageCode("en-US"))
                .setAudio(ByteString.copyFromUtf8("RIFF....WAVEjunk"))
                .build();
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> asr.recognize(request));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("WAV"), e.getStatus().toString());
    }

    @Test
    void configListsTheModelOnlineAndOffline() {
        RivaSpeechRecognitionConfigResponse response =
                asr.getRivaSpeechRecognitionConfig(RivaSpeechRecognitionConfigRequest.getDefaultInstance());
        assertEquals(2, response.getModelConfigCount());
        assertEquals("online", response.getModelConfig(0).getParametersOrThrow("type"));
        assertEquals("offline", response.getModelConfig(1).getParametersOrThrow("type"));
        response.getModelConfigList().forEach(c -> assertEquals("en-US", c.getParametersOrThrow("language_code")));
        String name = response.getModelConfig(0).getModelName();
        assertEquals(
                2,
                asr.getRivaSpeechRecognitionConfig(RivaSpeechRecognitionConfigRequest.newBuilder()
                                .setModelName(name)
                                .build())
                        .getModelConfigCount());
        assertEquals(
                0,
                asr.getRivaSpeechRecognitionConfig(RivaSpeechRecognitionConfigRequest.newBuilder()
                                .setModelName("nope")
                                .build())
                        .getModelConfigCount());
    }

    @Test
    void healthIsServingForTheServerAndTheAsrService() {
        HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
        assertEquals(
                HealthCheckResponse.ServingStatus.SERVING,
                health.check(HealthCheckRequest.getDefaultInstance()).getStatus());
        assertEquals(
                HealthCheckResponse.ServingStatus.SERVING,
                health.check(HealthCheckRequest.newBuilder()
                                .setService("nvidia.riva.asr.RivaSpeechRecognition")
                                .build())
                        .getStatus());
        StatusRuntimeException e = assertThrows(
                StatusRuntimeException.class,
                () -> health.check(HealthCheckRequest.newBuilder()
                        .setService("no.such.Service")
                        .build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
    }
}
