package dev.earshot.asr;

import io.helidon.config.Config;
import java.time.Duration;

/**
 * Settings of the embedded recognizer ({@code asr.*}).
 *
 * @param port            gRPC port of the Riva-compatible server
 * @param engine          {@code sphinx4} (speech recognition) or {@code synthetic} (load tests only)
 * @param poolSize        decoders, and so concurrent streams, of the sphinx4 engine; by default what the cores
 *                        carry in real time, capped by the heap ({@link PoolSize})
 * @param maxMessageBytes the largest gRPC request accepted ({@code Recognize} carries whole files)
 * @param apiKey          when set, callers must send {@code authorization: Bearer <key>}, as NVIDIA's cloud requires
 * @param queueTimeout    how long a new stream waits for a decoder when all are busy before it is refused with
 *                        {@code RESOURCE_EXHAUSTED}: a burst of callers is served as decoders free up
 * @param host            address the gRPC port binds; loopback by default, because the port bypasses the
 *                        gateway's session limits and, without {@code asr.api-key}, has no authentication
 */
public record AsrConfig(
        int port, String engine, int poolSize, int maxMessageBytes, String apiKey, Duration queueTimeout, String host) {

    public static final String SPHINX4 = "sphinx4";
    public static final String SYNTHETIC = "synthetic";
    public static final Duration DEFAULT_QUEUE_TIMEOUT = Duration.ofSeconds(2);
    public static final String DEFAULT_HOST = "127.0.0.1";

    /** With the default queue timeout, on loopback. */
    public AsrConfig(int port, String engine, int poolSize, int maxMessageBytes, String apiKey) {
        this(port, engine, poolSize, maxMessageBytes, apiKey, DEFAULT_QUEUE_TIMEOUT, DEFAULT_HOST);
    }

    public AsrConfig {
        if (!engine.equals(SPHINX4) && !engine.equals(SYNTHETIC)) {
            throw new IllegalArgumentException(
                    "asr.engine must be " + SPHINX4 + " or " + SYNTHETIC + ", got " + engine);
        }
        if (poolSize < 1) {
            throw new IllegalArgumentException("asr.pool-size must be at least 1, got " + poolSize);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("asr.port must be 0..65535, got " + port);
        }
        if (queueTimeout.isNegative()) {
            throw new IllegalArgumentException("asr.queue-timeout must not be negative, got " + queueTimeout);
        }
    }

    /** Reads {@code asr.*} from {@code config}, with the documented defaults. */
    public static AsrConfig from(Config config) {
        Config asr = config.get("asr");
        String engine = asr.get("engine").asString().orElse(SPHINX4);
        return new AsrConfig(
                asr.get("port").asInt().orElse(50051),
                engine,
                asr.get("pool-size").asInt().orElseGet(() -> defaultPoolSize(engine)),
                asr.get("max-message-bytes").asInt().orElse(64 * 1024 * 1024),
                asr.get("api-key").asString().orElse(""),
                asr.get("queue-timeout").as(Duration.class).orElse(DEFAULT_QUEUE_TIMEOUT),
                asr.get("host").asString().orElse(DEFAULT_HOST));
    }

    /** What this machine carries, logged so an operator sees why the pool has the size it has. */
    private static int defaultPoolSize(String engine) {
        PoolSize size = PoolSize.forThisMachine();
        if (!engine.equals(SPHINX4)) {
            return size.decoders();
        }
        System.getLogger(AsrConfig.class.getName()).log(System.Logger.Level.INFO, "asr.pool-size not set: " + size);
        return size.decoders();
    }

    @Override
    public String toString() {
        return "AsrConfig[host=" + host + ", port=" + port + ", engine=" + engine + ", poolSize=" + poolSize
                + ", maxMessageBytes="
                + maxMessageBytes + ", apiKey=" + (apiKey.isEmpty() ? "" : "(set)") + ", queueTimeout="
                + queueTimeout + "]";
    }
}
