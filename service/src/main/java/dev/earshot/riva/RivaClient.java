package dev.earshot.riva;

import dev.earshot.grpc.GrpcEventLoop;
import dev.earshot.proto.health.v1.HealthCheckRequest;
import dev.earshot.proto.health.v1.HealthCheckResponse;
import dev.earshot.proto.health.v1.HealthGrpc;
import io.grpc.ClientInterceptor;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import nvidia.riva.asr.RivaAsr.RecognizeRequest;
import nvidia.riva.asr.RivaAsr.RecognizeResponse;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionConfig;
import nvidia.riva.asr.RivaSpeechRecognitionGrpc;

/**
 * The gateway's connection to Riva: one grpc-java (Netty) channel shared by every session,
 * carrying NVCF's {@code function-id} and {@code authorization} metadata when configured.
 * Helidon 4.2.0's own gRPC client is not used: it drops and merges messages on real
 * bidirectional streams.
 */
public final class RivaClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RivaClient.class.getName());
    private static final Metadata.Key<String> FUNCTION_ID =
            Metadata.Key.of("function-id", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final long HEALTH_CACHE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final RivaConfig config;
    private final ManagedChannel channel;
    private final RivaSpeechRecognitionGrpc.RivaSpeechRecognitionStub asr;
    private final RivaSpeechRecognitionGrpc.RivaSpeechRecognitionBlockingStub asrBlocking;
    private final HealthGrpc.HealthBlockingStub health;
    private volatile long healthCheckedAt;
    private volatile boolean lastHealth;

    /** A client whose channel runs on {@code loop} (null: grpc-java's default event loops). */
    public RivaClient(RivaConfig config, GrpcEventLoop loop) {
        this(config, channel(config, loop));
    }

    /**
     * A client of the recognizer embedded in this process, through grpc-java's in-process
     * transport: the same calls, statuses and cancellation as over the network, without HTTP/2
     * framing or sockets. Responses arrive on the thread that sent the request when the
     * recognizer answers at once, else on the recognizer's threads.
     *
     * @param config  key and timeouts (the endpoint is only named in logs)
     * @param name    the in-process server's name
     */
    public static RivaClient inProcess(RivaConfig config, String name) {
        return new RivaClient(
                config, common(InProcessChannelBuilder.forName(name)).build());
    }

    /** What every channel to Riva gets, over the network or in-process. */
    private static <T extends ManagedChannelBuilder<T>> T common(T builder) {
        return builder.maxInboundMessageSize(64 * 1024 * 1024)
                // responses only go into a session's relay: cheap enough to take on the thread
                // that receives them, which saves a thread hand-off per result
                .directExecutor()
                // a half-sent audio stream cannot be replayed anyway; without retries gRPC
                // does not keep a copy of every message sent
                .disableRetry();
    }

    private RivaClient(RivaConfig config, ManagedChannel channel) {
        this.config = config;
        this.channel = channel;
        ClientInterceptor auth = MetadataUtils.newAttachHeadersInterceptor(metadata(config));
        this.asr = RivaSpeechRecognitionGrpc.newStub(channel).withInterceptors(auth);
        this.asrBlocking = RivaSpeechRecognitionGrpc.newBlockingStub(channel).withInterceptors(auth);
        this.health = HealthGrpc.newBlockingStub(channel).withInterceptors(auth);
        LOG.log(Level.INFO, "riva client " + config);
    }

    private static ManagedChannel channel(RivaConfig config, GrpcEventLoop loop) {
        NettyChannelBuilder builder = common(NettyChannelBuilder.forTarget(config.endpoint()))
                // a fixed window instead of BDP probing: no ping per data frame
                .flowControlWindow(1024 * 1024)
                .defaultLoadBalancingPolicy(config.loadBalancing());
        if (config.keepaliveTime().isPositive()) {
            // pings only while calls are open: servers (gRPC C++'s default) refuse pings on idle connections
            builder.keepAliveTime(config.keepaliveTime().toMillis(), TimeUnit.MILLISECONDS)
                    .keepAliveTimeout(10, TimeUnit.SECONDS)
                    .keepAliveWithoutCalls(false);
        }
        if (loop != null) {
            loop.apply(builder);
        }
        if (!config.tls()) {
            return builder.usePlaintext().build();
        }
        builder.useTransportSecurity();
        if (config.caFile().isPresent()) {
            try {
                builder.sslContext(GrpcSslContexts.forClient()
                        .trustManager(config.caFile().get().toFile())
                        .build());
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "riva.ca-file cannot be used: " + config.caFile().get(), e);
            }
        }
        return builder.build();
    }

    private static Metadata metadata(RivaConfig config) {
        Metadata metadata = new Metadata();
        if (!config.functionId().isBlank()) {
            metadata.put(FUNCTION_ID, config.functionId());
        }
        if (!config.apiKey().isBlank()) {
            metadata.put(AUTHORIZATION, "Bearer " + config.apiKey());
        }
        return metadata;
    }

    /**
     * Opens a {@code StreamingRecognize} call and sends its configuration.
     *
     * @param streamingConfig  what to recognize and how
     * @param maxPendingBytes  audio that may wait for the transport before {@link RivaStream#send} waits for room
     * @param listener         receives responses and the final status (on which thread: see {@link RivaStream})
     */
    public RivaStream stream(
            StreamingRecognitionConfig streamingConfig, long maxPendingBytes, RivaStream.Listener listener) {
        return RivaStream.open(asr, streamingConfig, maxPendingBytes, listener);
    }

    /** How long a stream Riva owes something may go without Riva taking audio or answering before it counts as failed. */
    public Duration responseTimeout() {
        return config.responseTimeout();
    }

    /** How sessions recover when a stream fails ({@code riva.retry.*}). */
    public RetryPolicy retry() {
        return config.retry();
    }

    /** Whether a stream that failed with {@code status} is worth a new one ({@link RivaErrors#retryable}). */
    public boolean retryable(Status status) {
        return RivaErrors.retryable(status, config.embedded());
    }

    /** A whole recording at once, through {@code Recognize}. */
    public RecognizeResponse recognize(RecognizeRequest request) {
        return asrBlocking
                .withDeadlineAfter(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .recognize(request);
    }

    /**
     * Whether Riva answers its health check ({@code SERVING}) within the configured timeout. The
     * answer is cached for up to five seconds so that probes cannot flood Riva. A server without
     * the health service (UNIMPLEMENTED) counts as up: it answered.
     */
    public boolean healthy() {
        long now = System.nanoTime();
        if (now - healthCheckedAt < HEALTH_CACHE_NANOS && healthCheckedAt != 0) {
            return lastHealth;
        }
        boolean up;
        try {
            up = health.withDeadlineAfter(config.healthTimeout().toMillis(), TimeUnit.MILLISECONDS)
                            .check(HealthCheckRequest.getDefaultInstance())
                            .getStatus()
                    == HealthCheckResponse.ServingStatus.SERVING;
        } catch (StatusRuntimeException e) {
            up = e.getStatus().getCode() == Status.Code.UNIMPLEMENTED;
            if (!up && lastHealth) {
                LOG.log(Level.WARNING, "riva health check failed: " + e.getStatus());
            }
        }
        lastHealth = up;
        healthCheckedAt = System.nanoTime();
        return up;
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
