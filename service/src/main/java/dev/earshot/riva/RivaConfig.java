package dev.earshot.riva;

import io.helidon.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to reach Riva ({@code riva.*}). An empty endpoint means "the embedded recognizer in this
 * process". NVIDIA's cloud is {@code grpc.nvcf.nvidia.com:443} with TLS, a function id and an API
 * key; a self-hosted Riva is usually plain gRPC on port 50051.
 *
 * @param endpoint       {@code host:port}, or empty for the embedded recognizer
 * @param tls            use TLS (system roots unless {@code caFile} is set)
 * @param caFile         PEM file of the CA that signs the server's certificate
 * @param functionId     NVCF function id, sent as {@code function-id} metadata when set
 * @param apiKey         API key, sent as {@code authorization: Bearer ...} when set; never logged
 * @param requestTimeout deadline of unary calls ({@code Recognize})
 * @param healthTimeout  deadline of the health check behind readiness
 * @param responseTimeout a stream with audio waiting (or waiting for Riva's last answers) that
 *                        Riva takes none of and answers nothing for this long is treated as
 *                        failed, and replaced: a connection that died silently, a hung backend
 * @param keepaliveTime  HTTP/2 ping interval while calls are open, so a connection that died
 *                       without a FIN or RST is noticed (zero: no pings)
 * @param loadBalancing  {@code pick_first} (one backend) or {@code round_robin} (streams spread over
 *                       every address the endpoint resolves to, e.g. a headless Service's
 *                       {@code dns:///riva-headless.speech.svc:50051})
 * @param retry          how a session recovers onto a new stream when its stream fails ({@code riva.retry.*})
 * @param maxStreamDuration the longest a backend lets one stream last (zero: no limit). A session
 *                       moves to a new stream before that, just after a final result, so the
 *                       backend never cuts it mid-utterance ({@code dev.earshot.session.StreamRotation})
 */
public record RivaConfig(
        String endpoint,
        boolean tls,
        Optional<Path> caFile,
        String functionId,
        String apiKey,
        Duration requestTimeout,
        Duration healthTimeout,
        Duration responseTimeout,
        Duration keepaliveTime,
        String loadBalancing,
        RetryPolicy retry,
        Duration maxStreamDuration) {

    public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_KEEPALIVE_TIME = Duration.ofSeconds(30);
    public static final String PICK_FIRST = "pick_first";
    public static final String ROUND_ROBIN = "round_robin";

    public RivaConfig {
        if (!loadBalancing.equals(PICK_FIRST) && !loadBalancing.equals(ROUND_ROBIN)) {
            throw new IllegalArgumentException(
                    "riva.load-balancing must be " + PICK_FIRST + " or " + ROUND_ROBIN + ", got " + loadBalancing);
        }
        if (keepaliveTime.isNegative()) {
            throw new IllegalArgumentException("riva.keepalive-time must not be negative, got " + keepaliveTime);
        }
        if (maxStreamDuration.isNegative()) {
            throw new IllegalArgumentException(
                    "riva.max-stream-duration must not be negative, got " + maxStreamDuration);
        }
    }

    /** With the default {@code riva.retry.*}, streams without a time limit. */
    public RivaConfig(
            String endpoint,
            boolean tls,
            Optional<Path> caFile,
            String functionId,
            String apiKey,
            Duration requestTimeout,
            Duration healthTimeout,
            Duration responseTimeout,
            Duration keepaliveTime,
            String loadBalancing) {
        this(
                endpoint,
                tls,
                caFile,
                functionId,
                apiKey,
                requestTimeout,
                healthTimeout,
                responseTimeout,
                keepaliveTime,
                loadBalancing,
                RetryPolicy.defaults(),
                Duration.ZERO);
    }

    /** With the defaults of {@code riva.response-timeout}, {@code riva.keepalive-time} and {@code riva.load-balancing}. */
    public RivaConfig(
            String endpoint,
            boolean tls,
            Optional<Path> caFile,
            String functionId,
            String apiKey,
            Duration requestTimeout,
            Duration healthTimeout) {
        this(
                endpoint,
                tls,
                caFile,
                functionId,
                apiKey,
                requestTimeout,
                healthTimeout,
                DEFAULT_RESPONSE_TIMEOUT,
                DEFAULT_KEEPALIVE_TIME,
                PICK_FIRST);
    }

    /**
     * Reads {@code riva.*}; the key comes from {@code riva.api-key} or the file {@code riva.api-key-file}.
     *
     * @throws IllegalArgumentException when an API key would cross the network in clear
     *     ({@code riva.tls=false} to an external Riva) and {@code riva.allow-insecure-key} does not
     *     say that is intended (e.g. a sidecar on loopback)
     */
    public static RivaConfig from(Config config) {
        Config riva = config.get("riva");
        String key = riva.get("api-key").asString().orElse("");
        Optional<String> keyFile =
                riva.get("api-key-file").asString().asOptional().filter(s -> !s.isBlank());
        if (key.isEmpty() && keyFile.isPresent()) {
            try {
                key = Files.readString(Path.of(keyFile.get())).trim();
            } catch (IOException e) {
                throw new IllegalArgumentException("riva.api-key-file cannot be read: " + keyFile.get(), e);
            }
        }
        String endpoint = riva.get("endpoint").asString().orElse("");
        boolean tls = riva.get("tls").asBoolean().orElse(false);
        if (!key.isEmpty()
                && !tls
                && !endpoint.isBlank()
                && !riva.get("allow-insecure-key").asBoolean().orElse(false)) {
            throw new IllegalArgumentException("riva.api-key is set but riva.tls is false: the key would be sent to "
                    + endpoint + " in clear. Set riva.tls=true, or riva.allow-insecure-key=true if the path is"
                    + " private (e.g. loopback)");
        }
        return new RivaConfig(
                endpoint,
                tls,
                riva.get("ca-file")
                        .asString()
                        .asOptional()
                        .filter(s -> !s.isBlank())
                        .map(Path::of),
                riva.get("function-id").asString().orElse(""),
                key,
                riva.get("request-timeout").as(Duration.class).orElse(Duration.ofSeconds(120)),
                riva.get("health-timeout").as(Duration.class).orElse(Duration.ofSeconds(1)),
                riva.get("response-timeout").as(Duration.class).orElse(DEFAULT_RESPONSE_TIMEOUT),
                riva.get("keepalive-time").as(Duration.class).orElse(DEFAULT_KEEPALIVE_TIME),
                riva.get("load-balancing").asString().orElse(PICK_FIRST),
                RetryPolicy.from(riva),
                riva.get("max-stream-duration").as(Duration.class).orElse(Duration.ZERO));
    }

    /** Whether this points at the embedded recognizer rather than an external Riva. */
    public boolean embedded() {
        return endpoint.isBlank();
    }

    /** The same settings aimed at another endpoint. */
    public RivaConfig withEndpoint(String newEndpoint) {
        return new RivaConfig(
                newEndpoint,
                tls,
                caFile,
                functionId,
                apiKey,
                requestTimeout,
                healthTimeout,
                responseTimeout,
                keepaliveTime,
                loadBalancing,
                retry,
                maxStreamDuration);
    }

    /** The same settings with another {@code riva.retry.*}. */
    public RivaConfig withRetry(RetryPolicy newRetry) {
        return new RivaConfig(
                endpoint,
                tls,
                caFile,
                functionId,
                apiKey,
                requestTimeout,
                healthTimeout,
                responseTimeout,
                keepaliveTime,
                loadBalancing,
                newRetry,
                maxStreamDuration);
    }

    /** The same settings with another {@code riva.max-stream-duration}. */
    public RivaConfig withMaxStreamDuration(Duration limit) {
        return new RivaConfig(
                endpoint,
                tls,
                caFile,
                functionId,
                apiKey,
                requestTimeout,
                healthTimeout,
                responseTimeout,
                keepaliveTime,
                loadBalancing,
                retry,
                limit);
    }

    @Override
    public String toString() {
        return "RivaConfig[endpoint=" + endpoint + ", tls=" + tls + ", caFile="
                + caFile.map(Path::toString).orElse("") + ", functionId=" + functionId + ", apiKey="
                + (apiKey.isEmpty() ? "" : "(set)") + ", loadBalancing=" + loadBalancing + ", keepaliveTime="
                + keepaliveTime + ", retry=" + retry.maxAttempts() + " attempts, maxStreamDuration=" + maxStreamDuration
                + "]";
    }
}
