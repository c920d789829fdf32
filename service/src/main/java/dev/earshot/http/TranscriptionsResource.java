package dev.earshot.http;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import dev.earshot.audio.WavHeader;
import dev.earshot.protocol.ErrorCode;
import dev.earshot.protocol.ProtocolException;
import dev.earshot.protocol.ServerEvents;
import dev.earshot.riva.RivaClient;
import dev.earshot.riva.RivaErrors;
import dev.earshot.riva.RivaRequests;
import io.grpc.StatusRuntimeException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.util.Optional;
import nvidia.riva.asr.RivaAsr.RecognizeResponse;
import nvidia.riva.asr.RivaAsr.SpeechRecognitionResult;

/**
 * {@code POST /api/v1/transcriptions}: a whole recording in, its transcript out, through Riva's
 * {@code Recognize}. The body is a WAV file, or raw audio described by the {@code encoding} and
 * {@code sample_rate_hertz} query parameters; {@code language} defaults to en-US and
 * {@code word_time_offsets=true} adds word timings. Errors carry protocol v1's codes, a failed
 * Riva call the same code as on a WebSocket ({@link RivaErrors}), with the HTTP status
 * {@link HttpErrors} gives each.
 *
 * <p>What one client can take is bounded ({@link RestLimits}): a body is read within
 * {@code rest.max-bytes} while it streams in (413 the moment it goes past), and at most
 * {@code rest.max-concurrent} recognitions run at once (429 beyond), so uploads never hold more
 * than their product of the heap.
 */
public final class TranscriptionsResource implements HttpService {
    private static final System.Logger LOG = System.getLogger(TranscriptionsResource.class.getName());
    private static final JsonFactory JSON = ServerEvents.JSON;
    /** Bytes enough for any RIFF/WAVE signature check. */
    private static final int SIGNATURE_BYTES = 12;

    private final RivaClient riva;
    private final RestLimits limits;

    public TranscriptionsResource(RivaClient riva, RestLimits limits) {
        this.riva = riva;
        this.limits = limits;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/", this::transcribe);
    }

    /**
     * Checks everything that can be checked before the body (the query, the declared length, a
     * free slot), then reads the body within {@code rest.max-bytes} and only then calls Riva. A
     * request refused before its body was read to the end closes its connection after the answer:
     * the rest of the body is never read, however long it is.
     */
    private void transcribe(ServerRequest req, ServerResponse res) {
        TranscriptionParameters params;
        try {
            params = TranscriptionParameters.from(req.query());
        } catch (ProtocolException e) {
            refuseUnread(res, e.code(), e.getMessage());
            return;
        }
        if (limits.tooLarge(req.headers().contentLength().orElse(-1))) {
            refuseUnread(res, ErrorCode.MESSAGE_TOO_LARGE, limits.tooLargeMessage());
            return;
        }
        if (!limits.tryAcquire()) {
            int max = limits.settings().maxConcurrent();
            LOG.log(Level.DEBUG, "transcription refused: " + max + " already running");
            res.header(HeaderValues.CONNECTION_CLOSE);
            HttpErrors.tooManyRequests(
                    res,
                    "the server is running its limit of " + max
                            + " transcriptions (rest.max-concurrent); try again in a moment");
            return;
        }
        Runnable answer;
        try {
            answer = recognize(req, res, params);
        } finally {
            limits.release(); // before the answer goes out: a client that has it may start the next one
        }
        answer.run();
    }

    /** Reads the body and asks Riva; returns the answer to send once the slot is free again. */
    private Runnable recognize(ServerRequest req, ServerResponse res, TranscriptionParameters params) {
        ByteString audio;
        try {
            audio = limits.read(req);
        } catch (BoundedBody.TooLargeException e) {
            LOG.log(Level.DEBUG, "transcription refused: " + e.getMessage());
            return () -> refuseUnread(res, ErrorCode.MESSAGE_TOO_LARGE, limits.tooLargeMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (audio.isEmpty()) {
            return () -> HttpErrors.send(res, ErrorCode.INVALID_CONFIG, "the body must hold the audio");
        }
        Optional<RivaRequests.RawFormat> raw;
        try {
            boolean wav = WavHeader.startsWithWav(
                    audio.substring(0, Math.min(SIGNATURE_BYTES, audio.size())).toByteArray());
            raw = wav ? Optional.empty() : Optional.of(params.rawFormat());
        } catch (ProtocolException e) {
            return () -> HttpErrors.send(res, e.code(), e.getMessage());
        }
        RecognizeResponse response;
        try {
            response = riva.recognize(RivaRequests.recognize(audio, raw, params.language(), params.wordTimeOffsets()));
        } catch (StatusRuntimeException e) {
            return () -> HttpErrors.send(res, RivaErrors.code(e.getStatus()), RivaErrors.message(e.getStatus()));
        }
        String body = body(response);
        return () -> res.header(HeaderNames.CONTENT_TYPE, "application/json").send(body);
    }

    /** Answers a request whose body was not read to its end, and closes the connection after it. */
    private static void refuseUnread(ServerResponse res, ErrorCode code, String message) {
        res.header(HeaderValues.CONNECTION_CLOSE);
        HttpErrors.send(res, code, message);
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
