package dev.earshot.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.earshot.audio.WavHeader;
import dev.earshot.protocol.ErrorCode;
import dev.earshot.protocol.ProtocolException;
import dev.earshot.protocol.ServerEvents;
import dev.earshot.riva.RivaClient;
import dev.earshot.riva.RivaErrors;
import dev.earshot.riva.RivaRequests;
import io.grpc.StatusRuntimeException;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;
import nvidia.riva.RivaAudio.AudioEncoding;
import nvidia.riva.asr.RivaAsr.RecognizeResponse;
import nvidia.riva.asr.RivaAsr.SpeechRecognitionResult;

/**
 * {@code POST /api/v1/transcriptions}: a whole recording in, its transcript out, through Riva's
 * {@code Recognize}. The body is a WAV file, or raw audio described by the {@code encoding} and
 * {@code sample_rate_hertz} query parameters; {@code language} defaults to en-US and
 * {@code word_time_offsets=true} adds word timings. Errors carry protocol v1's codes, a failed
 * Riva call the same code as on a WebSocket ({@link RivaErrors}), with the HTTP status
 * {@link HttpErrors} gives each.
 */
public final class TranscriptionsResource implements HttpService {
    private static final JsonFactory JSON = ServerEvents.JSON;
    private final RivaClient riva;
    private final long maxBytes;

    public TranscriptionsResource(RivaClient riva, long maxBytes) {
        this.riva = riva;
        this.maxBytes = maxBytes;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::transcribe);
    }

    private void transcribe(ServerRequest req, ServerResponse res) {
        if (req.headers().contentLength().orElse(0) > maxBytes) {
            HttpErrors.send(res, ErrorCode.MESSAGE_TOO_LARGE, "the body is limited to " + maxBytes + " bytes");
            return;
        }
        byte[] audio = req.content().hasEntity() ? req.content().as(byte[].class) : new byte[0];
        if (audio.length == 0) {
            HttpErrors.send(res, ErrorCode.INVALID_CONFIG, "the body must hold the audio");
            return;
        }
        Optional<RivaRequests.RawFormat> raw;
        try {
            raw = WavHeader.startsWithWav(audio) ? Optional.empty() : Optional.of(rawFormat(req));
        } catch (ProtocolException e) {
            HttpErrors.send(res, e.code(), e.getMessage());
            return;
        }
        RecognizeResponse response;
        try {
            response = riva.recognize(RivaRequests.recognize(
                    audio,
                    raw,
                    req.query().first("language").orElse("en-US"),
                    req.query()
                            .first("word_time_offsets")
                            .map(Boolean::parseBoolean)
                            .orElse(false)));
        } catch (StatusRuntimeException e) {
            HttpErrors.send(res, RivaErrors.code(e.getStatus()), RivaErrors.message(e.getStatus()));
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/json").send(body(response));
    }

    /** The format of audio without a WAV header, from the {@code encoding} and {@code sample_rate_hertz} parameters. */
    private static RivaRequests.RawFormat rawFormat(ServerRequest req) throws ProtocolException {
        String encoding = req.query().first("encoding").orElse("").toUpperCase(Locale.ROOT);
        String rate = req.query().first("sample_rate_hertz").orElse("");
        if (encoding.isEmpty() || rate.isEmpty()) {
            throw new ProtocolException(
                    ErrorCode.INVALID_CONFIG,
                    "raw audio needs the encoding and sample_rate_hertz query parameters (or send a WAV file)");
        }
        AudioEncoding riva;
        try {
            riva = AudioEncoding.valueOf(encoding);
        } catch (IllegalArgumentException e) {
            riva = AudioEncoding.UNRECOGNIZED;
        }
        if (riva == AudioEncoding.UNRECOGNIZED) {
            throw new ProtocolException(ErrorCode.INVALID_CONFIG, "unknown encoding " + encoding);
        }
        try {
            return new RivaRequests.RawFormat(riva, Integer.parseInt(rate));
        } catch (NumberFormatException e) {
            throw new ProtocolException(
                    ErrorCode.INVALID_CONFIG, "sample_rate_hertz must be a whole number, got " + rate);
        }
    }

    private static String body(RecognizeResponse response) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            StringBuilder text = new StringBuilder();
            float seconds = 0;
            for (SpeechRecognitionResult r : response.getResultsList()) {
                if (r.getAlternativesCount() > 0) {
                    text.append(text.isEmpty() ? "" : " ")
                            .append(r.getAlternatives(0).getTranscript().trim());
                }
                seconds = Math.max(seconds, r.getAudioProcessed());
            }
            g.writeStartObject();
            g.writeStringField("transcript", text.toString());
            g.writeNumberField("audio_seconds", seconds);
            g.writeArrayFieldStart("results");
            for (SpeechRecognitionResult r : response.getResultsList()) {
                g.writeStartObject();
                g.writeNumberField("audio_processed_seconds", r.getAudioProcessed());
                ServerEvents.alternatives(g, r.getAlternativesList());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
