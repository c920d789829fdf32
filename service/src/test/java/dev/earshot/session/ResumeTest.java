package dev.earshot.session;

import static dev.earshot.testing.MarkerTranscripts.assertEveryChunkOnce;
import static dev.earshot.testing.MarkerTranscripts.finalMarkers;
import static dev.earshot.testing.MarkerTranscripts.named;
import static dev.earshot.testing.ResumeSteps.assertEachSeqOnceInOrder;
import static dev.earshot.testing.ResumeSteps.both;
import static dev.earshot.testing.ResumeSteps.readUntilFinal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.MarkerRiva;
import dev.earshot.testing.MarkerRiva.Plan;
import dev.earshot.testing.RawHttp;
import dev.earshot.testing.ResumeSteps;
import dev.earshot.testing.ResumeSteps.Resumed;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import io.grpc.Status;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A protocol v1 client whose TCP connection is killed mid-stream (no close frame) comes back with
 * its resume token, is sent the events it missed, sends its audio again from the offset the
 * server names, and ends with every chunk of audio in exactly one final result. A wrong token is
 * refused with 403 and an unknown session with 404 before any upgrade; a session nobody resumes
 * ends after {@code sessions.resume-grace} and frees its slot, which it holds meanwhile.
 *
 * <p>A client that closes with 1001 (going away) may come back too, and a session whose Riva
 * stream fails while its client is away recovers it and is resumed without a chunk lost or heard
 * twice.
 *
 * <p>The backend is {@link MarkerRiva} (real gRPC on loopback): chunk N is heard as {@code mN},
 * a final every five words.
 */
class ResumeTest {
    private static final int CHUNKS = 60;

    private static GatewayServer gateway(MarkerRiva riva, SessionSettings sessions) {
        return TestGateways.toRiva(sessions, TestConfigs.riva("127.0.0.1:" + riva.port()));
    }

    private static WsTestClient resume(GatewayServer gateway, String sessionId, String token, long lastSeq) {
        return WsTestClient.connect(
                URI.create("ws://127.0.0.1:" + gateway.port() + "/api/v1/transcribe/" + sessionId + "?resume_token="
                        + token + "&last_seq=" + lastSeq),
                builder -> {});
    }

    @Test
    void aClientWhoseConnectionIsKilledResumesAndEveryChunkIsInExactlyOneFinal() throws Exception {
        try (MarkerRiva riva = MarkerRiva.start(5);
                GatewayServer gateway = gateway(riva, SessionSettings.defaults())) {
            List<JsonNode> seen = new ArrayList<>();
            String token;
            long lastSeq;
            try (WsTestClient ws = WsTestClient.connect(gateway.port(), "dropped")) {
                JsonNode started = ws.start(null).next();
                assertEquals("transcription_started", started.path("event").asText());
                assertEquals(1, started.path("seq").asLong(), started.toString());
                token = started.path("resume_token").asText();
                assertEquals(43, token.length(), started.toString());
                seen.add(started);
                for (int i = 1; i <= 30; i++) {
                    ws.sendBinary(MarkerRiva.chunk(i));
                }
                // the client keeps what came up to the first final; whatever followed is lost with the connection
                lastSeq = readUntilFinal(ws, seen).path("seq").asLong();
                ws.abort(); // the TCP connection goes, no close frame
            }

            Resumed resumed;
            try (WsTestClient ws = resume(gateway, "dropped", token, lastSeq)) {
                resumed = ResumeSteps.finish(ws, CHUNKS);
            }
            assertEquals("dropped", resumed.event().path("session_id").asText());
            assertTrue(
                    resumed.event().path("last_seq").asLong() >= lastSeq,
                    resumed.event().toString());
            assertTrue(
                    resumed.chunksReceived() >= 5 && resumed.chunksReceived() <= 30,
                    resumed.event().toString());

            List<JsonNode> all = both(seen, resumed.after());
            assertEveryChunkOnce(all, CHUNKS);
            assertEquals(1, named(all, "transcription_stopped").size());
            assertEachSeqOnceInOrder(all);
        }
    }

    @Test
    void aClientThatClosesWith1001ResumesFromTheLastByteItSent() throws Exception {
        try (MarkerRiva riva = MarkerRiva.start(5);
                GatewayServer gateway = gateway(riva, SessionSettings.defaults())) {
            List<JsonNode> before = new ArrayList<>();
            String token;
            long lastSeq;
            try (WsTestClient ws = WsTestClient.connect(gateway.port(), "leaving")) {
                JsonNode started = ws.start(null).next();
                token = started.path("resume_token").asText();
                before.add(started);
                for (int i = 1; i <= 20; i++) {
                    ws.sendBinary(MarkerRiva.chunk(i));
                }
                // what the client takes in: up to the final that ends with chunk 10
                lastSeq = readUntilFinal(
                                ws,
                                before,
                                e -> e.path("alternatives")
                                        .get(0)
                                        .path("transcript")
                                        .asText()
                                        .endsWith("m10"))
                        .path("seq")
                        .asLong();
                ws.closeGoingAway(); // a page navigating away, or a proxy going away: it may come back
                assertEquals(1001, ws.closeCode(), "the server answers the close");
            }

            Resumed resumed;
            try (WsTestClient ws = resume(gateway, "leaving", token, lastSeq)) {
                resumed = ResumeSteps.finish(ws, 40);
            }
            // the close frame came after every chunk, on the same connection: the server has them all
            assertEquals(20, resumed.chunksReceived(), resumed.event().toString());
            List<JsonNode> all = both(before, resumed.after());
            assertEveryChunkOnce(all, 40);
            assertEachSeqOnceInOrder(all);
        }
    }

    @Test
    void aResumeWhileTheRivaStreamIsRecoveredLosesAndDoublesNothing() throws Exception {
        try (MarkerRiva riva = MarkerRiva.start(5)
                        // the first stream fails at chunk 21, the next three at once: 1.5 s of backoff
                        // (0.1 + 0.2 + 0.4 + 0.8) before the fifth stream answers
                        .plan(
                                Plan.failAfter(20, Status.UNAVAILABLE.withDescription("the pod is restarting")),
                                Plan.failAfter(0, Status.UNAVAILABLE),
                                Plan.failAfter(0, Status.UNAVAILABLE),
                                Plan.failAfter(0, Status.UNAVAILABLE));
                GatewayServer gateway = gateway(riva, SessionSettings.defaults())) {
            String token;
            List<JsonNode> before = new ArrayList<>();
            try (WsTestClient ws = WsTestClient.connect(gateway.port(), "recovering")) {
                JsonNode started = ws.start(null).next();
                token = started.path("resume_token").asText();
                before.add(started);
                for (int i = 1; i <= 30; i++) {
                    ws.sendBinary(MarkerRiva.chunk(i));
                }
                while (riva.streams() < 2) { // the first stream failed: the session is recovering
                    Thread.sleep(5);
                }
                ws.abort(); // and now its connection is killed too
            }

            JsonNode resumed;
            List<JsonNode> all;
            try (WsTestClient ws = resume(gateway, "recovering", token, 1)) {
                Resumed r = ResumeSteps.finish(ws, CHUNKS);
                resumed = r.event();
                all = both(before, r.after());
            }
            assertEveryChunkOnce(all, CHUNKS);
            List<JsonNode> recovered = named(all, "backend_recovered");
            assertEquals(1, recovered.size(), all.toString());
            assertEquals(4, recovered.getFirst().path("attempt").asInt(), recovered.toString());
            assertTrue(
                    recovered.getFirst().path("seq").asLong()
                            > resumed.path("last_seq").asLong(),
                    "the stream answered only after the resume: the session was resumed while it recovered " + resumed
                            + " " + recovered);
            assertEquals(5, riva.streams(), "the four failed streams were replaced by a fifth");
            assertEachSeqOnceInOrder(all);
        }
    }

    @Test
    void aWrongTokenIs403AndAnUnknownSessionIs404BeforeTheUpgrade() throws Exception {
        try (MarkerRiva riva = MarkerRiva.start(5);
                GatewayServer gateway = gateway(riva, SessionSettings.defaults());
                WsTestClient ws = WsTestClient.connect(gateway.port(), "guarded")) {
            JsonNode started = ws.start(null).next();
            String token = started.path("resume_token").asText();
            assertEquals(15.0, started.path("resume_grace_seconds").asDouble(), "sessions.resume-grace's default");

            String wrong = (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);
            assertEquals(
                    403,
                    RawHttp.upgrade(gateway.port(), "/api/v1/transcribe/guarded?resume_token=" + wrong + "&last_seq=1")
                            .status());
            assertEquals(
                    404,
                    RawHttp.upgrade(gateway.port(), "/api/v1/transcribe/nobody?resume_token=" + token + "&last_seq=1")
                            .status());
            // the refusals left the session alone: it still transcribes
            ws.sendBinary(MarkerRiva.chunk(1)).stop();
            List<JsonNode> events = ws.drainUntilClosed();
            assertEquals(List.of(1), finalMarkers(events), events.toString());
        }
    }

    @Test
    void withoutAResumeGraceThereIsNoResumeEvenForTheRightToken() throws Exception {
        SessionSettings noGrace = SessionSettings.defaults().withResume(Duration.ZERO, 32 * 1024);
        try (MarkerRiva riva = MarkerRiva.start(5);
                GatewayServer gateway = gateway(riva, noGrace);
                WsTestClient ws = WsTestClient.connect(gateway.port(), "final")) {
            JsonNode started = ws.start(null).next();
            String token = started.path("resume_token").asText();
            assertEquals(0.0, started.path("resume_grace_seconds").asDouble(-1), "the client is told not to try");
            // the session is live, its connection too: a resume would take it over, were there a grace
            assertEquals(
                    404,
                    RawHttp.upgrade(gateway.port(), "/api/v1/transcribe/final?resume_token=" + token + "&last_seq=1")
                            .status());
            ws.sendBinary(MarkerRiva.chunk(1)).stop();
            List<JsonNode> events = ws.drainUntilClosed();
            assertEquals(List.of(1), finalMarkers(events), "the session went on untouched: " + events);
        }
    }

    @Test
    void aSessionNobodyResumesHoldsItsSlotForTheGraceThenEndsAndFreesIt() throws Exception {
        SessionSettings sessions = TestConfigs.sessionsMax(1).withResume(Duration.ofSeconds(1), 32 * 1024);
        try (MarkerRiva riva = MarkerRiva.start(5);
                GatewayServer gateway = gateway(riva, sessions)) {
            String token;
            try (WsTestClient ws = WsTestClient.connect(gateway.port(), "abandoned")) {
                JsonNode started = ws.start(null).next();
                token = started.path("resume_token").asText();
                assertEquals(1.0, started.path("resume_grace_seconds").asDouble(), "how long the client may try");
                ws.sendBinary(MarkerRiva.chunk(1));
                ws.abort();
            }
            // while it waits for its client, the session keeps the only slot
            try (WsTestClient other = WsTestClient.connect(gateway.port(), "other")) {
                JsonNode refused = other.next();
                assertEquals("capacity_exceeded", refused.path("code").asText(), refused.toString());
            }
            while (TestGateways.activeSessions(gateway) > 0) { // the grace runs out
                Thread.sleep(50);
            }
            assertEquals(
                    404,
                    RawHttp.upgrade(
                                    gateway.port(),
                                    "/api/v1/transcribe/abandoned?resume_token=" + token + "&last_seq=1")
                            .status());
            try (WsTestClient next = WsTestClient.connect(gateway.port(), "next")) {
                JsonNode started = next.start(null).next();
                assertEquals("transcription_started", started.path("event").asText(), started.toString());
            }
        }
    }

    @Test
    void aResumeAfterMoreEventsThanAreKeptIsResumeFailed() throws Exception {
        SessionSettings sessions = SessionSettings.defaults().withResume(Duration.ofSeconds(30), 1024);
        try (MarkerRiva riva = MarkerRiva.start(1); // a final per chunk: more than 1 KiB of them
                GatewayServer gateway = gateway(riva, sessions)) {
            String token;
            try (WsTestClient ws = WsTestClient.connect(gateway.port(), "forgetful")) {
                token = ws.start(null).next().path("resume_token").asText();
                for (int i = 1; i <= 20; i++) {
                    ws.sendBinary(MarkerRiva.chunk(i));
                }
                ws.until(e -> e.path("is_final").asBoolean()
                        && e.path("alternatives")
                                .get(0)
                                .path("transcript")
                                .asText()
                                .equals("m15"));
                ws.abort();
            }
            try (WsTestClient ws = resume(gateway, "forgetful", token, 1)) {
                JsonNode failed = ws.next();
                assertEquals("resume_failed", failed.path("code").asText(), failed.toString());
                assertFalse(failed.has("seq"), "about this connection, not the session's events: " + failed);
                assertEquals(1008, ws.closeCode());
            }
            while (TestGateways.activeSessions(gateway) > 0) { // the session ended with it
                Thread.sleep(50);
            }
        }
    }
}
