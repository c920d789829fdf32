package dev.earshot.auth;

import static dev.earshot.testing.MarkerTranscripts.assertEveryChunkOnce;
import static dev.earshot.testing.ResumeSteps.both;
import static dev.earshot.testing.ResumeSteps.readUntilFinal;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.MarkerRiva;
import dev.earshot.testing.RawHttp;
import dev.earshot.testing.ResumeSteps;
import dev.earshot.testing.ResumeSteps.Resumed;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resuming a session on a gateway that requires API keys, over real sockets: the resume's
 * handshake is authenticated like any other (none: 401), only the principal that opened the
 * session may take it back (another key: 403, even with the right resume token), and the owner
 * may come back with a fresh token for its key. The resume takes no second quota slot: the
 * principal's one slot is the detached session's.
 */
class ResumeOnTheWireTest {
    private static final String ALICE = "alice-key-0123456789abcdef0123456789abcdef";
    private static final String BOB = "bob-key-0123456789abcdef0123456789abcdef01";
    private static final int CHUNKS = 20;

    @Test
    void onlyTheOwnerWithCredentialsResumesAndEveryChunkIsInExactlyOneFinal(@TempDir Path dir) throws Exception {
        Path keys = AuthTestSupport.keysFile(dir, "alice", ALICE, "bob", BOB);
        try (MarkerRiva riva = MarkerRiva.start(5);
                GatewayServer gateway = TestGateways.withAuth(
                        AuthTestSupport.apiKeys(keys, Duration.ofMinutes(5), 1, 0),
                        InstantSource.system(),
                        TestConfigs.riva("127.0.0.1:" + riva.port()))) {
            List<JsonNode> seen = new ArrayList<>();
            String token;
            try (WsTestClient ws = WsTestClient.connect(
                    URI.create("ws://127.0.0.1:" + gateway.port() + "/api/v1/transcribe/owned"),
                    b -> b.header("Authorization", "Bearer " + ALICE))) {
                JsonNode started = ws.start(null).next();
                assertEquals("transcription_started", started.path("event").asText(), started.toString());
                token = started.path("resume_token").asText();
                seen.add(started);
                for (int i = 1; i <= 10; i++) {
                    ws.sendBinary(MarkerRiva.chunk(i));
                }
                readUntilFinal(ws, seen);
                ws.abort(); // killed, no close frame: the session waits, holding alice's only slot
            }
            long lastSeq = seen.getLast().path("seq").asLong();
            String path = "/api/v1/transcribe/owned?resume_token=" + token + "&last_seq=" + lastSeq;

            assertEquals(401, RawHttp.upgrade(gateway.port(), path).status(), "no credential");
            assertEquals(
                    403,
                    RawHttp.upgrade(gateway.port(), path, "Authorization: Bearer " + BOB)
                            .status(),
                    "another principal, with the right resume token");
            // alice cannot open a second session meanwhile: the waiting one holds her slot
            assertEquals(
                    429,
                    RawHttp.upgrade(gateway.port(), "/api/v1/transcribe/second", "Authorization: Bearer " + ALICE)
                            .status());

            String fresh = AuthTestSupport.token(gateway.port(), ALICE, null)
                    .path("token")
                    .asText();
            Resumed resumed;
            try (WsTestClient ws = WsTestClient.connect(
                    URI.create("ws://127.0.0.1:" + gateway.port() + path),
                    b -> b.header("Authorization", "Bearer " + fresh))) {
                resumed = ResumeSteps.finish(ws, CHUNKS);
            }
            assertTrue(
                    resumed.chunksReceived() >= 5 && resumed.chunksReceived() <= 10,
                    resumed.event().toString());
            assertEveryChunkOnce(both(seen, resumed.after()), CHUNKS);
            await("the session ended, and with it alice's slot")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> RawHttp.upgrade(
                                            gateway.port(),
                                            "/api/v1/transcribe/second",
                                            "Authorization: Bearer " + ALICE)
                                    .status()
                            == 101);
        }
    }
}
