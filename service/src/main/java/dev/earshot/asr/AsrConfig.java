package dev.earshot.asr;

import io.helidon.config.Config;

/**
 * Settings of the embedded recognizer ({@code asr.*}).
 *
 * @param port            gRPC port of the Riva-compatible server
 * @param engine          {@code sphinx4} (speech recognition) or {@code synthetic} (load tests only)
 * @param poolSize        decoders, and so concurrent streams, of the sphinx4 engine
 * @param maxMessageBytes the largest gRPC request accepted ({@code Recognize} carries whole files)
 * @param apiKey          when set, callers must send {@code authorization: Bearer <key>}, as NVIDIA's cloud requires
 */
public record AsrConfig(int port, String engine, int poolSize, int maxMessageBytes, String apiKey) {

    public static final String SPHINX4 = "sphinx4";
    public static final String SYNTHETIC = "synthetic";

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
    }

    /** Reads {@code asr.*} from {@code config}, with the documented defaults. */
    public static AsrConfig from(Config config) {
        Config asr = config.get("asr");
        return new AsrConfig(
                asr.get("port").asInt().orElse(50051),
                asr.get("engine").asString().orElse(SPHINX4),
                asr.get("pool-size").asInt().orElse(Runtime.getRuntime().availableProcessors()),
                asr.get("max-message-bytes").asInt().orElse(64 * 1024 * 1024),
                asr.get("api-key").asString().orElse(""));
    }

    @Override
    public String toString() {
        return "AsrConfig[port=" + port + ", engine=" + engine + ", poolSize=" + poolSize + ", maxMessageBytes="
                + maxMessageBytes + ", apiKey=" + (apiKey.isEmpty() ? "" : "(set)") + "]";
    }
}
