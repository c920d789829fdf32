package dev.earshot.http;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Optional;

import dev.earshot.audio.WavHeader;
import dev.earshot.riva.RivaClient;
import dev.earshot.riva.RivaRequests;

import com.fasterxml.jackson.core.JsonFactory;
import dev.earshot.protocol.ServerEvents;
import com.fasterxml.jackson.core.JsonGenerator;
import io.grpc.StatusRuntimeException;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import nvidia.riva.RivaAudio.AudioEncoding;
import nvidia.riva.asr.RivaAsr.RecognizeResponse;
import nvidia.riva.asr.RivaAsr.SpeechRecognitionResult;

/**
 * {@code POST /api/v1/transcriptions}: a whole recording in, its transcript out, through Riva's
 * {@code Recognize}. The body is a WAV file, or raw audio described by the {@code encoding} and
 * {@code sample_rate_hertz} query parameters; {@code language} defaults to en-US and
 * {@code word_time_offsets=true} adds word timings.
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
        res.header(HeaderNames.CONTENT_TYPE, "application/json");
        if (req.headers().contentLength().orElse(0) > maxBytes) {
            res.status(Status.REQUEST_ENTITY_TOO_LARGE_413).send(HttpErrors.body("message_too_large",
                                                                                 "the body is limited to " + maxBytes + " bytes"));
            return;
        }
        byte[] audio = req.content().as(byte[].class);
        if (audio.length == 0) {
            res.status(Status.BAD_REQUEST_400).send(HttpErrors.body("invalid_config", "the body must hold the audio"));
            return;
        }
        Optional<RivaRequests.RawFormat> raw = Optional.empty();
        if (!WavHeader.startsWithWav(audio)) {
            String encoding = req.query().first("encoding").orElse("").toUpperCase(Locale.ROOT);
            int rate = req.query().first("sample_rate_hertz").map(Integer::parseInt).orElse(0);
            if (encoding.isEmpty() || rate == 0) {
                res.status(Status.BAD_REQUEST_400).send(HttpErrors.body("invalid_config",
                        "raw audio needs the encoding and sample_rate_hertz query parameters (or send a WAV file)"));
                return;
            }
            try {
                raw = Optional.of(new RivaRequests.RawFormat(AudioEncoding.valueOf(encoding), rate));
            } catch (IllegalArgumentException e) {
                res.status(Status.BAD_REQUEST_400).send(HttpErrors.body("invalid_config", "unknown encoding " + encoding));
                return;
            }
        }
        try {
            RecognizeResponse response = riva.recognize(RivaRequests.recognize(
                    audio, raw, req.query().first("language").orElse("en-US"),
                    req.query().first("word_time_offsets").map(Boolean::parseBoolean).orElse(false)));
            res.send(body(response));
        } catch (StatusRuntimeException e) {
            Status status = switch (e.getStatus().getCode()) {
                case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION -> Status.BAD_REQUEST_400;
                case RESOURCE_EXHAUSTED -> Status.SERVICE_UNAVAILABLE_503;
                case UNAUTHENTICATED, PERMISSION_DENIED -> Status.BAD_GATEWAY_502;
                default -> Status.BAD_GATEWAY_502;
            };
            String code = status == Status.BAD_REQUEST_400 ? "invalid_config"
                    : e.getStatus().getCode() == io.grpc.Status.Code.RESOURCE_EXHAUSTED ? "capacity_exceeded"
                    : "backend_unavailable";
            res.status(status).send(HttpErrors.body(code, "Riva " + e.getStatus().getCode()
                         + (e.getStatus().getDescription() == null ? "" : ": " + e.getStatus().getDescription())));
        }
    }

    private static String body(RecognizeResponse response) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            StringBuilder text = new StringBuilder();
            float seconds = 0;
            for (SpeechRecognitionResult r : response.getResultsList()) {
                if (r.getAlternativesCount() > 0) {
                    text.append(text.isEmpty() ? "" : " ").append(r.getAlternatives(0).getTranscript().trim());
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
