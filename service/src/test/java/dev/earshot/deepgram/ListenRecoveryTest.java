package dev.earshot.deepgram;

import static dev.earshot.testing.MarkerTranscripts.upTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.MarkerRiva;
import dev.earshot.testing.MarkerRiva.Plan;
import dev.earshot.testing.TestConfigs;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A Deepgram live stream whose Riva stream fails goes on like a protocol v1 session does (the
 * recovery is the session's, not the dialect's), and its client hears nothing Deepgram would not
 * send: no {@code backend_recovered}, only the transcript going on, in session time.
 */
class ListenRecoveryTest {
    private static final String LIVE = "model=nova-3&encoding=linear16&sample_rate=16000&interim_results=true";

    @Test
    void aLiveStreamWhoseRivaStreamFailsGoesOnWithOnlyDeepgramsMessages() {
        try (MarkerRiva riva = MarkerRiva.start(5).plan(Plan.failAfter(13, Status.UNAVAILABLE));
                GatewayServer gateway = DeepgramGateways.toRiva(TestConfigs.riva("127.0.0.1:" + riva.port()));
                DeepgramTestClient client = DeepgramTestClient.connect(gateway.port(), LIVE)) {
            for (int i = 1; i <= 40; i++) {
                client.audio(MarkerRiva.chunk(i));
            }
            client.text("{\"type\":\"CloseStream\"}");
            assertEquals(1000, client.awaitClose().code(), client.messages().toString());

            List<Integer> markers = new ArrayList<>();
            for (JsonNode results : client.ofType("Results")) {
                if (!results.path("is_final").asBoolean()) {
                    continue;
                }
                for (JsonNode w :
                        results.path("channel").path("alternatives").get(0).path("words")) {
                    int marker = Integer.parseInt(w.path("word").asText().substring(1));
                    markers.add(marker);
                    assertEquals((marker - 1) / 10.0, w.path("start").asDouble(), 1e-9, w.toString());
                    assertEquals(marker / 10.0, w.path("end").asDouble(), 1e-9, w.toString());
                }
            }
            assertEquals(upTo(40), markers, "every chunk in exactly one final, at its session time");
            for (JsonNode m : client.messages()) {
                assertTrue(Set.of("Results", "Metadata").contains(m.path("type").asText()), m.toString());
            }
            assertEquals(2, riva.streams(), "the failed stream was replaced");
        }
    }
}
