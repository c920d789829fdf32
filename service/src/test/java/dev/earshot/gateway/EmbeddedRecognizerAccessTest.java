package dev.earshot.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.config.ConfigLoader;
import dev.earshot.proto.health.v1.HealthCheckRequest;
import dev.earshot.proto.health.v1.HealthCheckResponse;
import dev.earshot.proto.health.v1.HealthGrpc;
import dev.earshot.testing.WsTestClient;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * Who may reach the embedded recognizer's gRPC port: it bypasses the gateway's limits, so it
 * listens on loopback unless {@code asr.host} says otherwise, and an {@code asr.api-key} guards it
 * from other processes without locking out the gateway's own in-process calls.
 */
class EmbeddedRecognizerAccessTest {

    private static GatewayServer gateway(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(
                Map.of("SERVER_PORT", "0", "SERVER_HOST", "127.0.0.1", "ASR_ENGINE", "synthetic", "ASR_PORT", "0"));
        env.putAll(extra);
        return GatewayServer.start(GatewayConfig.from(ConfigLoader.load(env, new Properties())));
    }

    private static HealthCheckResponse.ServingStatus health(int port, String key) {
        ManagedChannel channel =
                NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        try {
            HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel);
            if (key != null) {
                Metadata headers = new Metadata();
                headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
                stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            }
            return stub.check(HealthCheckRequest.getDefaultInstance()).getStatus();
        } finally {
            channel.shutdownNow();
        }
    }

    @Test
    void theRecognizerPortListensOnLoopbackByDefault() {
        try (GatewayServer gateway = gateway(Map.of())) {
            assertTrue(
                    gateway.asr().address().getAddress().isLoopbackAddress(),
                    gateway.asr().address().toString());
        }
        try (GatewayServer gateway = gateway(Map.of("ASR_HOST", "0.0.0.0"))) {
            assertTrue(
                    gateway.asr().address().getAddress().isAnyLocalAddress(),
                    gateway.asr().address().toString());
        }
    }

    @Test
    void anApiKeyGuardsThePortButNotTheGatewaysOwnSessions() throws Exception {
        try (GatewayServer gateway = gateway(Map.of("ASR_API__KEY", "k-123"));
                WsTestClient ws = WsTestClient.connect(gateway.port(), "keyed-1")) {
            // the gateway's sessions reach the recognizer in-process, without the key
            ws.start(null).next();
            ws.sendBinary(new byte[3200]);
            assertEquals(
                    "chunk 1",
                    ws.until("transcript")
                            .path("alternatives")
                            .get(0)
                            .path("transcript")
                            .asText());
            // other processes need it
            int port = gateway.asr().port();
            StatusRuntimeException refused = assertThrows(StatusRuntimeException.class, () -> health(port, null));
            assertEquals(Status.Code.UNAUTHENTICATED, refused.getStatus().getCode());
            assertEquals(HealthCheckResponse.ServingStatus.SERVING, health(port, "k-123"));
        }
    }
}
