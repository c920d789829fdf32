package dev.earshot.session;

import static dev.earshot.testing.MarkerTranscripts.assertEveryChunkOnce;
import static dev.earshot.testing.MarkerTranscripts.assertSessionTimes;
import static dev.earshot.testing.MarkerTranscripts.finalMarkers;
import static dev.earshot.testing.MarkerTranscripts.named;
import static dev.earshot.testing.MarkerTranscripts.upTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.riva.RetryPolicy;
import dev.earshot.riva.RivaConfig;
import dev.earshot.testing.MarkerRiva;
import dev.earshot.testing.MarkerRiva.Plan;
import dev.earshot.testing.ScrapeText;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WsTestClient;
import io.grpc.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Riva stream that fails, ends early or stalls is replaced by a new one, and the transcript goes
 * on with every chunk of audio in exactly one final result, at its own time in the session: none
 * lost (the audio no final covered is replayed), none doubled (audio a final covered is not).
 * After {@code riva.retry.max-attempts} failures in a row the session gives up with its last
 * interim as a final; a failure that is not worth a retry ends the session with its own code.
 *
 * <p>The backend is {@link MarkerRiva}, real gRPC on loopback: chunk N is heard as the word
 * {@code mN}, a final every five words. The client sends as fast as the gateway takes the audio.
 */
class RecoveryTest {
    private static final int FINAL_EVERY = 5;

    private static GatewayServer gateway(MarkerRiva riva, SessionSettings sessions, Duration responseTimeout) {
        return TestGateways.toRiva(
                sessions,
                new RivaConfig(
                        "127.0.0.1:" + riva.port(),
                        false,
                        Optional.empty(),
                        "",
                        "",
                        Duration.ofSeconds(120),
                        Duration.ofSeconds(1),
                        responseTimeout,
                        RivaConfig.DEFAULT_KEEPALIVE_TIME,
                        RivaConfig.PICK_FIRST));
    }

    private static GatewayServer gateway(MarkerRiva riva) {
        return gateway(riva, SessionSettings.defaults(), RivaConfig.DEFAULT_RESPONSE_TIMEOUT);
    }

    /**
     * Starts, sends chunks 1 to {@code chunks} as fast as they are taken, stops, and returns every
     * event until the server closed; sending stops early if the server ends the session.
     */
    static List<JsonNode> transcribe(WsTestClient ws, String config, int chunks) throws Exception {
        assertEquals(
                "transcription_started", ws.start(config).next().path("event").asText());
        try {
            for (int i = 1; i <= chunks && !ws.closed(); i++) {
                ws.sendBinary(MarkerRiva.chunk(i));
            }
            ws.stop();
        } catch (RuntimeException e) {
            // the server ended the session while audio was still going out: the events say why
        }
        return ws.drainUntilClosed();
    }

    @Test
    void aStreamThatFailsMidUtteranceIsReplacedAndEveryChunkIsInExactlyOneFinal() throws Exception {
        try (MarkerRiva riva = MarkerRiva.start(FINAL_EVERY)
                        .plan(Plan.failAfter(23, Status.UNAVAILABLE.withDescription("the pod is restarting")));
                GatewayServer gateway = gateway(riva);
                WsTestClient ws = WsTestClient.connect(gateway.port(), "fails-mid-utterance")) {
            List<JsonNode> events = transcribe(ws, "{\"enable_word_time_offsets\":true}", 60);

            assertEquals(1000, ws.closeCode(), events.toString());
            assertEveryChunkOnce(events, 60);
            assertEquals(60, assertSessionTimes(events), "times are the session's, not the new stream's");
            List<JsonNode> recovered = named(events, "backend_recovered");
            assertEquals(1, recovered.size(), events.toString());
            assertEquals(
                    "fails-mid-utterance",
                    recovered.getFirst().path("session_id").asText());
            assertEquals(1, recovered.getFirst().path("attempt").asInt());
            // the last final ended with m20; m21 to m23 were heard, m24 arrived as the stream failed
            double replayed = recovered.getFirst().path("replayed_seconds").asDouble();
            assertTrue(replayed >= 0.4 && replayed <= 4.0, recovered.toString());
            // the client hears of the recovery before the new stream's first result
            int announced = events.indexOf(recovered.getFirst());
            JsonNode nextFinal = events.subList(announced, events.size()).stream()
                    .filter(e -> e.path("is_final").asBoolean())
                    .findFirst()
                    .orElseThrow();
            assertTrue(
                    nextFinal
                            .path("alternatives")
                            .get(0)
                            .path("transcript")
                            .asText()
                            .startsWith("m21 "),
                    nextFinal.toString());
            assertEquals(2, riva.streams());
            String metrics = TestGateways.metrics(gateway);
            assertEquals(1.0, ScrapeText.sample(metrics, "earshot_backend_recoveries_total"));
            assertEquals(1.0, ScrapeText.sample(metrics, "earshot_backend_errors_total{code=\"UNAVAILABLE\"}"));
        }
    }

    @Test
    void rivaIsAlwaysAskedForWordTimesAndOnlyAClientThatAskedGetsThem() throws Exception {
        try (MarkerRiva riva = MarkerRiva.start(FINAL_EVERY)
                        .plan(Plan.failAfter(12, Status.UNAVAILABLE.withDescription("gone")));
                GatewayServer gateway = gateway(riva);
                WsTestClient ws = WsTestClient.connect(gateway.port(), "no-word-times")) {
            List<JsonNode> events = transcribe(ws, null, 30);

            assertEquals(1000, ws.closeCode(), events.toString());
            assertEquals(upTo(30), finalMarkers(events), "the replay started at the end of a stripped word");
            for (JsonNode t : named(events, "transcript")) {
                assertEquals(0, t.path("alternatives").get(0).path("words").size(), t.toString());
            }
            assertEquals(2, riva.configs().size());
            assertTrue(riva.configs().stream().allMatch(c -> c.getConfig().getEnableWordTimeOffsets()));
        }
    }

    @Test
    void severalFailuresInARowAreRecoveredAndEachStreamThatAnswersIsAnnounced() throws Exception {
        try (MarkerRiva riva = MarkerRiva.start(FINAL_EVERY)
                        .plan(
                                Plan.failAfter(12, Status.UNAVAILABLE),
                                Plan.failAfter(0, Status.ABORTED),
                                Plan.failAfter(
                                        1,
                                        Status.INTERNAL.withDescription(
                                                "RST_STREAM closed stream. HTTP/2 error code: INTERNAL_ERROR")));
                GatewayServer gateway = gateway(riva);
                WsTestClient ws = WsTestClient.connect(gateway.port(), "fails-three-times")) {
            List<JsonNode> events = transcribe(ws, "{\"enable_word_time_offsets\":true}", 50);

            assertEquals(1000, ws.closeCode(), events.toString());
            assertEveryChunkOnce(events, 50);
            assertSessionTimes(events);
            // the second new stream answered once before it failed; the first never answered
            List<Integer> attempts = named(events, "backend_recovered").stream()
                    .map(e -> e.path("attempt").asInt())
                    .toList();
            assertEquals(List.of(2, 3), attempts, events.toString());
            assertEquals(4, riva.streams());
        }
    }

    @Test
    void aFinalBetweenFailuresStartsTheCountAgain() throws Exception {
        // six failures, more than riva.retry.max-attempts, but each stream sends a final before it fails
        Plan failsAfterAFinal = Plan.failAfter(8, Status.UNAVAILABLE);
        try (MarkerRiva riva = MarkerRiva.start(FINAL_EVERY)
                        .plan(failsAfterAFinal, failsAfterAFinal, failsAfterAFinal)
                        .plan(failsAfterAFinal, failsAfterAFinal, failsAfterAFinal);
                GatewayServer gateway = gateway(riva);
                WsTestClient ws = WsTestClient.connect(gateway.port(), "fails-six-times")) {
            List<JsonNode> events = transcribe(ws, "{\"enable_word_time_offsets\":true}", 80);

            assertEquals(1000, ws.closeCode(), events.toString());
            assertEveryChunkOnce(events, 80);
            assertSessionTimes(events);
            List<JsonNode> recovered = named(events, "backend_recovered");
            assertEquals(6, recovered.size(), recovered.toString());
            assertTrue(recovered.stream().allMatch(e -> e.path("attempt").asInt() == 1), recovered.toString());
            assertEquals(7, riva.streams());
        }
    }

    @Test
    void aStreamThatEndsWithOkWhileTheClientStreamsIsReplaced() throws Exception {
        try (MarkerRiva riva = MarkerRiva.start(FINAL_EVERY).plan(Plan.endAfter(17));
                GatewayServer gateway = gateway(riva);
                WsTestClient ws = WsTestClient.connect(gateway.port(), "ends-early")) {
            ws.start("{\"enable_word_time_offsets\":true}").next();
            for (int i = 1; i <= 20; i++) {
                ws.sendBinary(MarkerRiva.chunk(i));
            }
            // the client is still streaming (an OK after its end of audio would be the stream's end)
            List<JsonNode> events = new ArrayList<>();
            ws.until(e -> events.add(e) && e.path("event").asText().equals("backend_recovered"));
            for (int i = 21; i <= 40; i++) {
                ws.sendBinary(MarkerRiva.chunk(i));
            }
            ws.stop();
            events.addAll(ws.drainUntilClosed());

            assertEquals(1000, ws.closeCode(), events.toString());
            assertEveryChunkOnce(events, 40);
            assertSessionTimes(events);
            assertEquals(1, named(events, "backend_recovered").size(), events.toString());
            assertEquals(
                    "transcription_stopped", events.getLast().path("event").asText(), "the session went on to the end");
            assertEquals(2, riva.streams());
        }
    }

    @Test
    void aStalledStreamIsReplacedByTheWatchdog() throws Exception {
        // Riva stops taking audio and answering after chunk 25; the client sends 12 s of audio at
        // once, more than the backend's window and the session's 2 s buffer hold, so the session
        // stops reading its socket until the watchdog (1 s) replaces the stream
        try (MarkerRiva riva = MarkerRiva.start(FINAL_EVERY).plan(Plan.stallAfter(25));
                GatewayServer gateway = gateway(riva, TestConfigs.sessionsBufferSeconds(2), Duration.ofSeconds(1));
                WsTestClient ws = WsTestClient.connect(gateway.port(), "stalls")) {
            List<JsonNode> events = transcribe(ws, "{\"enable_word_time_offsets\":true}", 120);

            assertEquals(1000, ws.closeCode(), events.toString());
            assertEveryChunkOnce(events, 120);
            assertSessionTimes(events);
            List<JsonNode> recovered = named(events, "backend_recovered");
            assertEquals(1, recovered.size(), events.toString());
            assertTrue(recovered.getFirst().path("replayed_seconds").asDouble() >= 0.5, recovered.toString());
            assertEquals(2, riva.streams());
        }
    }

    @Test
    void withNoFinalForLongerThanTheBufferTheOldestHeardAudioIsNotReplayed() throws Exception {
        // no final in 30 chunks (the backend finalizes every 1,000 words) with a 1 s buffer: only
        // the last second Riva heard, and what it had not heard, is kept; the rest is lost, never doubled
        try (MarkerRiva riva = MarkerRiva.start(1000).plan(Plan.failAfter(30, Status.UNAVAILABLE));
                GatewayServer gateway =
                        gateway(riva, TestConfigs.sessionsBufferSeconds(1), RivaConfig.DEFAULT_RESPONSE_TIMEOUT);
                WsTestClient ws = WsTestClient.connect(gateway.port(), "no-final-for-long")) {
            ws.start("{\"enable_word_time_offsets\":true}").next();
            for (int i = 1; i <= 30; i++) {
                ws.sendBinary(MarkerRiva.chunk(i));
            }
            List<JsonNode> events = new ArrayList<>();
            ws.until(e -> events.add(e)
                    && e.path("alternatives")
                            .path(0)
                            .path("transcript")
                            .asText()
                            .endsWith("m30"));
            for (int i = 31; i <= 40; i++) { // 31 lets go of what is beyond the buffer, then fails the stream
                ws.sendBinary(MarkerRiva.chunk(i));
            }
            ws.stop();
            events.addAll(ws.drainUntilClosed());

            assertEquals(1000, ws.closeCode(), events.toString());
            assertEquals(
                    upTo(40).subList(20, 40),
                    finalMarkers(events),
                    "m1 to m20 were heard 1 s and more before the failure, with no final: not replayed");
            assertSessionTimes(events);
            JsonNode recovered = named(events, "backend_recovered").getFirst();
            assertTrue(recovered.path("replayed_seconds").asDouble() >= 1.1, recovered.toString());
        }
    }

    @Test
    void whenEveryNewStreamFailsTheLastInterimIsSentAsFinalThenBackendUnavailable() throws Exception {
        try (MarkerRiva riva = MarkerRiva.start(FINAL_EVERY)
                        .plan(Plan.failAfter(12, Status.UNAVAILABLE.withDescription("down")))
                        .always(Plan.failAfter(0, Status.UNAVAILABLE.withDescription("still down")));
                GatewayServer gateway = gateway(riva);
                WsTestClient ws = WsTestClient.connect(gateway.port(), "gives-up")) {
            List<JsonNode> events = transcribe(ws, null, 300);

            assertEquals(1011, ws.closeCode(), events.toString());
            // finals m1-m5 and m6-m10; the interim "m11 m12" was the last word heard, and is sent as final
            assertEquals(upTo(12), finalMarkers(events));
            JsonNode promoted = named(events, "transcript").getLast();
            assertTrue(promoted.path("is_final").asBoolean(), promoted.toString());
            assertEquals(
                    "m11 m12",
                    promoted.path("alternatives").get(0).path("transcript").asText());
            JsonNode error = events.getLast();
            assertEquals("error", error.path("event").asText(), events.toString());
            assertEquals("backend_unavailable", error.path("code").asText());
            assertEquals("Riva UNAVAILABLE: still down", error.path("message").asText());
            assertTrue(named(events, "backend_recovered").isEmpty(), events.toString());
            assertEquals(5, riva.streams(), "riva.retry.max-attempts: five failures in a row");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "INVALID_ARGUMENT,  invalid_config",
        "UNAUTHENTICATED,   unauthorized",
        "PERMISSION_DENIED, unauthorized"
    })
    void aFailureThatIsNotWorthARetryEndsTheSessionWithItsCode(Status.Code grpc, String code) throws Exception {
        try (MarkerRiva riva = MarkerRiva.start(FINAL_EVERY)
                        .plan(Plan.failAfter(8, Status.fromCode(grpc).withDescription("no")));
                GatewayServer gateway = gateway(riva);
                WsTestClient ws = WsTestClient.connect(gateway.port(), "not-retried-" + grpc)) {
            List<JsonNode> events = transcribe(ws, null, 40);

            assertEquals(1008, ws.closeCode(), events.toString());
            assertEquals(upTo(8), finalMarkers(events), "the last interim (m6 to m8) is sent as final");
            JsonNode error = events.getLast();
            assertEquals(code, error.path("code").asText(), events.toString());
            assertEquals("Riva " + grpc + ": no", error.path("message").asText());
            assertTrue(named(events, "error").size() == 1, "no not_started, no second error: " + events);
            assertEquals(1, riva.streams(), "no retry");
        }
    }

    @Test
    void recoveryIsOffWithOneAttempt() throws Exception {
        try (MarkerRiva riva = MarkerRiva.start(FINAL_EVERY).plan(Plan.failAfter(12, Status.UNAVAILABLE));
                GatewayServer gateway = TestGateways.toRiva(
                        SessionSettings.defaults(),
                        TestConfigs.riva("127.0.0.1:" + riva.port()).withRetry(new RetryPolicy(1)));
                WsTestClient ws = WsTestClient.connect(gateway.port(), "no-recovery")) {
            List<JsonNode> events = transcribe(ws, null, 40);

            assertEquals(1011, ws.closeCode(), events.toString());
            assertEquals(upTo(12), finalMarkers(events));
            assertEquals("backend_unavailable", events.getLast().path("code").asText());
            assertEquals(1, riva.streams());
            assertFalse(events.stream().anyMatch(e -> e.path("event").asText().equals("backend_recovered")));
        }
    }
}
