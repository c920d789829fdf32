package dev.earshot.asr.synthetic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.earshot.asr.AsrConfig;
import dev.earshot.asr.AsrServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import nvidia.riva.RivaAudio.AudioEncoding;
import nvidia.riva.asr.RivaAsr.RecognitionConfig;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionConfig;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionResult;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeRequest;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;
import nvidia.riva.asr.RivaSpeechRecognitionGrpc;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The load-test engine behind the real gRPC server: one answer per chunk, finals every tenth. */
class SyntheticEngineTest {
    static AsrServer server;
    static ManagedChannel channel;

    @BeforeAll
    static void start() {
        server = AsrServer.start(new AsrConfig(0, AsrConfig.SYNTHETIC, 1, 1 << 20, ""));
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port())
                .usePlaintext()
                .build();
    }

    @AfterAll
    static void stop() {
        channel.shutdownNow();
        server.close();
    }

    List<StreamingRecognitionResult> stream(int chunks, boolean interim) throws Exception {
        List<StreamingRecognitionResult> results = new ArrayList<>();
        CompletableFuture<Status> done = new CompletableFuture<>();
        StreamObserver<StreamingRecognizeRequest> requests = RivaSpeechRecognitionGrpc.newStub(channel)
                .streamingRecognize(new StreamObserver<>() {
                    @Override
                    public void onNext(StreamingRecognizeResponse r) {
                        synchronized (results) {
                            results.addAll(r.getResultsList());
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        done.complete(Status.fromThrowable(t));
                    }

                    @Override
                    public void onCompleted() {
                        done.complete(Status.OK);
                    }
                });
        requests.onNext(StreamingRecognizeRequest.newBuilder()
                .setStreamingConfig(StreamingRecognitionConfig.newBuilder()
                        .setConfig(RecognitionConfig.newBuilder()
                                .setEncoding(AudioEncoding.LINEAR_PCM)
                                .setSampleRateHertz(16000)
                                .setLanguageCode("en-US"))
                        .setInterimResults(interim))
                .build());
        for (int i = 0; i < chunks; i++) {
            requests.onNext(StreamingRecognizeRequest.newBuilder()
                    .setAudioContent(ByteString.copyFrom(new byte[3200]))
                    .build());
        }
        requests.onCompleted();
        assertEquals(Status.OK, done.get(30, TimeUnit.SECONDS));
        return results;
    }

    @Test
    void everyChunkIsAnsweredWithItsNumberAndEveryTenthIsFinal() throws Exception {
        List<StreamingRecognitionResult> results = stream(25, true);
        assertEquals(26, results.size(), "25 answers and a final on half-close");
        for (int i = 0; i < 25; i++) {
            StreamingRecognitionResult r = results.get(i);
            assertEquals("chunk " + (i + 1), r.getAlternatives(0).getTranscript());
            assertEquals((i + 1) % 10 == 0, r.getIsFinal(), "chunk " + (i + 1));
            assertEquals((i + 1) * 0.1f, r.getAudioProcessed(), 1e-4);
        }
        StreamingRecognitionResult last = results.get(25);
        assertTrue(last.getIsFinal());
        assertEquals("chunk 25", last.getAlternatives(0).getTranscript());
    }

    @Test
    void withoutInterimResultsOnlyFinalsComeBack() throws Exception {
        List<StreamingRecognitionResult> results = stream(20, false);
        assertEquals(
                List.of("chunk 10", "chunk 20"),
                results.stream().map(r -> r.getAlternatives(0).getTranscript()).toList());
        assertFalse(results.stream().anyMatch(r -> !r.getIsFinal()));
    }
}
