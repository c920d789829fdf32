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
import java.lang.System.Logger.Level;
import nvidia.riva.RivaCommon.RequestId;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionConfig;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionResult;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeRequest;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;

/**
 * One {@code StreamingRecognize} call, Riva's rules: the first request carries
 * {@code streaming_config} and no audio, every later one audio only; half-close ends the audio,
 * the remaining finals follow, then OK. Requests arrive on the gRPC thread, results on the
 * engine's; both write through {@link #send} under one lock. Every way out releases the engine
 * stream: completion, a bad request, a failure, or the client cancelling.
 */
final class StreamingRecognizeCall implements StreamObserver<StreamingRecognizeRequest>, ResultSink {
    private static final System.Logger LOG = System.getLogger(StreamingRecognizeCall.class.getName());

    private final RecognitionEngine engine;
    private final StreamObserver<StreamingRecognizeResponse> out;
    private final Object lock = new Object();
    private AudioDecoder audio;
    private RecognitionStream stream;
    private RequestId id;
    private boolean closed;

    StreamingRecognizeCall(RecognitionEngine engine, StreamObserver<StreamingRecognizeResponse> out) {
        this.engine = engine;
        this.out = out;
    }

    @Override
    public void onNext(StreamingRecognizeRequest request) {
        if (isClosed()) {
            return;
        }
        try {
            if (stream == null) {
                start(request);
            } else {
                audio(request);
            }
        } catch (StatusException e) {
            abandon();
            fail(e.getStatus());
        } catch (AudioFormatException e) {
            abandon();
            fail(Status.INVALID_ARGUMENT.withDescription(e.getMessage()));
        }
    }

    private void start(StreamingRecognizeRequest request) throws StatusException, AudioFormatException {
        if (!request.hasStreamingConfig()) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("the first StreamingRecognizeRequest must carry streaming_config and no audio")
                    .asException();
        }
        if (request.hasId()) {
            id = request.getId();
        }
        StreamingRecognitionConfig config = request.getStreamingConfig();
        RecognitionRequests.checkModel(config.getConfig(), engine.modelName(), "online");
        audio = new AudioDecoder(RecognitionRequests.audioFormat(config.getConfig()));
        try {
            stream = engine.open(RecognitionRequests.options(config.getConfig(), config.getInterimResults()), this);
        } catch (EngineBusyException e) {
            throw Status.RESOURCE_EXHAUSTED.withDescription(e.getMessage()).asException();
        }
    }

    private void audio(StreamingRecognizeRequest request) throws StatusException, AudioFormatException {
        if (request.hasStreamingConfig()) {
            throw Status.INVALID_ARGUMENT
                    .withDescription("streaming_config may only be sent in the first StreamingRecognizeRequest")
                    .asException();
        }
        // read where the message holds it: no copy of every chunk
        stream.accept(audio.decode(request.getAudioContent().asReadOnlyByteBuffer()));
    }

    @Override
    public void onError(Throwable t) {
        clientGone();
    }

    /**
     * The client cancelled or the connection broke before the call ended: nobody is listening
     * any more, so the engine stream is released at once.
     */
    private void clientGone() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        abandon();
    }

    @Override
    public void onCompleted() {
        if (isClosed()) {
            return;
        }
        if (stream == null) {
            completed();
            return;
        }
        short[] tail = audio.finish();
        if (tail.length > 0) {
            stream.accept(tail);
        }
        stream.finish();
    }

    @Override
    public void result(Transcript transcript) {
        StreamingRecognitionResult.Builder result = StreamingRecognitionResult.newBuilder()
                .setIsFinal(transcript.isFinal())
                .setStability(transcript.stability())
                .setAudioProcessed((float) transcript.audioSeconds());
        transcript.alternatives().forEach(a -> result.addAlternatives(RecognitionRequests.alternative(a)));
        send(StreamingRecognizeResponse.newBuilder().addResults(result));
    }

    @Override
    public void completed() {
        synchronized (lock) {
            if (!closed) {
                closed = true;
                out.onCompleted();
            }
        }
    }

    @Override
    public void failed(Throwable cause) {
        LOG.log(Level.WARNING, "StreamingRecognize failed in the recognizer", cause);
        fail(Status.INTERNAL.withDescription("recognizer failed: " + cause));
    }

    private void send(StreamingRecognizeResponse.Builder response) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (id != null) {
                response.setId(id);
            }
            out.onNext(response.build());
        }
    }

    /** Ends the call with an error status. */
    private void fail(Status status) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            out.onError(status.asRuntimeException());
        }
    }

    private void abandon() {
        if (stream != null) {
            stream.cancel();
        }
    }

    private boolean isClosed() {
        synchronized (lock) {
            return closed;
        }
    }
}
