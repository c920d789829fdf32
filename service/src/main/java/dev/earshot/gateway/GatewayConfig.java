package dev.earshot.gateway;

import dev.earshot.asr.AsrConfig;
import dev.earshot.auth.AuthConfig;
import dev.earshot.deepgram.DeepgramSettings;
import dev.earshot.http.OriginPolicy;
import dev.earshot.http.RestSettings;
import dev.earshot.listener.ConnectionLimits;
import dev.earshot.riva.AllowedModels;
import dev.earshot.riva.RivaConfig;
import dev.earshot.session.SessionSettings;
import io.helidon.config.Config;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * Everything {@code earshot serve} is configured with.
 *
 * @param port         HTTP and WebSocket port ({@code server.port})
 * @param host         address to bind ({@code server.host})
 * @param adminPort    port of the admin listener: health, metrics, all sessions ({@code server.admin-port};
 *                     0 picks a free one)
 * @param adminHost    address the admin listener binds ({@code server.admin-host}, default {@code host})
 * @param drain        how long live sessions may go on after SIGTERM ({@code server.drain-seconds})
 * @param origins      allowed browser origins ({@code server.allowed-origins})
 * @param sessions     session limits ({@code sessions.*})
 * @param riva         Riva connection ({@code riva.*}); an empty endpoint starts the embedded recognizer
 * @param models       the models clients may ask for ({@code riva.allowed-models})
 * @param asr          the embedded recognizer ({@code asr.*})
 * @param auth         who may open sessions and call the API ({@code auth.*})
 * @param listener     the whole {@code server} node, handed to Helidon as is: every listener setting
 *                     Helidon knows (connection limits, timeouts, socket options, TLS) works from
 *                     configuration without code; Earshot's own keys there are ignored by Helidon,
 *                     and its door rules ({@code header-timeout}, {@code max-connections-per-ip})
 *                     are read from it too ({@link ConnectionLimits})
 * @param sessionsMaxSet whether {@code sessions.max} was configured; if not, a gateway in front of its
 *                     embedded Sphinx4 recognizer takes the decoder count as its limit ({@link #sessionLimit})
 * @param rest         limits of the REST API ({@code rest.*})
 * @param deepgram     Deepgram's listen API ({@code deepgram.*})
 */
public record GatewayConfig(
        int port,
        String host,
        int adminPort,
        String adminHost,
        Duration drain,
        OriginPolicy origins,
        SessionSettings sessions,
        RivaConfig riva,
        AllowedModels models,
        AsrConfig asr,
        AuthConfig auth,
        Config listener,
        boolean sessionsMaxSet,
        RestSettings rest,
        DeepgramSettings deepgram) {

    /** Checks the door rules in {@code listener} now, so a bad value stops {@code serve} before anything starts. */
    public GatewayConfig {
        if (listener != null) {
            ConnectionLimits.from(listener);
        }
    }

    /** With {@code sessions.max} taken as given in {@code sessions}, and Deepgram's listen API at its defaults. */
    public GatewayConfig(
            int port,
            String host,
            int adminPort,
            String adminHost,
            Duration drain,
            OriginPolicy origins,
            SessionSettings sessions,
            RivaConfig riva,
            AllowedModels models,
            AsrConfig asr,
            AuthConfig auth,
            Config listener,
            RestSettings rest) {
        this(
                port,
                host,
                adminPort,
                adminHost,
                drain,
                origins,
                sessions,
                riva,
                models,
                asr,
                auth,
                listener,
                true,
                rest,
                DeepgramSettings.defaults());
    }

    public static GatewayConfig from(Config config) {
        Config server = config.get("server");
        String host = server.get("host").asString().orElse("0.0.0.0");
        return new GatewayConfig(
                server.get("port").asInt().orElse(8080),
                host,
                server.get("admin-port").asInt().orElse(9090),
                server.get("admin-host").asString().filter(h -> !h.isBlank()).orElse(host),
                Duration.ofSeconds(server.get("drain-seconds").asInt().orElse(30)),
                OriginPolicy.from(config),
                SessionSettings.from(config),
                RivaConfig.from(config),
                AllowedModels.from(config),
                AsrConfig.from(config),
                AuthConfig.from(config),
                server,
                config.get("sessions.max").exists(),
                RestSettings.from(config),
                DeepgramSettings.from(config));
    }

    /**
     * Most sessions this replica admits: {@code sessions.max} when it is set; otherwise, in front of
     * an embedded recognizer with a fixed number of decoders (Sphinx4), that number, so that the
     * limit, {@code earshot_sessions_capacity} and the operator's scaling tell what the replica can
     * really decode (a session beyond it would only wait for a decoder and be refused); otherwise
     * {@code sessions.max}'s default.
     *
     * @param embeddedCapacity the embedded recognizer's decoder count; empty without one, or when it has none
     */
    public int sessionLimit(OptionalInt embeddedCapacity) {
        if (sessionsMaxSet || embeddedCapacity.isEmpty()) {
            return sessions.max();
        }
        return embeddedCapacity.getAsInt();
    }
}
