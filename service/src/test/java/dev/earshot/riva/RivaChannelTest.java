package dev.earshot.riva;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.earshot.asr.AsrConfig;
import dev.earshot.asr.AsrServer;
import dev.earshot.config.ConfigLoader;
import dev.earshot.protocol.SessionConfig;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;
import org.junit.jupiter.api.Test;

/** How the gateway's channel to Riva is built from {@code riva.*}: targets, load balancing, keepalive. */
class RivaChannelTest {

    private static RivaConfig fromEnvironment(Map<String, String> environment) {
        return RivaConfig.from(ConfigLoader.load(environment, new Properties()));
    }

    @Test
    void aDnsTargetWithRoundRobinAndKeepalivesReachesRiva() throws Exception {
        try (AsrServer riva = AsrServer.start(new AsrConfig(0, AsrConfig.SYNTHETIC, 1, 1 << 20, ""));
                RivaClient client = new RivaClient(
                        fromEnvironment(Map.of(
                                "RIVA_ENDPOINT", "dns:///localhost:" + riva.port(),
                                "RIVA_LOAD__BALANCING", "round_robin",
                                "RIVA_KEEPALIVE__TIME", "PT10S")),
                        null)) {
            List<String> heard = new CopyOnWriteArrayList<>();
            CompletableFuture<Status> closed = new CompletableFuture<>();
            RivaStream stream =
                    client.stream(RivaRequests.streaming(SessionConfig.defaults()), 1 << 20, new RivaStream.Listener() {
                        @Override
                        public void onResponse(StreamingRecognizeResponse response) {
                            response.getResultsList()
                                    .forEach(r -> heard.add(r.getAlternatives(0).getTranscript()));
                        }

                        @Override
                        public void onClose(Status status) {
                            closed.complete(status);
                        }
                    });
            assertTrue(stream.send(ByteString.copyFrom(new byte[3200]), TimeUnit.SECONDS.toNanos(5)));
            stream.halfClose();
            assertEquals(Status.Code.OK, closed.get(30, TimeUnit.SECONDS).getCode());
            assertTrue(heard.contains("chunk 1"), heard.toString());
        }
    }

    @Test
    void anUnknownLoadBalancingPolicyIsRefusedByName() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> fromEnvironment(Map.of("RIVA_LOAD__BALANCING", "least_request")));
        assertEquals("riva.load-balancing must be pick_first or round_robin, got least_request", e.getMessage());
    }

    @Test
    void keepalivesAndPickFirstAreTheDefaults() {
        RivaConfig config = fromEnvironment(Map.of());
        assertEquals(RivaConfig.PICK_FIRST, config.loadBalancing());
        assertEquals(RivaConfig.DEFAULT_KEEPALIVE_TIME, config.keepaliveTime());
    }
}
