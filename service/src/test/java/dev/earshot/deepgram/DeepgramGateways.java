package dev.earshot.deepgram;

import dev.earshot.asr.AsrConfig;
import dev.earshot.auth.AuthConfig;
import dev.earshot.gateway.GatewayConfig;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.http.OriginPolicy;
import dev.earshot.http.RestSettings;
import dev.earshot.riva.AllowedModels;
import dev.earshot.riva.RivaConfig;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.EmbeddedRecognizer;
import dev.earshot.testing.TestConfigs;
import io.helidon.config.Config;
import java.time.Duration;
import java.util.List;

/** Gateways for the Deepgram tests, built through the same wiring as {@code earshot serve}. */
final class DeepgramGateways {
    private DeepgramGateways() {}

    /** A gateway with the {@code synthetic} engine ("chunk N" for chunk N). */
    static GatewayServer synthetic(SessionSettings sessions, DeepgramSettings deepgram) {
        return start(sessions, TestConfigs.riva(""), AsrConfig.SYNTHETIC, deepgram);
    }

    /** A gateway in front of the shared Sphinx4 recognizer, with a buffer for whole files sent at once. */
    static GatewayServer sphinx(DeepgramSettings deepgram) {
        return start(
                TestConfigs.sessionsBufferSeconds(60),
                TestConfigs.riva("127.0.0.1:" + EmbeddedRecognizer.get().port()),
                AsrConfig.SYNTHETIC,
                deepgram);
    }

    /** A gateway in front of an existing Riva-compatible endpoint, Deepgram's listen API at its defaults. */
    static GatewayServer toRiva(RivaConfig riva) {
        return start(SessionSettings.defaults(), riva, AsrConfig.SYNTHETIC, DeepgramSettings.defaults());
    }

    /** A synthetic gateway whose clients must authenticate as {@code auth} says. */
    static GatewayServer withAuth(AuthConfig auth) {
        return start(
                SessionSettings.defaults(),
                TestConfigs.riva(""),
                AsrConfig.SYNTHETIC,
                DeepgramSettings.defaults(),
                auth);
    }

    private static GatewayServer start(
            SessionSettings sessions, RivaConfig riva, String engine, DeepgramSettings deepgram) {
        return start(sessions, riva, engine, deepgram, AuthConfig.none());
    }

    private static GatewayServer start(
            SessionSettings sessions, RivaConfig riva, String engine, DeepgramSettings deepgram, AuthConfig auth) {
        return GatewayServer.start(new GatewayConfig(
                0,
                "127.0.0.1",
                0,
                "127.0.0.1",
                Duration.ofSeconds(30),
                OriginPolicy.of(List.of()),
                sessions,
                riva,
                AllowedModels.ANY,
                new AsrConfig(0, engine, 1, 64 * 1024 * 1024, ""),
                auth,
                Config.empty(),
                true,
                RestSettings.defaults(),
                deepgram));
    }
}
