package dev.earshot.gateway;

import static dev.earshot.testing.MarkerTranscripts.assertEveryChunkOnce;
import static dev.earshot.testing.MarkerTranscripts.named;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.riva.RivaConfig;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.MarkerRiva;
import dev.earshot.testing.StaticTargets;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Two Riva backends behind one {@code round_robin} target (as a headless Service's pods are), and
 * one of them dies mid-session: its sessions recover onto the other without losing or doubling a
 * word; the other's sessions notice nothing.
 */
class BackendFailoverTest {
    private static final int CHUNKS = 40;
    private static final int MAX_SESSIONS = 12;

    /** One session: the client and every event it received so far. */
    private record Client(WsTestClient ws, List<JsonNode> events) {}

    @Test
    void whenOneOfTwoRoundRobinBackendsDiesItsSessionsGoOnOnTheOther() throws Exception {
        try (MarkerRiva a = MarkerRiva.start(5);
                MarkerRiva b = MarkerRiva.start(5);
                GatewayServer gateway = TestGateways.toRiva(
                        SessionSettings.defaults(),
                        new RivaConfig(
                                StaticTargets.of(a.address(), b.address()),
                                false,
                                Optional.empty(),
                                "",
                                "",
                                Duration.ofSeconds(120),
                                Duration.ofSeconds(1),
                                RivaConfig.DEFAULT_RESPONSE_TIMEOUT,
                                RivaConfig.DEFAULT_KEEPALIVE_TIME,
                                RivaConfig.ROUND_ROBIN))) {
            // sessions, each with the first half of its audio sent and a final heard (its stream is
            // open and answering), until both backends hold streams and there are at least four
            List<Client> clients = new ArrayList<>();
            while (clients.size() < 4 || a.openStreams() == 0 || b.openStreams() == 0) {
                assertTrue(clients.size() < MAX_SESSIONS, "round_robin never used both backends");
                WsTestClient ws = WsTestClient.connect(gateway.port(), "failover-" + clients.size());
                List<JsonNode> events = new ArrayList<>();
                events.add(ws.start(null).next());
                for (int i = 1; i <= CHUNKS / 2; i++) {
                    ws.sendBinary(MarkerRiva.chunk(i));
                }
                ws.until(e -> events.add(e) && e.path("is_final").asBoolean());
                clients.add(new Client(ws, events));
            }
            int onA = a.openStreams();
            assertEquals(clients.size(), onA + b.openStreams());

            a.close(); // the pod dies: its streams fail

            for (Client c : clients) {
                for (int i = CHUNKS / 2 + 1; i <= CHUNKS; i++) {
                    c.ws().sendBinary(MarkerRiva.chunk(i));
                }
                c.ws().stop();
            }
            int recovered = 0;
            for (Client c : clients) {
                List<JsonNode> events = c.events();
                events.addAll(c.ws().drainUntilClosed());
                assertEquals(1000, c.ws().closeCode(), events.toString());
                assertEveryChunkOnce(events, CHUNKS);
                recovered += named(events, "backend_recovered").size() > 0 ? 1 : 0;
                c.ws().close();
            }
            assertEquals(onA, recovered, "every session on the dead backend, and only those, recovered");
            assertEquals(clients.size(), b.streams(), "b took over every stream a held");
        }
    }
}
