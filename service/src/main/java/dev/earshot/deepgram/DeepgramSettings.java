package dev.earshot.deepgram;

import io.helidon.config.Config;
import java.time.Duration;

/**
 * The Deepgram front door's settings ({@code deepgram.*}).
 *
 * @param enabled     whether {@code /v1/listen} is served ({@code deepgram.enabled})
 * @param models      model names and their Riva models ({@code deepgram.models})
 * @param idleTimeout a live stream without audio or {@code KeepAlive} this long is closed with
 *                    1011 {@code NET-0001}, Deepgram's 10 s; never longer than {@code sessions.idle-timeout}
 */
public record DeepgramSettings(boolean enabled, DeepgramModels models, Duration idleTimeout) {
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(10);

    /** Served, default models, Deepgram's 10 s idle timeout. */
    public static DeepgramSettings defaults() {
        return new DeepgramSettings(true, DeepgramModels.defaults(), DEFAULT_IDLE_TIMEOUT);
    }

    public static DeepgramSettings from(Config config) {
        Config node = config.get("deepgram");
        return new DeepgramSettings(
                node.get("enabled").asBoolean().orElse(true),
                DeepgramModels.withEntries(node.get("models").asString().orElse("")),
                node.get("idle-timeout").as(Duration.class).orElse(DEFAULT_IDLE_TIMEOUT));
    }
}
