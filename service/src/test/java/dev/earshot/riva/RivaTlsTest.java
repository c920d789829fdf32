package dev.earshot.riva;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.asr.grpc.HealthService;
import dev.earshot.asr.grpc.RivaAsrService;
import dev.earshot.asr.synthetic.SyntheticEngine;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The NVIDIA-cloud path: Riva behind TLS, reached with a function id and an API key. A TLS gRPC
 * server on loopback, with a certificate from a test CA, stands in for {@code grpc.nvcf.nvidia.com}
 * and records the metadata each call brings.
 */
class RivaTlsTest {
    static Server riva;
    static final Map<String, String> seen = new ConcurrentHashMap<>();

    static File resource(String name) throws Exception {
        return Path.of(RivaTlsTest.class.getResource("/tls/" + name).toURI()).toFile();
    }

    @BeforeAll
    static void start() throws Exception {
        ServerInterceptor recorder = new ServerInterceptor() {
            @Override
            public <Q, R> ServerCall.Listener<Q> interceptCall(
                    ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
                for (String key : new String[] {"function-id", "authorization"}) {
                    String value = headers.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
                    if (value != null) {
                        seen.put(key, value);
                    }
                }
                return next.startCall(call, headers);
            }
        };
        riva = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .useTransportSecurity(resource("server.pem"), resource("server.key"))
                .intercept(recorder)
                .addService(new RivaAsrService(new SyntheticEngine(), 1 << 20))
                .addService(new HealthService(() -> true))
                .directExecutor()
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        riva.shutdownNow();
    }

    static RivaConfig tls(Optional<Path> ca) {
        return new RivaConfig(
                "localhost:" + riva.getPort(),
                true,
                ca,
                "fn-123",
                "nvapi-test-key",
                Duration.ofSeconds(10),
                Duration.ofSeconds(2));
    }

    @Test
    void aTlsRivaIsReachedThroughTheConfiguredCaWithFunctionIdAndBearerKey() throws Exception {
        try (GatewayServer gateway = TestGateways.toRiva(
                        SessionSettings.defaults(),
                        tls(Optional.of(resource("ca.pem").toPath())));
                WsTestClient ws = WsTestClient.connect(gateway.port(), "tls-1")) {
            ws.start(null).next();
            ws.sendBinary(new byte[3200]);
            assertEquals("chunk 1", ws.nextTranscript());
        }
        assertEquals("fn-123", seen.get("function-id"));
        assertEquals("Bearer nvapi-test-key", seen.get("authorization"));
    }

    @Test
    void aServerTheSystemRootsDoNotTrustIsBackendUnavailable() throws Exception {
        try (GatewayServer gateway = TestGateways.toRiva(SessionSettings.defaults(), tls(Optional.empty()));
                WsTestClient ws = WsTestClient.connect(gateway.port(), "tls-2")) {
            ws.start(null).next();
            ws.sendBinary(new byte[3200]);
            JsonNode error = ws.until("error");
            assertEquals("backend_unavailable", error.path("code").asText(), error.toString());
            assertEquals(1011, ws.closeCode());
        }
    }
}
