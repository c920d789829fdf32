package dev.earshot.asr.grpc;

import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.Collections;
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

/** A real grpc-java (Netty) client for the embedded server, as Riva's own clients use it. */
final class RivaCalls {
    private RivaCalls() {}

    static ManagedChannel channel(int port) {
        return NettyChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
    }

    static StreamingRecognizeRequest config(RecognitionConfig config, boolean interim) {
        return StreamingRecognizeRequest.newBuilder()
                .setStreamingConfig(StreamingRecognitionConfig.newBuilder()
                        .setConfig(config)
                        .setInterimResults(interim))
                .build();
    }

    static RecognitionConfig.Builder pcm16k() {
        return RecognitionConfig.newBuilder()
                .setEncoding(AudioEncoding.LINEAR_PCM)
                .setSampleRateHertz(16000)
                .setLanguageCode("en-US")
                .setAudioChannelCount(1);
    }

    static StreamingRecognizeRequest audio(byte[] bytes, int from, int to) {
        return StreamingRecognizeRequest.newBuilder()
                .setAudioContent(ByteString.copyFrom(bytes, from, to - from))
                .build();
    }

    /** The requests of one stream: the config, then the audio in chunks of {@code chunkBytes}. */
    static List<StreamingRecognizeRequest> requests(StreamingRecognizeRequest config, byte[] audio, int chunkBytes) {
        List<StreamingRecognizeRequest> requests = new ArrayList<>();
        requests.add(config);
        for (int from = 0; from < audio.length; from += chunkBytes) {
            requests.add(audio(audio, from, Math.min(audio.length, from + chunkBytes)));
        }
        return requests;
    }

    /** What came back on one stream. */
    record Outcome(List<StreamingRecognizeResponse> responses, Status status) {
        List<StreamingRecognitionResult> results() {
            return responses.stream().flatMap(r -> r.getResultsList().stream()).toList();
        }

        List<StreamingRecognitionResult> finals() {
            return results().stream()
                    .filter(StreamingRecognitionResult::getIsFinal)
                    .toList();
        }

        String finalText() {
            return String.join(
                            " ",
                            finals().stream()
                                    .map(r -> r.getAlternatives(0).getTranscript())
                                    .toList())
                    .trim();
        }
    }

    /** An open call whose responses are being collected. */
    static final class Call {
        final StreamObserver<StreamingRecognizeRequest> requests;
        final List<StreamingRecognizeResponse> responses = Collections.synchronizedList(new ArrayList<>());
        final CompletableFuture<Status> status = new CompletableFuture<>();

        Call(ManagedChannel channel) {
            requests = RivaSpeechRecognitionGrpc.newStub(channel).streamingRecognize(new StreamObserver<>() {
                @Override
                public void onNext(StreamingRecognizeResponse value) {
                    responses.add(value);
                }

                @Override
                public void onError(Throwable t) {
                    status.complete(Status.fromThrowable(t));
                }

                @Override
                public void onCompleted() {
                    status.complete(Status.OK);
                }
            });
        }

        Outcome await() throws Exception {
            Status s = status.get(120, TimeUnit.SECONDS);
            return new Outcome(List.copyOf(responses), s);
        }
    }

    /** Sends every request, half-closes, and waits for the end of the call. */
    static Outcome stream(ManagedChannel channel, List<StreamingRecognizeRequest> requests) throws Exception {
        Call call = new Call(channel);
        for (StreamingRecognizeRequest r : requests) {
            call.requests.onNext(r);
        }
        call.requests.onCompleted();
        return call.await();
    }
}
