package dev.earshot.gateway;

import dev.earshot.asr.AsrConfig;
import dev.earshot.deepgram.DeepgramSettings;
import dev.earshot.http.OriginPolicy;
import dev.earshot.riva.RivaConfig;
import dev.earshot.session.SessionSettings;
import io.helidon.config.Config;
import java.time.Duration;

/**
 * Everything {@code earshot serve} is configured with.
 *
 * @param port         HTTP and WebSocket port ({@code server.port})
 * @param host         address to bind ({@code server.host})
 * @param drain        how long live sessions may go on after SIGTERM ({@code server.drain-seconds})
 * @param origins      allowed browser origins ({@code server.allowed-origins})
 * @param sessions     session limits ({@code sessions.*})
 * @param riva         Riva connection ({@code riva.*}); an empty endpoint starts the embedded recognizer
 * @param asr          the embedded recognizer ({@code asr.*})
 * @param deepgram     Deepgram's listen API ({@code deepgram.*})
 * @param listener     the whole {@code server} node, handed to Helidon as is: every listener setting
 *                     Helidon knows (connection limits, timeouts, socket options, TLS) works from
 *                     configuration without code; Earshot's own keys there are ignored by Helidon
 */
public record GatewayConfig(
        int port,
        String host,
        Duration drain,
        OriginPolicy origins,
        SessionSettings sessions,
        RivaConfig riva,
        AsrConfig asr,
        Config listener,
        DeepgramSettings deepgram) {

    /** With Deepgram's listen API at its defaults. */
    public GatewayConfig(
            int port,
            String host,
            Duration drain,
            OriginPolicy origins,
            SessionSettings sessions,
            RivaConfig riva,
            AsrConfig asr,
            Config listener) {
        this(port, host, drain, origins, sessions, riva, asr, listener, DeepgramSettings.defaults());
    }

    public static GatewayConfig from(Config config) {
        Config server = config.get("server");
        return new GatewayConfig(
                server.get("port").asInt().orElse(8080),
                server.get("host").asString().orElse("0.0.0.0"),
                Duration.ofSeconds(server.get("drain-seconds").asInt().orElse(30)),
                OriginPolicy.from(config),
                SessionSettings.from(config),
                RivaConfig.from(config),
                AsrConfig.from(config),
                server,
                DeepgramSettings.from(config));
    }
}
