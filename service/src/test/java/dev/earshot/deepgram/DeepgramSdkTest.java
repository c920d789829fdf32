package dev.earshot.deepgram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.TestCorpus;
import dev.earshot.testing.WordErrorRate;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Acceptance by the real client: Deepgram's official JavaScript SDK ({@code @deepgram/sdk}, pinned
 * in {@code src/test/js/deepgram}), pointed at a real gateway by its base URL, in front of the
 * embedded Sphinx4 recognizer, on speech from {@code samples/}. The SDK's own methods send the
 * audio, {@code Finalize}, {@code KeepAlive} and {@code CloseStream}; the scripts print what the
 * SDK hands the application, and the checks are here.
 */
class DeepgramSdkTest {
    private static final TestCorpus CORPUS = TestCorpus.samples();
    private static GatewayServer gateway;

    @BeforeAll
    static void start() {
        NodeSdk.install();
        gateway = DeepgramGateways.sphinx(DeepgramSettings.defaults());
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static String baseUrl() {
        return "http://127.0.0.1:" + gateway.port();
    }

    private static List<JsonNode> messages(NodeSdk.Result run, String type) {
        return run.lines().stream()
                .filter(l -> l.path("event").asText().equals("message"))
                .map(l -> l.path("data"))
                .filter(d -> d.path("type").asText().equals(type))
                .toList();
    }

    private static String transcript(JsonNode results) {
        return results.path("channel")
                .path("alternatives")
                .path(0)
                .path("transcript")
                .asText();
    }

    @Test
    void theLiveClientStreamingASampleAtRealTimeGetsInterimsFinalsVadEventsAndMetadata() throws Exception {
        TestCorpus.Clip clip = CORPUS.clip("a_utt02.wav");
        NodeSdk.Result run = NodeSdk.node(
                "live.mjs", List.of(baseUrl(), CORPUS.dir().resolve(clip.file()).toString()), 120);
        String output = run.output();

        assertEquals(0, run.exit(), output);
        assertTrue(run.lines().stream().anyMatch(l -> l.path("event").asText().equals("open")), output);
        List<JsonNode> results = messages(run, "Results");
        assertTrue(results.stream().anyMatch(r -> !r.path("is_final").asBoolean()), "no interim: " + output);
        List<JsonNode> finals =
                results.stream().filter(r -> r.path("is_final").asBoolean()).toList();
        assertFalse(finals.isEmpty(), "no final: " + output);
        assertTrue(finals.stream().anyMatch(r -> r.path("speech_final").asBoolean()), "no speech_final: " + output);
        assertFalse(messages(run, "SpeechStarted").isEmpty(), "no SpeechStarted: " + output);
        assertFalse(messages(run, "UtteranceEnd").isEmpty(), "no UtteranceEnd: " + output);
        JsonNode words =
                finals.getFirst().path("channel").path("alternatives").path(0).path("words");
        assertTrue(
                words.size() > 0
                        && words.get(0).path("end").asDouble()
                                > words.get(0).path("start").asDouble(),
                "words with times: " + finals.getFirst());

        List<JsonNode> events = run.lines().stream()
                .filter(l -> l.path("event").asText().equals("message"))
                .toList();
        assertEquals("Metadata", events.getLast().path("data").path("type").asText(), output);
        assertEquals(
                clip.seconds() + 1.5,
                events.getLast().path("data").path("duration").asDouble(),
                0.1,
                "the clip and the silence after it");
        JsonNode close = run.lines().stream()
                .filter(l -> l.path("event").asText().equals("close"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no close: " + output));
        assertEquals(1000, close.path("code").asInt(), output);

        String heard = finals.stream().map(DeepgramSdkTest::transcript).collect(Collectors.joining(" "));
        WordErrorRate wer = new WordErrorRate();
        wer.add(clip.transcript(), heard);
        // measured 0/8 words wrong for this clip through the demo page; bound 2 words
        assertTrue(wer.errors() <= 2, "heard \"" + heard + "\" for \"" + clip.transcript() + "\"");
    }

    @Test
    void finalizeAndKeepAliveThroughTheSdksOwnMethods() throws Exception {
        TestCorpus.Clip clip = CORPUS.clip("a_utt03.wav");
        NodeSdk.Result run = NodeSdk.node(
                "live.mjs", List.of(baseUrl(), CORPUS.dir().resolve(clip.file()).toString(), "finalize"), 120);
        String output = run.output();
        assertEquals(0, run.exit(), output);
        int sent = indexOf(
                run,
                l -> l.path("event").asText().equals("sent")
                        && l.path("type").asText().equals("Finalize"));
        int answered = indexOf(run, l -> l.path("data").path("from_finalize").asBoolean());
        assertTrue(sent >= 0 && answered > sent, "a from_finalize final after Finalize: " + output);
        assertTrue(run.lines().get(answered).path("data").path("is_final").asBoolean(), output);
        List<JsonNode> finals = messages(run, "Results").stream()
                .filter(r -> r.path("is_final").asBoolean())
                .toList();
        assertTrue(
                finals.getLast().path("start").asDouble()
                        >= run.lines().get(answered).path("data").path("start").asDouble(),
                "times go on after Finalize: " + output);
        assertEquals(
                "Metadata", messages(run, "Metadata").getLast().path("type").asText());
        JsonNode close = run.lines().getLast();
        assertEquals("close", close.path("event").asText(), output);
        assertEquals(1000, close.path("code").asInt(), output);
    }

    @Test
    void thePrerecordedClientGetsTheTranscriptWithWordTimes() throws Exception {
        TestCorpus.Clip clip = CORPUS.clip("a_utt01.wav");
        NodeSdk.Result run = NodeSdk.node(
                "prerecorded.mjs",
                List.of(baseUrl(), CORPUS.dir().resolve(clip.file()).toString()),
                120);
        JsonNode answer = run.lines().getFirst();
        assertTrue(answer.path("ok").asBoolean(), run.output());
        JsonNode response = answer.path("response");
        JsonNode alternative = response.path("results")
                .path("channels")
                .path(0)
                .path("alternatives")
                .path(0);
        WordErrorRate wer = new WordErrorRate();
        wer.add(clip.transcript(), alternative.path("transcript").asText());
        assertTrue(wer.errors() <= 1, run.output());
        JsonNode words = alternative.path("words");
        assertEquals(
                WordErrorRate.words(alternative.path("transcript").asText()).size(), words.size(), run.output());
        double last = 0;
        for (JsonNode w : words) {
            assertTrue(
                    w.path("start").asDouble() >= last
                            && w.path("end").asDouble() > w.path("start").asDouble(),
                    "word times in order: " + words);
            last = w.path("end").asDouble();
        }
        assertTrue(last <= clip.seconds() + 0.05, "the last word ends within the clip: " + last);
        assertEquals(clip.seconds(), response.path("metadata").path("duration").asDouble(), 0.1);
        assertFalse(response.path("results").path("utterances").isEmpty(), run.output());
    }

    @Test
    void thePrerecordedClientIsRefusedAnUnknownModel() {
        NodeSdk.Result run = NodeSdk.node(
                "prerecorded.mjs",
                List.of(baseUrl(), CORPUS.dir().resolve("a_utt01.wav").toString(), "nova-99"),
                120);
        JsonNode answer = run.lines().getFirst();
        assertFalse(answer.path("ok").asBoolean(), run.output());
        assertEquals(400, answer.path("status").asInt(), run.output());
        assertTrue(answer.path("body").path("err_msg").asText().startsWith("No such model"), run.output());
    }

    private static int indexOf(NodeSdk.Result run, java.util.function.Predicate<JsonNode> match) {
        for (int i = 0; i < run.lines().size(); i++) {
            if (match.test(run.lines().get(i))) {
                return i;
            }
        }
        return -1;
    }
}
