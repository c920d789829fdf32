package dev.earshot.web;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.earshot.asr.AsrConfig;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.riva.RivaConfig;
import dev.earshot.session.SessionSettings;
import dev.earshot.testing.BrowserPage;
import dev.earshot.testing.Chromium;
import dev.earshot.testing.DroppingProxy;
import dev.earshot.testing.EmbeddedRecognizer;
import dev.earshot.testing.MarkerRiva;
import dev.earshot.testing.TestConfigs;
import dev.earshot.testing.TestCorpus;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.Wav;
import dev.earshot.testing.WordErrorRate;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The demo page end to end in a real browser: headless Chromium (Debian's package), whose fake
 * microphone plays a recording from the sample corpus (samples/), talks to real gateways in front of the
 * embedded Sphinx4 recognizer; the test reads what the page shows. Screenshots are kept in
 * {@code target/} as build artefacts. The resume tests put a {@link DroppingProxy} between the
 * page and a gateway in front of {@link MarkerRiva}, whose words are the numbers of the file's
 * 100 ms chunks, so that a lost or doubled piece of audio or event shows in the transcript.
 */
class DemoPageBrowserTest {
    /** The recording the fake microphone plays once: real flite speech, "please turn off the lights in the kitchen". */
    static final String SPOKEN = "a_utt02.wav";
    /** The recording sent through the file picker: 49 s, 11 sentences. */
    static final String FILE = "a_long01.wav";
    /**
     * Word error bounds, just above what was measured (see the README's "Demo page"): the
     * microphone run heard all 8 words right (the bound allows 2 of 8 wrong, since where the
     * 100 ms frames fall differs from run to run); the file 20 of 133 wrong (15 %).
     */
    static final double MIC_WER_BOUND = 0.25;

    static final double FILE_WER_BOUND = 0.20;
    static final Path SCREENSHOT = Path.of("target", "demo-page.png");
    static final Path BUSY_SCREENSHOT = Path.of("target", "demo-page-busy.png");

    static TestCorpus corpus = TestCorpus.locate();
    static GatewayServer gateway;
    static GatewayServer full;
    static GatewayServer secured;
    static final String KEY = "demo-page-test-key-0123456789abcdef0123456789";
    static Chromium chromium;
    BrowserPage page;

    @BeforeAll
    static void start() {
        chromium = Chromium.launch(List.of( // first: no browser, no wait
                "--use-fake-ui-for-media-stream", // grants the microphone
                "--use-fake-device-for-media-stream",
                "--use-file-for-fake-audio-capture=" + corpus.dir().resolve(SPOKEN) + "%noloop"));
        RivaConfig riva =
                TestConfigs.riva("127.0.0.1:" + EmbeddedRecognizer.get().port());
        gateway = TestGateways.toRiva(SessionSettings.defaults(), riva); // the default 10 s buffer
        full = TestGateways.synthetic(TestConfigs.sessionsMax(0));
        try {
            Path keys = TestConfigs.keysFile(Files.createTempDirectory("demo-page-keys"), "demo", KEY);
            secured = TestGateways.withAuth(
                    TestConfigs.apiKeys(keys, Duration.ofMinutes(5), 0, 0), InstantSource.system());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (chromium != null) {
                chromium.close();
            }
        } finally {
            if (gateway != null) {
                gateway.close();
            }
            if (full != null) {
                full.close();
            }
            if (secured != null) {
                secured.close();
            }
        }
    }

    @BeforeEach
    void openTab() {
        page = chromium.newPage();
    }

    @AfterEach
    void closeTab() {
        page.close();
    }

    static String url(GatewayServer server) {
        return "http://127.0.0.1:" + server.port() + "/";
    }

    String state() {
        return page.eval("document.getElementById('app').dataset.state").asText();
    }

    /** Every final on the page, in order. */
    String finals() {
        return page.eval("[...document.querySelectorAll('#finals li')].map(li => li.dataset.text).join(' ')")
                .asText();
    }

    void waitUntilIdle(Duration timeout, String what) {
        page.waitFor("document.getElementById('app').dataset.state === 'idle'", timeout, what);
    }

    @Test
    void speechFromTheMicrophoneShowsUpAsFinalsWithinTheWordErrorBound() throws Exception {
        page.navigate(url(gateway));
        assertEquals("Start", page.text("#toggle"));
        page.click("#word-times");
        page.click("#toggle");
        page.waitFor(
                "document.getElementById('app').dataset.state === 'listening'",
                Duration.ofSeconds(20),
                "the page starts listening");
        // the fake microphone plays the recording once from the moment it opened; listen to the
        // end of it (and a second of silence), watching the level meter and the interim line
        double seconds = corpus.clip(SPOKEN).seconds();
        double loudest = 0;
        String interim = "";
        long until = System.nanoTime() + (long) ((seconds + 1.5) * 1e9);
        while (System.nanoTime() < until) {
            loudest = Math.max(
                    loudest, page.eval("document.getElementById('level').value").asDouble());
            String now = page.text("#interim");
            interim = now.isBlank() ? interim : now;
            Thread.sleep(50);
        }
        assertEquals("Stop", page.text("#toggle"));
        page.click("#toggle");
        waitUntilIdle(Duration.ofSeconds(30), "the last finals arrive and the session closes");

        String heard = finals();
        WordErrorRate wer = new WordErrorRate();
        wer.add(corpus.clip(SPOKEN).transcript(), heard);
        System.out.printf(
                "demo page, microphone: WER %.3f (%d/%d words) heard \"%s\"; %s; loudest level %.2f%n",
                wer.rate(), wer.errors(), wer.referenceWords(), heard, page.text("#details"), loudest);
        page.eval("document.querySelector('#finals .word').focus(); true"); // shows its time
        page.screenshot(SCREENSHOT);
        assertTrue(wer.rate() <= MIC_WER_BOUND, "WER " + wer.rate() + " heard: " + heard + "\n" + page.describe());
        assertTrue(page.text("#state").startsWith("Done:"), page.describe());
        assertTrue(page.eval("document.getElementById('error').hidden").asBoolean(), page.describe());
        assertTrue(page.text("#details").contains("microphone at"), page.describe());
        assertTrue(loudest > 0.3, "the level meter showed the speech: " + loudest);
        assertFalse(interim.isBlank(), "the interim line showed words while listening");
        JsonNode times = page.eval("[...document.querySelectorAll('#finals .word')].map(w => w.title)");
        assertTrue(times.size() >= 5, "every word has its time on hover: " + times);
        times.forEach(t -> assertTrue(t.asText().matches("\\d+\\.\\d\\d–\\d+\\.\\d\\d s"), times.toString()));
        assertEquals("Start", page.text("#toggle"), "startable again");
        assertEquals(List.of(), page.exceptions());
    }

    @Test
    void aWavFileFromThePickerIsTranscribedPacedToTheRecognizerWithAFullProgressBar() throws Exception {
        page.navigate(url(gateway));
        page.chooseFile("#file", corpus.dir().resolve(FILE));
        page.waitFor(
                "document.getElementById('app').dataset.state === 'sending'",
                Duration.ofSeconds(20),
                "the file is decoded and sending starts");
        // watching the progress bar on the way
        AtomicBoolean midway = new AtomicBoolean();
        await("the file is transcribed")
                .atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    double progress = page.eval("document.getElementById('progress').value")
                            .asDouble();
                    if (progress > 0 && progress < 100) {
                        midway.set(true);
                    }
                    return state().equals("idle");
                });
        String heard = finals();
        WordErrorRate wer = new WordErrorRate();
        wer.add(corpus.clip(FILE).transcript(), heard);
        System.out.printf(
                "demo page, file %s: WER %.3f (%d/%d words), %d finals%n",
                FILE,
                wer.rate(),
                wer.errors(),
                wer.referenceWords(),
                page.eval("document.querySelectorAll('#finals li').length").asInt());
        assertTrue(page.eval("document.getElementById('error').hidden").asBoolean(), page.describe());
        assertTrue(page.text("#state").startsWith("Done:"), page.describe());
        assertEquals(100, page.eval("document.getElementById('progress').value").asInt());
        assertTrue(midway.get(), "the progress bar moved through the file");
        assertTrue(wer.rate() <= FILE_WER_BOUND, "WER " + wer.rate() + " heard: " + heard);
        assertEquals(List.of(), page.exceptions());
    }

    /**
     * Records the subprotocols of every WebSocket the page opens from now on, in
     * {@code window.protocolsSent}, and their URLs in {@code window.urlsOpened}.
     */
    void recordWebSocketProtocols() {
        page.eval("""
                window.protocolsSent = [];
                window.urlsOpened = [];
                window.WebSocket = class extends window.WebSocket {
                  constructor(url, protocols) {
                    window.protocolsSent.push(protocols === undefined ? null : protocols);
                    window.urlsOpened.push(url);
                    if (protocols === undefined) { super(url); } else { super(url, protocols); }
                  }
                };
                true""");
    }

    /** Records every state the page shows from now on ({@code data-state: status words}) in {@code window.statesShown}. */
    void recordStates() {
        page.eval("""
                window.statesShown = [];
                const app = document.getElementById('app');
                const status = document.getElementById('state');
                const seen = () => {
                  const now = `${app.dataset.state}: ${status.textContent}`;
                  if (window.statesShown[window.statesShown.length - 1] !== now) window.statesShown.push(now);
                };
                new MutationObserver(seen).observe(app, { attributes: true, attributeFilter: ['data-state'] });
                new MutationObserver(seen).observe(status, { childList: true, characterData: true, subtree: true });
                true""");
    }

    /** Chunks of the marker file: 30 s. */
    static final int MARKER_CHUNKS = 300;

    /** Client bytes through the proxy after which the page's WebSocket is killed: a little over a third of the file. */
    static final long CUT_AFTER_BYTES = 350_000;

    /**
     * A 16 kHz WAV file of {@link MarkerRiva}'s chunks 1 to {@code chunks}: every sample of chunk N is
     * N, which the page's decoding to floats and back keeps exactly (N is far below 2^14).
     */
    static Path markerFile(int chunks) throws IOException {
        byte[] pcm = new byte[chunks * MarkerRiva.CHUNK_BYTES];
        for (int n = 1; n <= chunks; n++) {
            System.arraycopy(MarkerRiva.chunk(n), 0, pcm, (n - 1) * MarkerRiva.CHUNK_BYTES, MarkerRiva.CHUNK_BYTES);
        }
        Path file = Files.createTempDirectory("demo-page-markers").resolve("markers.wav");
        Files.write(file, Wav.pcm16k(pcm));
        return file;
    }

    /**
     * Sends the marker file through the page, loaded through a proxy that kills the page's
     * WebSocket a third of the way through (a reset, no close frame); waits for the end.
     */
    void sendMarkerFile() throws IOException {
        Path file = markerFile(MARKER_CHUNKS);
        recordStates();
        recordWebSocketProtocols();
        page.chooseFile("#file", file);
        page.waitFor("document.getElementById('app').dataset.state !== 'idle'", Duration.ofSeconds(10), "it starts");
        waitUntilIdle(Duration.ofSeconds(60), "the file is transcribed");
    }

    /** Asserts that the page resumed once, showing Reconnecting…, and shows every chunk in exactly one final. */
    void assertResumedWithEveryChunkOnce(DroppingProxy proxy) {
        String expected =
                IntStream.rangeClosed(1, MARKER_CHUNKS).mapToObj(n -> "m" + n).collect(Collectors.joining(" "));
        assertEquals(1, proxy.killed(), "the page's WebSocket was killed once");
        JsonNode states = page.eval("window.statesShown");
        List<String> shown = new ArrayList<>();
        states.forEach(state -> shown.add(state.asText()));
        assertTrue(shown.contains("reconnecting: Reconnecting…"), shown.toString());
        assertEquals(expected, finals(), "every chunk in exactly one final, in order\n" + page.describe());
        assertTrue(page.eval("document.getElementById('error').hidden").asBoolean(), page.describe());
        assertTrue(page.text("#state").startsWith("Done: 30.0 s of audio"), page.describe());
        assertTrue(page.text("#details").contains("connection lost and resumed"), page.describe());
        assertEquals(100, page.eval("document.getElementById('progress').value").asInt());
        JsonNode urls = page.eval("window.urlsOpened");
        assertEquals(2, urls.size(), urls.toString());
        String sessionId = page.eval("document.getElementById('details').textContent.match(/session (\\S+)/)[1]")
                .asText();
        assertTrue(
                urls.get(1)
                        .asText()
                        .matches(".*/api/v1/transcribe/" + sessionId + "\\?resume_token=[\\w-]{43}&last_seq=\\d+"),
                urls.toString());
        assertEquals(List.of(), page.exceptions());
    }

    @Test
    void aConnectionKilledMidFileShowsReconnectingAndTheTranscriptGoesOnWithEveryChunkOnce() throws Exception {
        try (MarkerRiva riva = MarkerRiva.start(5);
                GatewayServer markers =
                        TestGateways.toRiva(SessionSettings.defaults(), TestConfigs.riva("127.0.0.1:" + riva.port()));
                DroppingProxy proxy = DroppingProxy.forPath(markers.port(), "/api/v1/transcribe", CUT_AFTER_BYTES)) {
            page.navigate("http://127.0.0.1:" + proxy.port() + "/");
            sendMarkerFile();
            assertResumedWithEveryChunkOnce(proxy);
            assertEquals(
                    "[null,null]",
                    page.eval("JSON.stringify(window.protocolsSent)").asText());
        }
    }

    @Test
    void aSessionThatCannotBeResumedIsGivenUpAfterTheGatewaysGracePeriodInPlainWords() throws Exception {
        // a 2 s grace, told to the page in transcription_started; every attempt to reconnect is reset
        SessionSettings shortGrace = SessionSettings.defaults().withResume(Duration.ofSeconds(2), 32 * 1024);
        try (MarkerRiva riva = MarkerRiva.start(5);
                GatewayServer markers = TestGateways.toRiva(shortGrace, TestConfigs.riva("127.0.0.1:" + riva.port()));
                DroppingProxy proxy = DroppingProxy.forPath(markers.port(), "/api/v1/transcribe", CUT_AFTER_BYTES)
                        .refusingAfterTheKill()) {
            page.navigate("http://127.0.0.1:" + proxy.port() + "/");
            sendMarkerFile();
            assertEquals(1, proxy.killed());
            List<String> shown = new ArrayList<>();
            page.eval("window.statesShown").forEach(state -> shown.add(state.asText()));
            assertTrue(shown.contains("reconnecting: Reconnecting…"), shown.toString());
            assertEquals(
                    "Lost the connection to the server and could not reconnect within 2 s. "
                            + "Press Start to begin a new session.",
                    page.text("#error"),
                    page.describe());
            assertTrue(page.eval("window.urlsOpened").size() > 2, "it tried more than once");
            assertEquals("Start", page.text("#toggle"), "startable again");
            assertFalse(page.eval("document.getElementById('file').disabled").asBoolean());
            assertEquals(List.of(), page.exceptions());
        }
    }

    @Test
    void withoutAResumeGraceThePageDoesNotTryToResumeAndSaysTheConnectionWasLost() throws Exception {
        SessionSettings noGrace = SessionSettings.defaults().withResume(Duration.ZERO, 32 * 1024);
        try (MarkerRiva riva = MarkerRiva.start(5);
                GatewayServer markers = TestGateways.toRiva(noGrace, TestConfigs.riva("127.0.0.1:" + riva.port()));
                DroppingProxy proxy = DroppingProxy.forPath(markers.port(), "/api/v1/transcribe", CUT_AFTER_BYTES)) {
            page.navigate("http://127.0.0.1:" + proxy.port() + "/");
            sendMarkerFile();
            assertEquals(1, proxy.killed());
            List<String> shown = new ArrayList<>();
            page.eval("window.statesShown").forEach(state -> shown.add(state.asText()));
            assertFalse(shown.contains("reconnecting: Reconnecting…"), shown.toString());
            assertTrue(
                    page.text("#error").startsWith("Lost the connection to the server (close code "), page.describe());
            assertEquals(1, page.eval("window.urlsOpened").size(), "no attempt to resume");
            assertEquals("Start", page.text("#toggle"), "startable again");
            assertEquals(List.of(), page.exceptions());
        }
    }

    @Test
    void withKeysRequiredTheResumeCarriesAFreshTokenAndTheTranscriptGoesOnWithEveryChunkOnce() throws Exception {
        try (MarkerRiva riva = MarkerRiva.start(5);
                GatewayServer markers = TestGateways.withAuth(
                        TestConfigs.apiKeys(
                                TestConfigs.keysFile(Files.createTempDirectory("resume-keys"), "demo", KEY),
                                Duration.ofMinutes(5),
                                0,
                                0),
                        InstantSource.system(),
                        TestConfigs.riva("127.0.0.1:" + riva.port()));
                DroppingProxy proxy = DroppingProxy.forPath(markers.port(), "/api/v1/transcribe", CUT_AFTER_BYTES)) {
            page.navigate("http://127.0.0.1:" + proxy.port() + "/");
            page.waitFor("!document.getElementById('key-row').hidden", Duration.ofSeconds(10), "the key field appears");
            page.eval("document.getElementById('api-key').value = " + BrowserPage.quote(KEY) + "; true");
            sendMarkerFile();
            assertResumedWithEveryChunkOnce(proxy);
            JsonNode protocols = page.eval("window.protocolsSent");
            String first = protocols.get(0).get(1).asText();
            String second = protocols.get(1).get(1).asText();
            assertTrue(first.startsWith("bearer.") && second.startsWith("bearer."), protocols.toString());
            assertFalse(second.equals(first), "the resume got a token of its own: " + protocols);
            assertFalse(protocols.toString().contains(KEY), "the key itself never enters a handshake");
        }
    }

    @Test
    void withoutAuthenticationThePageShowsNoKeyFieldAndSendsNoCredential() {
        page.navigate(url(full));
        recordWebSocketProtocols();
        page.click("#toggle");
        page.waitFor("!document.getElementById('error').hidden", Duration.ofSeconds(20), "the busy server answers");
        assertTrue(page.eval("document.getElementById('key-row').hidden").asBoolean(), page.describe());
        assertEquals("[null]", page.eval("JSON.stringify(window.protocolsSent)").asText());
    }

    @Test
    void aServerThatRequiresKeysGetsAKeyFieldAndEachSessionATokenNotTheKey() {
        page.navigate(url(secured));
        page.waitFor("!document.getElementById('key-row').hidden", Duration.ofSeconds(10), "the key field appears");
        recordWebSocketProtocols();

        // no key yet: said in words, and nothing is opened
        page.chooseFile("#file", corpus.dir().resolve(SPOKEN));
        page.waitFor("!document.getElementById('error').hidden", Duration.ofSeconds(20), "an error is shown");
        waitUntilIdle(Duration.ofSeconds(10), "the page is startable again");
        assertTrue(page.text("#error").startsWith("This server requires an API key"), page.describe());

        // a wrong key: refused at the token exchange
        page.eval("document.getElementById('api-key').value = 'not-a-key'; true");
        page.chooseFile("#file", corpus.dir().resolve(SPOKEN));
        page.waitFor(
                "document.getElementById('error').textContent.includes('refused this API key')",
                Duration.ofSeconds(20),
                "the refusal is shown");
        waitUntilIdle(Duration.ofSeconds(10), "the page is startable again");
        assertEquals("[]", page.eval("JSON.stringify(window.protocolsSent)").asText(), "no socket was opened");

        // the right key: a token in the handshake, the file transcribed
        page.eval("document.getElementById('api-key').value = " + BrowserPage.quote(KEY) + "; true");
        page.chooseFile("#file", corpus.dir().resolve(SPOKEN));
        page.waitFor("document.getElementById('app').dataset.state !== 'idle'", Duration.ofSeconds(10), "it starts");
        waitUntilIdle(Duration.ofSeconds(60), "the file is transcribed");
        assertTrue(page.eval("document.getElementById('error').hidden").asBoolean(), page.describe());
        assertTrue(page.text("#state").startsWith("Done:"), page.describe());
        assertFalse(finals().isBlank(), page.describe());
        JsonNode protocols = page.eval("window.protocolsSent");
        assertEquals(1, protocols.size(), protocols.toString());
        assertEquals("earshot.v1", protocols.get(0).get(0).asText());
        String credential = protocols.get(0).get(1).asText();
        assertTrue(credential.startsWith("bearer."), credential);
        assertFalse(credential.contains(KEY), "the key itself never enters the handshake");
        assertEquals(2, credential.chars().filter(c -> c == '.').count() - 1, "a token (a JWT): " + credential);
        assertEquals(List.of(), page.exceptions());
    }

    @Test
    void aFileThatIsNotAudioIsExplainedInPlainWords() {
        page.navigate(url(gateway));
        page.chooseFile("#file", corpus.dir().resolve("transcripts.tsv"));
        page.waitFor("!document.getElementById('error').hidden", Duration.ofSeconds(20), "an error is shown");
        waitUntilIdle(Duration.ofSeconds(10), "the page is startable again");
        assertEquals("That file could not be read as audio. Choose a WAV file.", page.text("#error"));
        assertFalse(page.eval("document.getElementById('file').disabled").asBoolean());
        assertEquals(List.of(), page.exceptions());
    }

    @Test
    void aFullServerShowsServerBusyAndTheButtonStartsAgainAfterwards() throws Exception {
        page.navigate(url(full));
        // with the keyboard only: Tab reaches the button first, Enter presses it
        page.press("Tab");
        assertEquals("toggle", page.eval("document.activeElement.id").asText());
        page.press("Enter");
        page.waitFor("!document.getElementById('error').hidden", Duration.ofSeconds(20), "an error is shown");
        waitUntilIdle(Duration.ofSeconds(10), "the page is startable again");
        assertTrue(page.text("#error").contains("Server busy, try again"), page.describe());
        assertEquals("Start", page.text("#toggle"));
        assertFalse(page.eval("document.getElementById('toggle').disabled").asBoolean());
        page.screenshot(BUSY_SCREENSHOT);

        // no stuck state: the next press (the mouse, this time) connects again and is told the same
        page.eval("document.getElementById('error').textContent = ''; true");
        page.click("#toggle");
        page.waitFor(
                "document.getElementById('error').textContent.includes('Server busy, try again')",
                Duration.ofSeconds(20),
                "the second attempt is refused the same way");
        waitUntilIdle(Duration.ofSeconds(10), "the page is startable again");
        assertEquals("Start", page.text("#toggle"));
        assertEquals(List.of(), page.exceptions());
    }

    @Test
    void aLanguageTheServerCannotTranscribeIsExplainedAndThePageCanStartAgain() {
        page.navigate(url(gateway));
        page.eval("document.getElementById('language').value = 'de-DE'; true");
        page.click("#toggle");
        page.waitFor("!document.getElementById('error').hidden", Duration.ofSeconds(20), "an error is shown");
        // invalid_config leaves the socket open on the server's side: the page must close it itself
        waitUntilIdle(Duration.ofSeconds(10), "the page is startable again");
        assertTrue(page.text("#error").startsWith("The server cannot use these settings: "), page.describe());
        assertEquals("Start", page.text("#toggle"));
        assertFalse(
                page.eval("document.getElementById('language').disabled").asBoolean(), "the language can be changed");
        assertEquals(List.of(), page.exceptions());
    }

    @Test
    void aServerShuttingDownMidSessionIsExplainedAndThePageCanStartAgain() throws Exception {
        GatewayServer leaving = TestGateways.start(
                SessionSettings.defaults(), TestConfigs.riva(""), AsrConfig.SYNTHETIC, Duration.ZERO);
        try {
            page.navigate(url(leaving));
            page.click("#toggle");
            page.waitFor(
                    "document.getElementById('app').dataset.state === 'listening'",
                    Duration.ofSeconds(20),
                    "the page starts listening");
            leaving.shutdown(); // no drain time: going_away and close 1001 at once
            waitUntilIdle(Duration.ofSeconds(20), "the page notices the close");
            assertTrue(page.text("#error").contains("shutting down"), page.describe());
            assertEquals("Start", page.text("#toggle"));
            assertFalse(page.eval("document.getElementById('toggle').disabled").asBoolean());
            assertEquals(
                    0.0, page.eval("document.getElementById('level').value").asDouble(), "the meter rests");
            assertEquals(List.of(), page.exceptions());
        } finally {
            leaving.close();
        }
    }

    @Test
    void theWorkletResamplerFiltersOutWhatWouldAliasInsteadOfDroppingSamples() {
        page.navigate(url(gateway));
        // in the browser's own JavaScript engine: the gain of the resampler for tones at 44.1 and
        // 48 kHz; dropping samples would pass the high tones at full strength as 4 and 6 kHz
        JsonNode gains = page.eval("""
                (async () => {
                  const { Resampler } = await import('./resampler.js');
                  const gain = (inRate, freq) => {
                    const r = new Resampler(inRate, 16000);
                    const x = new Float32Array(inRate);
                    for (let i = 0; i < x.length; i++) x[i] = Math.sin(2 * Math.PI * freq * i / inRate);
                    const parts = [];
                    for (let i = 0; i < x.length; i += 128) parts.push(Float32Array.from(r.process(x.subarray(i, i + 128))));
                    parts.push(r.flush());
                    const y = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
                    let o = 0;
                    for (const p of parts) { y.set(p, o); o += p.length; }
                    let sum = 0;
                    for (let i = 2000; i < 14000; i++) sum += y[i] * y[i];
                    return { length: y.length, gain: Math.sqrt(sum / 12000) / Math.SQRT1_2 };
                  };
                  return {
                    pass48: gain(48000, 1000), edge48: gain(48000, 6500), alias48: gain(48000, 12000),
                    pass44: gain(44100, 1000), edge44: gain(44100, 6500), alias44: gain(44100, 10000),
                  };
                })()""");
        for (String rate : List.of("48", "44")) {
            assertEquals(16000, gains.path("pass" + rate).path("length").asInt(), gains.toString());
            assertEquals(1.0, gains.path("pass" + rate).path("gain").asDouble(), 0.01, gains.toString());
            assertEquals(1.0, gains.path("edge" + rate).path("gain").asDouble(), 0.01, gains.toString());
            assertTrue(gains.path("alias" + rate).path("gain").asDouble() < 1e-3, gains.toString());
        }
    }
}
