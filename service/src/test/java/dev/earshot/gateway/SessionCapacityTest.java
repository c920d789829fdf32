package dev.earshot.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.testing.ScrapeText;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The session limit tells what the replica can decode: without {@code sessions.max}, a gateway in
 * front of its embedded Sphinx4 recognizer admits one session per decoder and says so in
 * {@code earshot_sessions_capacity} and {@code /api/v1/sessions}; an explicit {@code sessions.max}
 * wins; the synthetic engine and a remote Riva keep {@code sessions.max}'s default. REST
 * recognitions at once follow the decoders the same way ({@code rest.max-concurrent}). The gateways
 * are configured as {@code earshot serve} configures them, from keys.
 */
class SessionCapacityTest {

    static GatewayConfig config(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(
                Map.of("server.port", "0", "server.admin-port", "0", "server.host", "127.0.0.1", "asr.port", "0"));
        all.putAll(settings);
        return GatewayConfig.from(Config.just(ConfigSources.create(all)));
    }

    static double capacityMetric(GatewayServer gateway) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + gateway.adminPort() + "/observe/metrics"))
                .build();
        String text = WsTestClient.HTTP
                .send(request, HttpResponse.BodyHandlers.ofString())
                .body();
        return ScrapeText.sum(text, "earshot_sessions_capacity");
    }

    @Test
    void withTheEmbeddedSphinx4RecognizerTheLimitIsItsDecoderCount() throws Exception {
        try (GatewayServer gateway = GatewayServer.start(config(Map.of("asr.pool-size", "3")))) {
            assertEquals(3, capacityMetric(gateway));
            assertEquals(3, TestGateways.sessions(gateway).path("capacity").asInt());

            List<WsTestClient> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                WsTestClient ws = WsTestClient.connect(gateway.port(), "decoder-" + i);
                assertEquals(
                        "transcription_started",
                        ws.start(null).next().path("event").asText());
                held.add(ws);
            }
            try (WsTestClient extra = WsTestClient.connect(gateway.port(), "decoder-extra")) {
                JsonNode error = extra.next();
                assertEquals("capacity_exceeded", error.path("code").asText(), error.toString());
                assertEquals(1013, extra.closeCode());
            }
            held.forEach(WsTestClient::close);
        }
    }

    @Test
    void withTheSyntheticEngineTheLimitStaysTheDefault() throws Exception {
        try (GatewayServer gateway = GatewayServer.start(config(Map.of("asr.engine", "synthetic")))) {
            assertEquals(150, capacityMetric(gateway));
            assertEquals(150, TestGateways.sessions(gateway).path("capacity").asInt());
        }
    }

    @Test
    void anExplicitSessionsMaxWinsOverTheDecoderCount() throws Exception {
        try (GatewayServer gateway = GatewayServer.start(config(Map.of("asr.pool-size", "2", "sessions.max", "5")))) {
            assertEquals(5, capacityMetric(gateway));
        }
        assertEquals(3, config(Map.of()).sessionLimit(OptionalInt.of(3)), "unset: the decoders");
        assertEquals(0, config(Map.of("sessions.max", "0")).sessionLimit(OptionalInt.of(3)), "an explicit 0 too");
        assertEquals(150, config(Map.of()).sessionLimit(OptionalInt.empty()), "unset, no fixed capacity: the default");
    }

    @Test
    void withTheEmbeddedSphinx4RecognizerRestRecognitionsAtOnceAreItsDecoderCount() throws Exception {
        try (GatewayServer gateway = GatewayServer.start(config(Map.of("asr.pool-size", "1")))) {
            URI raw = URI.create("http://127.0.0.1:" + gateway.port()
                    + "/api/v1/transcriptions?encoding=LINEAR_PCM&sample_rate_hertz=16000");
            CountDownLatch bodyAsked = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            InputStream heldBody = new InputStream() { // 0.2 s of silence, once the test lets it go
                        int left = 6400;

                        @Override
                        public int read() throws IOException {
                            bodyAsked.countDown(); // the server said 100 Continue: it holds the slot
                            try {
                                release.await();
                            } catch (InterruptedException e) {
                                throw new IOException(e);
                            }
                            return left-- > 0 ? 0 : -1;
                        }
                    };
            CompletableFuture<HttpResponse<String>> first = WsTestClient.HTTP.sendAsync(
                    HttpRequest.newBuilder(raw)
                            .expectContinue(true)
                            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> heldBody))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(bodyAsked.await(30, TimeUnit.SECONDS), "the first upload was let in");

            HttpResponse<String> second = WsTestClient.HTTP.send(
                    HttpRequest.newBuilder(raw)
                            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[3200]))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(429, second.statusCode(), second.body());
            assertTrue(second.body().contains("limit of 1 transcriptions"), second.body());

            release.countDown();
            assertEquals(200, first.get(60, TimeUnit.SECONDS).statusCode());
        }
    }
}
