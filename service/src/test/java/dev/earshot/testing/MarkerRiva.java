package dev.earshot.testing;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionConfig;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeRequest;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;
import nvidia.riva.asr.RivaSpeechRecognitionGrpc;

/**
 * A Riva-compatible backend (Riva's gRPC service, over real HTTP/2) for tests of what happens when
 * a backend fails, and for the recovery benchmark. It recognizes marker numbers: every 16-bit
 * sample of the audio chunk {@link #chunk chunk(N)} is N, and a run of equal samples is heard as
 * the word {@code mN} with its time in the stream ({@link MarkerWords} does the hearing). So a
 * test can check that every chunk appears in exactly one final result, at its own time in the
 * session, however many streams the session used.
 *
 * <p>Each stream opened takes the next {@link Plan} queued with {@link #plan}, then the standing
 * one ({@link #always}; normal unless set): answer normally, or after K audio chunks fail with a
 * status, end with OK, or stall (take nothing more, answer nothing). The server's HTTP/2 window is
 * 64 KB (2 s of audio), so a stalled stream soon leaves audio waiting at the gateway.
 */
public final class MarkerRiva implements AutoCloseable {
    /** 100 ms of 16 kHz 16-bit mono audio. */
    public static final int CHUNK_BYTES = 3200;

    /** What one stream does. */
    public enum Kind {
        NORMAL,
        FAIL,
        END_OK,
        STALL
    }

    /**
     * How one stream behaves.
     *
     * @param kind        normal, or what happens when chunk {@code afterChunks + 1} arrives
     * @param afterChunks audio chunks the stream takes and answers before that
     * @param status      the failure's status ({@link Kind#FAIL})
     */
    public record Plan(Kind kind, int afterChunks, Status status) {
        public static Plan normal() {
            return new Plan(Kind.NORMAL, Integer.MAX_VALUE, Status.OK);
        }

        public static Plan failAfter(int chunks, Status status) {
            return new Plan(Kind.FAIL, chunks, status);
        }

        public static Plan endAfter(int chunks) {
            return new Plan(Kind.END_OK, chunks, Status.OK);
        }

        public static Plan stallAfter(int chunks) {
            return new Plan(Kind.STALL, chunks, Status.OK);
        }
    }

    private final Server server;
    private final int finalEvery;
    private final Queue<Plan> plans = new ConcurrentLinkedQueue<>();
    private final List<StreamingRecognitionConfig> configs = new CopyOnWriteArrayList<>();
    private final AtomicInteger open = new AtomicInteger();
    private volatile Plan standing = Plan.normal();

    private MarkerRiva(InetSocketAddress address, int finalEvery) {
        this.finalEvery = finalEvery;
        try {
            this.server = NettyServerBuilder.forAddress(address)
                    .addService(new Service())
                    .flowControlWindow(64 * 1024)
                    .executor(Executors.newVirtualThreadPerTaskExecutor())
                    .build()
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A backend on a free loopback port that sends a final every {@code finalEvery} words. */
    public static MarkerRiva start(int finalEvery) {
        return new MarkerRiva(new InetSocketAddress("127.0.0.1", 0), finalEvery);
    }

    /** The audio chunk that carries {@code marker} (1 to 32767): 100 ms, every sample {@code marker}. */
    public static byte[] chunk(int marker) {
        byte[] chunk = new byte[CHUNK_BYTES];
        for (int i = 0; i < CHUNK_BYTES; i += 2) {
            chunk[i] = (byte) marker;
            chunk[i + 1] = (byte) (marker >> 8);
        }
        return chunk;
    }

    public int port() {
        return server.getPort();
    }

    public InetSocketAddress address() {
        return new InetSocketAddress("127.0.0.1", port());
    }

    /** What the next streams do, one plan each, in order. */
    public MarkerRiva plan(Plan... next) {
        plans.addAll(List.of(next));
        return this;
    }

    /** What every stream does once the queued plans are used up. */
    public MarkerRiva always(Plan plan) {
        standing = plan;
        return this;
    }

    /** Streams opened so far. */
    public int streams() {
        return configs.size();
    }

    /** Streams open now. */
    public int openStreams() {
        return open.get();
    }

    /** The configuration of every stream opened, in order. */
    public List<StreamingRecognitionConfig> configs() {
        return List.copyOf(configs);
    }

    /** Stops at once: open streams fail with {@code UNAVAILABLE}, as when a pod dies. */
    @Override
    public void close() {
        server.shutdownNow();
        try {
            server.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private final class Service extends RivaSpeechRecognitionGrpc.RivaSpeechRecognitionImplBase {
        @Override
        public StreamObserver<StreamingRecognizeRequest> streamingRecognize(
                StreamObserver<StreamingRecognizeResponse> responses) {
            ServerCallStreamObserver<StreamingRecognizeResponse> out =
                    (ServerCallStreamObserver<StreamingRecognizeResponse>) responses;
            out.disableAutoRequest(); // a stalled stream stops taking messages: the window fills
            out.request(1);
            Plan plan = plans.poll();
            return new Stream(out, plan == null ? standing : plan);
        }
    }

    /** One stream: gRPC calls it one message at a time. */
    private final class Stream implements StreamObserver<StreamingRecognizeRequest> {
        private final ServerCallStreamObserver<StreamingRecognizeResponse> out;
        private final Plan plan;
        private MarkerWords words;
        private int chunks;
        private boolean done;

        Stream(ServerCallStreamObserver<StreamingRecognizeResponse> out, Plan plan) {
            this.out = out;
            this.plan = plan;
            open.incrementAndGet();
        }

        @Override
        public void onNext(StreamingRecognizeRequest request) {
            if (done) {
                return;
            }
            if (request.hasStreamingConfig()) {
                configs.add(request.getStreamingConfig());
                words = new MarkerWords(finalEvery, request.getStreamingConfig().getInterimResults());
                out.request(1);
                return;
            }
            if (chunks == plan.afterChunks()) {
                switch (plan.kind()) {
                    case FAIL -> end(() -> out.onError(plan.status().asRuntimeException()));
                    case END_OK -> end(out::onCompleted);
                    case STALL -> {} // no request(1): nothing more is taken, nothing answered
                    case NORMAL -> throw new IllegalStateException("a normal stream has no last chunk");
                }
                return;
            }
            chunks++;
            List<StreamingRecognizeResponse> answers = new ArrayList<>(2);
            words.hear(request.getAudioContent(), answers);
            answers.forEach(out::onNext);
            out.request(1);
        }

        @Override
        public void onError(Throwable t) {
            end(() -> {}); // cancelled by the gateway
        }

        @Override
        public void onCompleted() {
            if (done || words == null) {
                return;
            }
            List<StreamingRecognizeResponse> answers = new ArrayList<>(1);
            words.finish(answers);
            answers.forEach(out::onNext);
            end(out::onCompleted);
        }

        private void end(Runnable how) {
            if (!done) {
                done = true;
                open.decrementAndGet();
                how.run();
            }
        }
    }
}
