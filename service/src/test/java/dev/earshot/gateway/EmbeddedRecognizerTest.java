package dev.earshot.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.earshot.protocol.SessionConfig;
import dev.earshot.riva.RivaClient;
import dev.earshot.riva.RivaRequests;
import dev.earshot.riva.RivaStream;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;
import org.junit.jupiter.api.Test;

/**
 * The gateway reaches its embedded recognizer in-process, and the recognizer still serves other
 * processes on its gRPC port at the same time, as a Riva would.
 */
class EmbeddedRecognizerTest {

    @Test
    void theGatewayAndANetworkClientAreServedTogether() throws Exception {
        try (GatewayServer gateway = TestGateways.synthetic(SessionSettings.defaults());
                RivaClient outside = new RivaClient(
                        TestConfigs.riva("127.0.0.1:" + gateway.asr().port()), null);
                WsTestClient ws = WsTestClient.connect(gateway.port(), "embedded-1")) {
            ws.start(null).next();
            ws.sendBinary(new byte[3200]);
            assertEquals(
                    "chunk 1",
                    ws.until("transcript")
                            .path("alternatives")
                            .get(0)
                            .path("transcript")
                            .asText());

            List<String> heard = new CopyOnWriteArrayList<>();
            CompletableFuture<Status> closed = new CompletableFuture<>();
            RivaStream stream = outside.stream(
                    RivaRequests.streaming(SessionConfig.defaults()), 1 << 20, new RivaStream.Listener() {
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
            stream.send(ByteString.copyFrom(new byte[3200]), 0);
            stream.send(ByteString.copyFrom(new byte[3200]), 0);
            ws.sendBinary(new byte[3200]); // the gateway's session goes on meanwhile
            stream.halfClose();

            assertEquals(Status.Code.OK, closed.get(30, TimeUnit.SECONDS).getCode());
            assertEquals(List.of("chunk 1", "chunk 2"), heard.subList(0, 2), "over TCP: " + heard);
            assertEquals(
                    "chunk 2",
                    ws.until("transcript")
                            .path("alternatives")
                            .get(0)
                            .path("transcript")
                            .asText());
            assertEquals(
                    1, gateway.asr().engine().activeStreams(), "the gateway's stream is open, the other one ended");
        }
    }
}
