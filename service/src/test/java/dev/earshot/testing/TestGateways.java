package dev.earshot.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.asr.AsrConfig;
import dev.earshot.auth.AuthConfig;
import dev.earshot.gateway.GatewayConfig;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.http.OriginPolicy;
import dev.earshot.http.RestSettings;
import dev.earshot.riva.AllowedModels;
import dev.earshot.riva.RivaConfig;
import dev.earshot.session.SessionSettings;
import io.helidon.config.Config;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;

/** Gateways for tests, on free ports, built through the same wiring as {@code earshot serve}. */
public final class TestGateways {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestGateways() {}

    /** A gateway with its own embedded {@code synthetic} recognizer. */
    public static GatewayServer synthetic(SessionSettings sessions) {
        return start(sessions, TestConfigs.riva(""), AsrConfig.SYNTHETIC, Duration.ofSeconds(30));
    }

    /** A gateway in front of an existing Riva-compatible endpoint. */
    public static GatewayServer toRiva(SessionSettings sessions, RivaConfig riva) {
        return start(sessions, riva, AsrConfig.SYNTHETIC, Duration.ofSeconds(30));
    }

    /**
     * {@code GET /admin/sessions} on the admin listener: the live count, the capacity, whether
     * draining, and every session.
     */
    public static JsonNode sessions(GatewayServer gateway) {
        try {
            HttpResponse<String> response = WsTestClient.HTTP.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.adminPort() + "/admin/sessions"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new AssertionError("GET /admin/sessions: " + response.statusCode() + " " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** The gateway's {@code /observe/metrics} (on the admin listener), in Prometheus text: read it with {@link ScrapeText}. */
    public static String metrics(GatewayServer gateway) {
        try {
            return WsTestClient.HTTP
                    .send(
                            HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + gateway.adminPort() + "/observe/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** Sessions open right now, as {@code GET /admin/sessions} counts them. */
    public static int activeSessions(GatewayServer gateway) {
        return sessions(gateway).path("active").asInt();
    }

    /**
     * A gateway in front of the shared Sphinx4 recognizer ({@link EmbeddedRecognizer}) over gRPC,
     * for tests that send whole files at once, far faster than real time: a buffer as long as the
     * longest file keeps them from being cut off as {@code overloaded}.
     */
    public static GatewayServer toSphinxForWholeFiles() {
        RivaConfig riva =
                TestConfigs.riva("127.0.0.1:" + EmbeddedRecognizer.get().port());
        return toRiva(TestConfigs.sessionsBufferSeconds(60), riva);
    }

    /**
     * A gateway with its own embedded {@code synthetic} recognizer that drains for {@code drain}
     * ({@code server.drain-seconds}), measured on {@code clock}.
     */
    public static GatewayServer synthetic(Duration drain, InstantSource clock) {
        return start(
                SessionSettings.defaults(),
                TestConfigs.riva(""),
                AsrConfig.SYNTHETIC,
                drain,
                Config.empty(),
                RestSettings.defaults(),
                clock);
    }

    /** A synthetic gateway that authenticates with {@code auth}; {@code clock} drives token expiry and quotas. */
    public static GatewayServer withAuth(AuthConfig auth, InstantSource clock) {
        return withAuth(auth, clock, TestConfigs.riva(""));
    }

    /** A gateway in front of {@code riva} (empty endpoint: the synthetic recognizer) that authenticates with {@code auth}. */
    public static GatewayServer withAuth(AuthConfig auth, InstantSource clock, RivaConfig riva) {
        return GatewayServer.start(
                new GatewayConfig(
                        0,
                        "127.0.0.1",
                        0,
                        "127.0.0.1",
                        Duration.ofSeconds(1),
                        OriginPolicy.of(List.of()),
                        SessionSettings.defaults(),
                        riva,
                        AllowedModels.ANY,
                        new AsrConfig(0, AsrConfig.SYNTHETIC, 1, 64 * 1024 * 1024, ""),
                        auth,
                        Config.empty(),
                        RestSettings.defaults()),
                clock);
    }

    public static GatewayServer start(SessionSettings sessions, RivaConfig riva, String engine, Duration drain) {
        return start(sessions, riva, engine, drain, Config.empty());
    }

    /** A gateway whose listener also gets Helidon's own settings from {@code listener} ({@code server.*}). */
    public static GatewayServer start(
            SessionSettings sessions, RivaConfig riva, String engine, Duration drain, Config listener) {
        return start(sessions, riva, engine, drain, listener, RestSettings.defaults(), InstantSource.system());
    }

    /** A gateway with its own embedded {@code synthetic} recognizer and these REST limits ({@code rest.*}). */
    public static GatewayServer synthetic(RestSettings rest) {
        return start(
                SessionSettings.defaults(),
                TestConfigs.riva(""),
                AsrConfig.SYNTHETIC,
                Duration.ofSeconds(30),
                Config.empty(),
                rest,
                InstantSource.system());
    }

    private static GatewayServer start(
            SessionSettings sessions,
            RivaConfig riva,
            String engine,
            Duration drain,
            Config listener,
            RestSettings rest,
            InstantSource clock) {
        return GatewayServer.start(
                new GatewayConfig(
                        0,
                        "127.0.0.1",
                        0,
                        "127.0.0.1",
                        drain,
                        OriginPolicy.of(List.of()),
                        sessions,
                        riva,
                        AllowedModels.ANY,
                        new AsrConfig(0, engine, 1, 64 * 1024 * 1024, ""),
                        AuthConfig.none(),
                        listener,
                        rest),
                clock);
    }
}
