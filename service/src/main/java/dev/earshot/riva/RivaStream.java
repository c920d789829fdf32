package dev.earshot.riva;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionConfig;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeRequest;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;
import nvidia.riva.asr.RivaSpeechRecognitionGrpc;

/**
 * One {@code StreamingRecognize} call to Riva. Audio goes out as fast as the transport takes it
 * (gRPC flow control decides); what it cannot take yet waits here, up to a byte limit. When that
 * is full, {@link #send} waits for room instead of refusing the audio: the session's thread, which
 * reads the client's socket, stops reading, and TCP slows the client down. Nothing is dropped.
 * Responses and the final status go to a {@link Listener} on gRPC's threads, or, when an
 * in-process recognizer answers inside the call, on the thread that called {@link #send} or
 * {@link #halfClose}.
 *
 * <p>A lock and a condition rather than {@code synchronized}/{@code wait}: on JDK 21 a virtual
 * thread waiting in a monitor would pin its carrier, and thousands of sessions may wait at once.
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

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition room = lock.newCondition();
    private final ArrayDeque<StreamingRecognizeRequest> pending = new ArrayDeque<>();
    private final long maxPendingBytes;
    private ClientCallStreamObserver<StreamingRecognizeRequest> requests;
    private long pendingBytes;
    private long bytesOut; // audio handed to the transport so far: progress, for the caller's watchdog
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
        stream.lock.lock();
        try {
            stream.requests.onNext(StreamingRecognizeRequest.newBuilder()
                    .setStreamingConfig(config)
                    .build());
        } finally {
            stream.lock.unlock();
        }
        return stream;
    }

    /**
     * Sends an audio chunk, or queues it while the transport is busy. When the queue is full,
     * waits up to {@code maxWaitNanos} for room.
     *
     * @return false when there was still no room after the wait: the caller decides whether Riva
     *     is too far behind (it may call again); true once the chunk is sent or queued, or when
     *     the call is over (the listener has heard or will hear why)
     */
    public boolean send(ByteString audio, long maxWaitNanos) throws InterruptedException {
        StreamingRecognizeRequest request =
                StreamingRecognizeRequest.newBuilder().setAudioContent(audio).build();
        long waitNanos = maxWaitNanos;
        lock.lock();
        try {
            while (true) {
                if (finished || halfClosePending || halfClosed) {
                    return true;
                }
                if (pending.isEmpty() && requests.isReady()) {
                    requests.onNext(request);
                    bytesOut += audio.size();
                    return true;
                }
                if (pendingBytes + audio.size() <= maxPendingBytes || pending.isEmpty()) {
                    pending.add(request);
                    pendingBytes += audio.size();
                    return true;
                }
                if (waitNanos <= 0) {
                    return false;
                }
                waitNanos = room.awaitNanos(waitNanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Audio handed to the transport so far, in bytes: moves while Riva takes audio. */
    public long bytesOut() {
        lock.lock();
        try {
            return bytesOut;
        } finally {
            lock.unlock();
        }
    }

    /** Audio waiting here for the transport, in bytes. */
    public long pendingBytes() {
        lock.lock();
        try {
            return pendingBytes;
        } finally {
            lock.unlock();
        }
    }

    /** End of audio: half-closes once the queued audio is out. */
    public void halfClose() {
        lock.lock();
        try {
            if (finished || halfClosePending || halfClosed) {
                return;
            }
            halfClosePending = true;
            completeIfDrained();
        } finally {
            lock.unlock();
        }
    }

    /** Abandons the call; Riva frees its decoder. Safe to call at any time, more than once. */
    public void cancel(String why) {
        lock.lock();
        try {
            if (finished) {
                return;
            }
            finished = true;
            pending.clear();
            pendingBytes = 0;
            room.signalAll();
        } finally {
            lock.unlock();
        }
        requests.cancel(why, null);
    }

    private void drain() {
        lock.lock();
        try {
            boolean moved = false;
            while (!finished && !halfClosed && !pending.isEmpty() && requests.isReady()) {
                StreamingRecognizeRequest next = pending.poll();
                int size = next.getAudioContent().size();
                pendingBytes -= size;
                bytesOut += size;
                requests.onNext(next);
                moved = true;
            }
            if (moved) {
                room.signalAll();
            }
            completeIfDrained();
        } finally {
            lock.unlock();
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
        lock.lock();
        try {
            finished = true;
            pending.clear();
            pendingBytes = 0;
            room.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
