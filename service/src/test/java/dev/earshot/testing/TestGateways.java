package dev.earshot.testing;

import java.time.Duration;
import java.util.List;

import dev.earshot.asr.AsrConfig;
import dev.earshot.gateway.GatewayConfig;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.http.OriginPolicy;
import dev.earshot.riva.RivaConfig;
import dev.earshot.session.SessionSettings;

import io.helidon.config.Config;

/** Gateways for tests, on free ports, built through the same wiring as {@code earshot serve}. */
public final class TestGateways {
    private TestGateways() {
    }

    /** A gateway with its own embedded {@code synthetic} recognizer. */
    public static GatewayServer synthetic(SessionSettings sessions) {
        return start(sessions, RivaConfig.plain(""), AsrConfig.SYNTHETIC, Duration.ofSeconds(30));
    }

    /** A gateway in front of an existing Riva-compatible endpoint. */
    public static GatewayServer toRiva(SessionSettings sessions, RivaConfig riva) {
        return start(sessions, riva, AsrConfig.SYNTHETIC, Duration.ofSeconds(30));
    }

    public static GatewayServer start(SessionSettings sessions, RivaConfig riva, String engine, Duration drain) {
        return start(sessions, riva, engine, drain, Config.empty());
    }

    /** A gateway whose listener also gets Helidon's own settings from {@code listener} ({@code server.*}). */
    public static GatewayServer start(SessionSettings sessions, RivaConfig riva, String engine, Duration drain,
                                      Config listener) {
        return GatewayServer.start(new GatewayConfig(0, "127.0.0.1", drain, OriginPolicy.of(List.of()), sessions, riva,
                                                     new AsrConfig(0, engine, 1, 64 * 1024 * 1024), listener));
    }
}
