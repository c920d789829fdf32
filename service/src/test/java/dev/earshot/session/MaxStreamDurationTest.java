package dev.earshot.session;

import static dev.earshot.testing.MarkerTranscripts.assertEveryChunkOnce;
import static dev.earshot.testing.MarkerTranscripts.assertSessionTimes;
import static dev.earshot.testing.MarkerTranscripts.finalMarkers;
import static dev.earshot.testing.MarkerTranscripts.named;
import static dev.earshot.testing.MarkerTranscripts.upTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.riva.RivaConfig;
import dev.earshot.testing.EmbeddedRecognizer;
import dev.earshot.testing.MarkerRiva;
import dev.earshot.testing.MarkerRiva.Plan;
import dev.earshot.testing.ScrapeText;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestCorpus;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WordErrorRate;
import dev.earshot.testing.WsTestClient;
import io.grpc.Status;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A backend that ends every stream after 3.5 s of audio with an error no retry would help
 * ({@code OUT_OF_RANGE}, as hosted backends do at their stream time limit), and a gateway told so
 * by {@code riva.max-stream-duration=PT3S}: the session moves to a new stream before the backend's
 * limit, at an utterance boundary, and every chunk is in exactly one final. The client streams at
 * real-time pace, as a caller does; the backend is {@link MarkerRiva} on real gRPC.
 */
class MaxStreamDurationTest {
    private static final int BACKEND_LIMIT_CHUNKS = 35;
    private static final Plan CUT_AT_THE_LIMIT = Plan.failAfter(
            BACKEND_LIMIT_CHUNKS, Status.OUT_OF_RANGE.withDescription("stream duration exceeds the limit of 3.5 s"));

    /** A gateway in front of {@code riva} that knows its streams may last {@code limit} (zero: no limit). */
    private static GatewayServer gateway(MarkerRiva riva, Duration limit) {
        return TestGateways.toRiva(
                SessionSettings.defaults(),
                TestConfigs.riva("127.0.0.1:" + riva.port()).withMaxStreamDuration(limit));
    }

    /** Sends chunks 1 to {@code chunks}, each when its 100 ms would have been captured, then stops. */
    private static List<JsonNode> streamInRealTime(WsTestClient ws, int chunks) throws Exception {
        assertEquals(
                "transcription_started",
                ws.start("{\"enable_word_time_offsets\":true}")
                        .next()
                        .path("event")
                        .asText());
        long start = System.nanoTime();
        try {
            for (int i = 1; i <= chunks && !ws.closed(); i++) {
                long due = start + i * 100_000_000L;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
                ws.sendBinary(MarkerRiva.chunk(i));
            }
            ws.stop();
        } catch (RuntimeException e) {
            // the server ended the session while audio was still going out: the events say why
        }
        return ws.drainUntilClosed();
    }

    private static double metric(GatewayServer gateway, String name) {
        return ScrapeText.sample(TestGateways.metrics(gateway), name);
    }

    @Test
    void theSessionMovesToANewStreamAfterAFinalBeforeTheBackendsLimit() throws Exception {
        // a final every 5 words (0.5 s): the window opens at 2.25 s, so each stream ends after m25's final
        try (MarkerRiva riva = MarkerRiva.start(5).always(CUT_AT_THE_LIMIT);
                GatewayServer gateway = gateway(riva, Duration.ofSeconds(3));
                WsTestClient ws = WsTestClient.connect(gateway.port(), "rotates-at-finals")) {
            List<JsonNode> events = streamInRealTime(ws, 90);

            assertEquals(1000, ws.closeCode(), events.toString());
            assertEveryChunkOnce(events, 90);
            assertEquals(90, assertSessionTimes(events), "times are the session's across streams");
            assertTrue(named(events, "backend_recovered").isEmpty(), "nothing failed: " + events);
            assertTrue(riva.streams() >= 4, riva.streams() + " streams for 9 s of audio");
            assertEquals(riva.streams() - 1, metric(gateway, "earshot_backend_stream_rotations_total"));
            assertEquals(0.0, metric(gateway, "earshot_backend_recoveries_total"));
        }
    }

    @Test
    void withNoFinalInTheWindowTheStreamIsReplacedAndTheUnfinishedUtteranceReplayed() throws Exception {
        // a final every 20 words (2 s): m20's comes before the window, m40's would be after the
        // backend's limit, so at 2.7 s the stream is replaced and m21 onwards are heard again
        try (MarkerRiva riva = MarkerRiva.start(20).always(CUT_AT_THE_LIMIT);
                GatewayServer gateway = gateway(riva, Duration.ofSeconds(3));
                WsTestClient ws = WsTestClient.connect(gateway.port(), "rotates-without-final")) {
            List<JsonNode> events = streamInRealTime(ws, 80);

            assertEquals(1000, ws.closeCode(), events.toString());
            assertEveryChunkOnce(events, 80);
            assertEquals(80, assertSessionTimes(events));
            assertTrue(named(events, "backend_recovered").isEmpty(), "nothing failed: " + events);
            assertTrue(riva.streams() >= 3, riva.streams() + " streams for 8 s of audio");
        }
    }

    @Test
    void realSpeechOnTheEmbeddedRecognizerMovesStreamsBetweenSentences() throws Exception {
        // the 49 s long-form file sent at once, streams limited to 8 s: a new stream after a
        // sentence's final from 6 s on. Each new stream starts its feature normalisation afresh,
        // so the words near a change suffer a little: 18.8 % WER with ten new streams here, 15.0 %
        // with one (README); a real limit of minutes changes streams far less often
        TestCorpus corpus = TestCorpus.locate();
        TestCorpus.Clip clip = corpus.clip("a_long01.wav");
        RivaConfig riva = TestConfigs.riva(
                        "127.0.0.1:" + EmbeddedRecognizer.get().port())
                .withMaxStreamDuration(Duration.ofSeconds(8));
        try (GatewayServer gateway = TestGateways.toRiva(TestConfigs.sessionsBufferSeconds(60), riva);
                WsTestClient ws = WsTestClient.connect(gateway.port(), "long-form-rotating")) {
            ws.start("{\"enable_interim_results\":false}").next();
            ws.audio(corpus.pcm(clip.file()), 3200).stop();
            List<JsonNode> events = ws.drainUntilClosed();

            assertEquals(1000, ws.closeCode(), events.toString());
            assertTrue(named(events, "error").isEmpty(), events.toString());
            String heard = named(events, "transcript").stream()
                    .map(e -> e.path("alternatives").get(0).path("transcript").asText())
                    .collect(Collectors.joining(" "));
            WordErrorRate wer = new WordErrorRate();
            wer.add(clip.transcript(), heard);
            double rotations = metric(gateway, "earshot_backend_stream_rotations_total");
            System.out.printf(
                    "long form with streams of at most 8 s: %.0f new streams, WER %.3f: %s%n",
                    rotations, wer.rate(), heard);
            assertTrue(rotations >= 3, rotations + " new streams for 49 s of audio");
            assertTrue(wer.rate() <= 0.25, "WER " + wer.rate() + ": " + heard);
        }
    }

    @Test
    void withEveryDecoderInUseEachSessionMovesToANewStreamOnTheDecoderItGaveUp() throws Exception {
        // two sessions on the embedded recognizer's two decoders, each changing streams every few
        // seconds: a change cancels the old stream, which gives its decoder back for the next;
        // were it kept, the new stream would wait for a decoder until asr.queue-timeout, be
        // refused (RESOURCE_EXHAUSTED) and the session would have to recover
        TestCorpus corpus = TestCorpus.locate();
        byte[] pcm = corpus.pcm(corpus.clip("a_long01.wav").file());
        RivaConfig riva = TestConfigs.riva(
                        "127.0.0.1:" + EmbeddedRecognizer.get().port())
                .withMaxStreamDuration(Duration.ofSeconds(8));
        assertEquals(2, EmbeddedRecognizer.POOL_SIZE, "one session per decoder");
        try (GatewayServer gateway = TestGateways.toRiva(TestConfigs.sessionsBufferSeconds(60), riva);
                WsTestClient first = WsTestClient.connect(gateway.port(), "full-pool-1");
                WsTestClient second = WsTestClient.connect(gateway.port(), "full-pool-2")) {
            for (WsTestClient ws : List.of(first, second)) {
                ws.start("{\"enable_interim_results\":false}").next();
            }
            for (WsTestClient ws : List.of(first, second)) {
                ws.audio(pcm, 3200).stop();
            }
            for (WsTestClient ws : List.of(first, second)) {
                List<JsonNode> events = ws.drainUntilClosed();
                assertEquals(1000, ws.closeCode(), events.toString());
                assertTrue(named(events, "error").isEmpty(), events.toString());
                assertTrue(named(events, "backend_recovered").isEmpty(), "no stream was refused: " + events);
                assertTrue(named(events, "transcript").size() >= 5, "the sentences of 49 s: " + events);
            }
            double rotations = metric(gateway, "earshot_backend_stream_rotations_total");
            assertTrue(rotations >= 6, rotations + " new streams for two sessions of 49 s");
        }
    }

    @Test
    void withoutTheSettingTheBackendsLimitEndsTheSessionWithItsError() throws Exception {
        // the same backend: what the setting is for
        try (MarkerRiva riva = MarkerRiva.start(5).always(CUT_AT_THE_LIMIT);
                GatewayServer gateway = gateway(riva, Duration.ZERO);
                WsTestClient ws = WsTestClient.connect(gateway.port(), "cut-by-the-backend")) {
            List<JsonNode> events = streamInRealTime(ws, 45);

            assertEquals(1008, ws.closeCode(), events.toString());
            JsonNode error = named(events, "error").getFirst();
            assertEquals("invalid_config", error.path("code").asText(), error.toString());
            assertTrue(error.path("message").asText().contains("OUT_OF_RANGE"), error.toString());
            assertEquals(upTo(BACKEND_LIMIT_CHUNKS), finalMarkers(events), "the last interim is sent as final");
            assertEquals(1, riva.streams());
        }
    }
}
