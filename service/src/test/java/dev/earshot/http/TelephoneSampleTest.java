package dev.earshot.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.audio.AudioFormat;
import dev.earshot.audio.WavHeader;
import dev.earshot.gateway.GatewayServer;
import dev.earshot.testing.TestCorpus;
import dev.earshot.testing.TestGateways;
import dev.earshot.testing.WordErrorRate;
import dev.earshot.testing.WsTestClient;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The repository's telephone-band sample ({@code samples/a_tel01.wav}: a real recording,
 * band-passed to 300–3400 Hz, 8 kHz G.711 mu-law in a WAV file) through a gateway in front of the
 * embedded Sphinx4 recognizer: posted as it is to {@code POST /api/v1/transcriptions}, and streamed
 * as a telephony bridge would, raw mu-law in 20 ms frames over protocol v1. Either way the
 * recognizer decodes G.711 and resamples to 16 kHz. The synthesized mu-law of
 * {@code GatewayTranscriptionTest} comes from the test's own encoder; this file does not.
 *
 * <p>The bound follows what was measured, and that is poor: both paths hear "but or word and meters" for
 * "go forward ten meters" (4 errors in 4 words). The wideband en-US model starts every stream from
 * a cepstral mean learned on wideband speech; a 2.8 s narrowband clip ends before the mean has
 * adapted to the missing 3.4–8 kHz band (the same clip played three times in one stream is heard
 * as "go forward and meters" the second and third time). What the checks still catch: the same
 * bytes taken as PCM or A-law are heard as nothing, taken as 16 kHz mu-law they last half as long,
 * and a path that drops audio changes the seconds counted.
 */
class TelephoneSampleTest {
    static final String FILE = "a_tel01.wav";
    /**
     * Measured 1.00 (4/4) on both paths in every run so far ("and" and "in" vary with the
     * decoder's dither); the bound allows one word more, as the other bounds sit just above their
     * measurement.
     */
    static final double WER_BOUND = 1.25;
    /** 20 ms of 8 kHz mu-law, an RTP packet's worth. */
    static final int FRAME = 160;

    static final ObjectMapper JSON = new ObjectMapper();
    static final TestCorpus SAMPLES = TestCorpus.samples();
    static GatewayServer gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateways.toSphinxForWholeFiles();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void theSampleIsTelephoneAudio() throws Exception {
        byte[] wav = SAMPLES.wav(FILE);
        AudioFormat format = WavHeader.parse(wav).format();
        assertEquals(new AudioFormat(AudioFormat.Encoding.MULAW, 8000, 1), format);
        double seconds = (wav.length - WavHeader.parse(wav).dataOffset()) / 8000.0;
        assertEquals(SAMPLES.clip(FILE).seconds(), seconds, 0.001);
    }

    @Test
    void postedAsAFileItIsTranscribed() throws Exception {
        HttpResponse<String> response = WsTestClient.HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/api/v1/transcriptions"))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(SAMPLES.wav(FILE)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        JsonNode body = JSON.readTree(response.body());
        // read at the wrong rate or width the 22 KB of samples would last 0.7 or 1.4 s
        double seconds = body.path("audio_seconds").asDouble();
        assertTrue(seconds > 2.0 && seconds <= SAMPLES.clip(FILE).seconds() + 0.01, response.body());
        assertWithinBound(body.path("transcript").asText(), "REST");
    }

    @Test
    void streamedAsRawMulawItIsTranscribed() throws Exception {
        byte[] wav = SAMPLES.wav(FILE);
        byte[] ulaw = Arrays.copyOfRange(wav, WavHeader.parse(wav).dataOffset(), wav.length);
        try (WsTestClient ws = WsTestClient.connect(gateway.port(), "tel-1")) {
            ws.start("{\"encoding\":\"MULAW\",\"sample_rate_hertz\":8000}").next();
            ws.audio(ulaw, FRAME).stop();
            List<JsonNode> events = ws.drainUntilClosed();
            assertEquals(1000, ws.closeCode(), events.toString());
            JsonNode stopped = events.getLast();
            assertEquals("transcription_stopped", stopped.path("event").asText(), events.toString());
            assertEquals(
                    SAMPLES.clip(FILE).seconds(), stopped.path("audio_seconds").asDouble(), 0.01, stopped.toString());
            StringBuilder text = new StringBuilder();
            events.stream()
                    .filter(e -> e.path("event").asText().equals("transcript")
                            && e.path("is_final").asBoolean())
                    .forEach(e -> text.append(e.path("alternatives")
                                    .get(0)
                                    .path("transcript")
                                    .asText())
                            .append(' '));
            assertWithinBound(text.toString().trim(), "WebSocket");
        }
    }

    private static void assertWithinBound(String heard, String path) throws Exception {
        WordErrorRate wer = new WordErrorRate();
        wer.add(SAMPLES.clip(FILE).transcript(), heard);
        System.out.printf(
                "telephone sample over %s: WER %.2f (%d/%d) \"%s\"%n",
                path, wer.rate(), wer.errors(), wer.referenceWords(), heard);
        assertFalse(WordErrorRate.words(heard).isEmpty(), path + " heard nothing");
        assertTrue(wer.rate() <= WER_BOUND, path + " heard: \"" + heard + "\"");
    }
}
