package dev.earshot.riva;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.ArrayDeque;
import java.util.List;
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
 * <p>The stream also tells a watchdog whether it is alive ({@link #awaitingRiva}, {@link #progress}):
 * a stream that owes Riva audio, or owes the client Riva's last answers, and sees neither move
 * has a backend that went away silently.
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
    private volatile boolean finished; // the call is over (closed by Riva, or cancelled); written under the lock
    private volatile long responses; // messages Riva sent (written by gRPC's one delivering thread at a time)

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
                stream.responses++; // gRPC delivers one message at a time
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

    /**
     * Queues audio a previous stream took but whose words no final covered, to be sent first:
     * all of it, whatever the limit ({@link #send} waits for room afterwards), so that a recovery
     * never waits for a stream it is still setting up.
     */
    public void replay(List<ByteString> audio) {
        lock.lock();
        try {
            for (ByteString chunk : audio) {
                if (finished || halfClosePending || halfClosed) {
                    return;
                }
                StreamingRecognizeRequest request = StreamingRecognizeRequest.newBuilder()
                        .setAudioContent(chunk)
                        .build();
                if (pending.isEmpty() && requests.isReady()) {
                    requests.onNext(request);
                    bytesOut += chunk.size();
                } else {
                    pending.add(request);
                    pendingBytes += chunk.size();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Whether the call is over: Riva closed it (its listener has heard or will hear why), or it was cancelled. */
    public boolean isOver() {
        return finished;
    }

    /** Whether the end of audio went out: an OK from Riva before that means it ended the stream early. */
    public boolean halfCloseSent() {
        lock.lock();
        try {
            return halfClosed;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether Riva owes this stream something: audio waits for the transport, or the audio has
     * ended and Riva's last answers and its status have not come yet.
     */
    public boolean awaitingRiva() {
        lock.lock();
        try {
            return !finished && (!pending.isEmpty() || halfClosePending || halfClosed);
        } finally {
            lock.unlock();
        }
    }

    /** A number that moves whenever Riva takes audio or answers: unchanged for a while, the stream is stuck. */
    public long progress() {
        lock.lock();
        try {
            return bytesOut + responses;
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
