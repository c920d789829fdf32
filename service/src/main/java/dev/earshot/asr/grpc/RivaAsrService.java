package dev.earshot.asr.grpc;

import dev.earshot.asr.engine.EngineBusyException;
import dev.earshot.asr.engine.RecognitionEngine;
import dev.earshot.asr.engine.RecognitionStream;
import dev.earshot.asr.engine.ResultSink;
import dev.earshot.asr.engine.Transcript;
import dev.earshot.audio.AudioDecoder;
import dev.earshot.audio.AudioFormatException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import nvidia.riva.asr.RivaAsr.RecognizeRequest;
import nvidia.riva.asr.RivaAsr.RecognizeResponse;
import nvidia.riva.asr.RivaAsr.RivaSpeechRecognitionConfigRequest;
import nvidia.riva.asr.RivaAsr.RivaSpeechRecognitionConfigResponse;
import nvidia.riva.asr.RivaAsr.SpeechRecognitionResult;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeRequest;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;
import nvidia.riva.asr.RivaSpeechRecognitionGrpc;

/**
 * Riva's {@code RivaSpeechRecognition} service in front of a {@link RecognitionEngine}: the same
 * methods, messages and status codes as NVIDIA Riva, so Riva's own clients and Earshot's gateway
 * cannot tell the difference.
 */
public final class RivaAsrService extends RivaSpeechRecognitionGrpc.RivaSpeechRecognitionImplBase {
    /** Samples per engine chunk when a whole recording is fed through a stream: 100 ms. */
    private static final int CHUNK = 1600;

    private final RecognitionEngine engine;
    private final int maxMessageBytes;

    public RivaAsrService(RecognitionEngine engine, int maxMessageBytes) {
        this.engine = engine;
        this.maxMessageBytes = maxMessageBytes;
    }

    @Override
    public StreamObserver<StreamingRecognizeRequest> streamingRecognize(
            StreamObserver<StreamingRecognizeResponse> responseObserver) {
        return new StreamingRecognizeCall(engine, responseObserver);
    }

    @Override
    public void recognize(RecognizeRequest request, StreamObserver<RecognizeResponse> responseObserver) {
        try {
            RecognizeResponse.Builder response = RecognizeResponse.newBuilder();
            for (Transcript t : transcribe(request)) {
                SpeechRecognitionResult.Builder result =
                        SpeechRecognitionResult.newBuilder().setAudioProcessed((float) t.audioSeconds());
                t.alternatives().forEach(a -> result.addAlternatives(RecognitionRequests.alternative(a)));
                response.addResults(result);
            }
            if (request.hasId()) {
                response.setId(request.getId());
            }
            responseObserver.onNext(response.build());
            responseObserver.onCompleted();
        } catch (StatusException e) {
            responseObserver.onError(e);
        }
    }

    private List<Transcript> transcribe(RecognizeRequest request) throws StatusException {
        if (request.getAudio().size() > maxMessageBytes) {
            throw Status.RESOURCE_EXHAUSTED
                    .withDescription("audio of " + request.getAudio().size()
                            + " bytes is over the limit of " + maxMessageBytes
                            + " (asr.max-message-bytes)")
                    .asException();
        }
        RecognitionRequests.checkModel(request.getConfig(), engine.modelName(), "offline");
        short[] samples;
        try {
            AudioDecoder decoder = new AudioDecoder(RecognitionRequests.audioFormat(request.getConfig()));
            short[] body = decoder.decode(request.getAudio().asReadOnlyByteBuffer());
            short[] tail = decoder.finish();
            samples = new short[body.length + tail.length];
            System.arraycopy(body, 0, samples, 0, body.length);
            System.arraycopy(tail, 0, samples, body.length, tail.length);
        } catch (AudioFormatException e) {
            throw Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException();
        }
        Collector collector = new Collector();
        RecognitionStream stream;
        try {
            stream = engine.open(RecognitionRequests.options(request.getConfig(), false), collector);
        } catch (EngineBusyException e) {
            throw Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asException();
        }
        try {
            for (int from = 0; from < samples.length; from += CHUNK) {
                short[] chunk = new short[Math.min(CHUNK, samples.length - from)];
                System.arraycopy(samples, from, chunk, 0, chunk.length);
                stream.accept(chunk);
            }
            stream.finish();
            // generous: recognition runs well above real time; this only guards against a hang
            long timeoutSeconds = 30 + samples.length / 16000L * 2;
            return collector.done.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw Status.INTERNAL
                    .withDescription("recognizer failed: " + e.getCause())
                    .asException();
        } catch (TimeoutException e) {
            stream.cancel();
            throw Status.DEADLINE_EXCEEDED
                    .withDescription("recognition did not finish in time")
                    .asException();
        } catch (InterruptedException e) {
            stream.cancel();
            Thread.currentThread().interrupt();
            throw Status.CANCELLED.withDescription("interrupted").asException();
        }
    }

    @Override
    public void getRivaSpeechRecognitionConfig(
            RivaSpeechRecognitionConfigRequest request,
            StreamObserver<RivaSpeechRecognitionConfigResponse> responseObserver) {
        RivaSpeechRecognitionConfigResponse.Builder response = RivaSpeechRecognitionConfigResponse.newBuilder();
        if (request.getModelName().isEmpty() || request.getModelName().equals(engine.modelName())) {
            for (String type : List.of("online", "offline")) {
                response.addModelConfig(RivaSpeechRecognitionConfigResponse.Config.newBuilder()
                        .setModelName(engine.modelName())
                        .putParameters("type", type)
                        .putParameters("language_code", "en-US")
                        .putParameters("sample_rate_hertz", "16000"));
            }
        }
        responseObserver.onNext(response.build());
        responseObserver.onCompleted();
    }

    /** Gathers a stream's final results for {@code Recognize}. */
    private static final class Collector implements ResultSink {
        private final List<Transcript> finals = new ArrayList<>();
        private final CompletableFuture<List<Transcript>> done = new CompletableFuture<>();

        @Override
        public void result(Transcript transcript) {
            if (transcript.isFinal()) {
                finals.add(transcript);
            }
        }

        @Override
        public void completed() {
            done.complete(List.copyOf(finals));
        }

        @Override
        public void failed(Throwable cause) {
            done.completeExceptionally(cause);
        }
    }
}
