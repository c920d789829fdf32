package dev.earshot.riva;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayDeque;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionConfig;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeRequest;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;
import nvidia.riva.asr.RivaSpeechRecognitionGrpc;

/**
 * One {@code StreamingRecognize} call to Riva. Audio goes out as fast as the transport takes
 * it; what it cannot take yet waits here, up to a byte limit, and {@link #send} refuses audio
 * beyond that instead of buffering without bound. Responses and the final status go to a
 * {@link Listener} on gRPC's threads, or, when an in-process recognizer answers inside the call,
 * on the thread that called {@link #send} or {@link #halfClose}.
 */
public final class RivaStream {

    /** Receives what Riva sends back. */
    public interface Listener {
        /** The stream exists and is about to start; called before any other method. */
        default void onOpen(RivaStream stream) {}

        void onResponse(StreamingRecognizeResponse response);

        /** The call ended: OK after a half-close, or the error. Called once. */
        void onClose(Status status);
    }

    private final Object lock = new Object();
    private final ArrayDeque<StreamingRecognizeRequest> pending = new ArrayDeque<>();
    private final long maxPendingBytes;
    private ClientCallStreamObserver<StreamingRecognizeRequest> requests;
    private long pendingBytes;
    private boolean halfClosePending; // end of audio asked for; sent once the queue is empty
    private boolean halfClosed; // onCompleted sent: no more requests may go out
    private boolean finished; // the call is over (closed by Riva, or cancelled)

    private RivaStream(long maxPendingBytes) {
        this.maxPendingBytes = maxPendingBytes;
    }

    static RivaStream open(
            RivaSpeechRecognitionGrpc.RivaSpeechRecognitionStub stub,
            StreamingRecognitionConfig config,
            long maxPendingBytes,
            Listener listener) {
        RivaStream stream = new RivaStream(maxPendingBytes);
        listener.onOpen(stream);
        stub.streamingRecognize(new ClientResponseObserver<StreamingRecognizeRequest, StreamingRecognizeResponse>() {
            @Override
            public void beforeStart(ClientCallStreamObserver<StreamingRecognizeRequest> requestStream) {
                stream.requests = requestStream;
                requestStream.setOnReadyHandler(stream::drain);
            }

            @Override
            public void onNext(StreamingRecognizeResponse value) {
                listener.onResponse(value);
            }

            @Override
            public void onError(Throwable t) {
                stream.finish();
                listener.onClose(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                stream.finish();
                listener.onClose(Status.OK);
            }
        });
        synchronized (stream.lock) {
            stream.requests.onNext(StreamingRecognizeRequest.newBuilder()
                    .setStreamingConfig(config)
                    .build());
        }
        return stream;
    }

    /**
     * Sends an audio chunk, or queues it while the transport is busy.
     *
     * @return false when the queue is full: Riva is not keeping up with the audio
     */
    public boolean send(ByteString audio) {
        StreamingRecognizeRequest request =
                StreamingRecognizeRequest.newBuilder().setAudioContent(audio).build();
        synchronized (lock) {
            if (finished || halfClosePending || halfClosed) {
                return true; // the call is over; the listener has heard or will hear why
            }
            if (pending.isEmpty() && requests.isReady()) {
                requests.onNext(request);
                return true;
            }
            if (pendingBytes + audio.size() > maxPendingBytes) {
                return false;
            }
            pending.add(request);
            pendingBytes += audio.size();
            return true;
        }
    }

    /** End of audio: half-closes once the queued audio is out. */
    public void halfClose() {
        synchronized (lock) {
            if (finished || halfClosePending || halfClosed) {
                return;
            }
            halfClosePending = true;
            completeIfDrained();
        }
    }

    /** Abandons the call; Riva frees its decoder. Safe to call at any time, more than once. */
    public void cancel(String why) {
        synchronized (lock) {
            if (finished) {
                return;
            }
            finished = true;
            pending.clear();
            pendingBytes = 0;
        }
        requests.cancel(why, null);
    }

    private void drain() {
        synchronized (lock) {
            while (!finished && !halfClosed && !pending.isEmpty() && requests.isReady()) {
                StreamingRecognizeRequest next = pending.poll();
                pendingBytes -= next.getAudioContent().size();
                requests.onNext(next);
            }
            completeIfDrained();
        }
    }

    /** Sends the half-close once it was asked for and every queued chunk is out. Holds the lock. */
    private void completeIfDrained() {
        if (!finished && !halfClosed && halfClosePending && pending.isEmpty()) {
            halfClosePending = false;
            halfClosed = true;
            requests.onCompleted();
        }
    }

    private void finish() {
        synchronized (lock) {
            finished = true;
            pending.clear();
            pendingBytes = 0;
        }
    }
}
