package dev.earshot.deepgram;

import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import dev.earshot.audio.WavHeader;
import dev.earshot.auth.AuthException;
import dev.earshot.auth.Authentication;
import dev.earshot.auth.Authenticator;
import dev.earshot.auth.Credentials;
import dev.earshot.auth.QuotaExceededException;
import dev.earshot.auth.Quotas;
import dev.earshot.http.BoundedBody;
import dev.earshot.http.OriginPolicy;
import dev.earshot.http.RestLimits;
import dev.earshot.protocol.ErrorCode;
import dev.earshot.riva.RivaClient;
import dev.earshot.riva.RivaErrors;
import dev.earshot.riva.RivaRequests;
import io.grpc.StatusRuntimeException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import nvidia.riva.asr.RivaAsr.RecognizeRequest;
import nvidia.riva.asr.RivaAsr.RecognizeResponse;
import nvidia.riva.asr.RivaAsr.SpeechRecognitionAlternative;
import nvidia.riva.asr.RivaAsr.SpeechRecognitionResult;

/**
 * The plain-HTTP side of {@code /v1/listen}.
 *
 * <ul>
 *   <li>{@code POST}: Deepgram's pre-recorded transcription. The body is the audio (a WAV file, or
 *       raw audio described by {@code encoding} and {@code sample_rate}); the same query
 *       parameters as a live stream where they apply, plus {@code utterances}. Riva's
 *       {@code Recognize} transcribes it and the answer is Deepgram's response: {@code metadata}
 *       and {@code results.channels[0].alternatives[0]} with the transcript and every word with
 *       its times, and {@code results.utterances} (one per Riva result) when asked. A JSON body
 *       ({@code {"url": ...}}) is refused: Earshot does not fetch remote audio. The body limit and
 *       the recognition slots are the REST API's ({@link RestLimits}: 413 beyond
 *       {@code rest.max-bytes}, counted while the body streams in; 429 beyond
 *       {@code rest.max-concurrent}).
 *   <li>{@code GET} without an upgrade, or an upgrade the WebSocket side declined: 403 for a
 *       browser origin that is not allowed, 400 with Deepgram's error body for invalid
 *       parameters, else 426.
 * </ul>
 *
 * <p>A transcription needs the same credentials as a live stream (Deepgram's
 * {@code Authorization: Token <key>}, or Earshot's forms) and holds a quota slot while it runs.
 * Errors carry Deepgram's body ({@code err_code}, {@code err_msg}, {@code request_id}) and, as
 * Deepgram does, the {@code dg-request-id} and {@code dg-error} headers.
 */
public final class ListenResource implements HttpService {
    private final RivaClient riva;
    private final DeepgramSettings settings;
    private final Authenticator auth;
    private final OriginPolicy origins;
    private final RestLimits limits;

    /**
     * @param origins the browser origins that may open a live stream
     * @param limits  the body limit and recognition slots, shared with Earshot's own REST API
     */
    public ListenResource(
            RivaClient riva, DeepgramSettings settings, Authenticator auth, OriginPolicy origins, RestLimits limits) {
        this.riva = riva;
        this.settings = settings;
        this.auth = auth;
        this.origins = origins;
        this.limits = limits;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::refuseUpgrade).post("/", this::transcribe);
    }

    private void refuseUpgrade(ServerRequest req, ServerResponse res) {
        String requestId = UUID.randomUUID().toString();
        if (!origins.allows(
                req.headers().first(HeaderNames.ORIGIN), req.headers().first(HeaderNames.HOST))) {
            error(
                    res,
                    Status.FORBIDDEN_403,
                    "FORBIDDEN",
                    "this origin may not open streams (server.allowed-origins)",
                    requestId);
            return;
        }
        try {
            ListenParameters.parse(req.query(), settings.models());
        } catch (ListenRequestException e) {
            error(res, Status.BAD_REQUEST_400, "Bad Request", e.getMessage(), requestId);
            return;
        }
        res.header(HeaderNames.UPGRADE, "websocket");
        error(
                res,
                Status.UPGRADE_REQUIRED_426,
                "Upgrade Required",
                "GET /v1/listen is a WebSocket; POST the audio for a pre-recorded transcription",
                requestId);
    }

    private void transcribe(ServerRequest req, ServerResponse res) {
        String requestId = UUID.randomUUID().toString();
        ListenOptions options;
        try {
            options = ListenParameters.parse(req.query(), settings.models());
        } catch (ListenRequestException e) {
            error(res, Status.BAD_REQUEST_400, "Bad Request", e.getMessage(), requestId);
            return;
        }
        Optional<Quotas.Lease> lease = admit(req, res, requestId);
        if (lease.isEmpty()) {
            return;
        }
        try {
            transcribe(req, res, options, requestId);
        } finally {
            lease.get().close();
        }
    }

    /**
     * The caller's quota slot, held while its file is transcribed; empty when it was refused here
     * (401 for missing or wrong credentials, 429 with {@code Retry-After} over a quota).
     */
    private Optional<Quotas.Lease> admit(ServerRequest req, ServerResponse res, String requestId) {
        Optional<Credentials> credentials = DeepgramCredentials.of(req.headers())
                .map(DeepgramCredentials::credentials)
                .or(() -> Credentials.from(req.headers(), req.query()));
        Authentication who;
        try {
            who = auth.authenticate(credentials);
        } catch (AuthException e) {
            res.header(HeaderNames.WWW_AUTHENTICATE, "Token realm=\"earshot\"");
            error(res, Status.UNAUTHORIZED_401, "INVALID_AUTH", "Invalid credentials: " + e.getMessage(), requestId);
            return Optional.empty();
        }
        try {
            return Optional.of(auth.admit(who.principal()));
        } catch (QuotaExceededException e) {
            res.header(HeaderNames.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
            error(res, Status.TOO_MANY_REQUESTS_429, "TOO_MANY_REQUESTS", e.getMessage(), requestId);
            return Optional.empty();
        }
    }

    private void transcribe(ServerRequest req, ServerResponse res, ListenOptions options, String requestId) {
        if (req.headers()
                .contentType()
                .map(t -> t.mediaType().subtype().equalsIgnoreCase("json"))
                .orElse(false)) {
            error(
                    res,
                    Status.BAD_REQUEST_400,
                    "Bad Request",
                    "Earshot does not fetch remote URLs: send the audio itself as the request body",
                    requestId);
            return;
        }
        if (limits.tooLarge(req.headers().contentLength().orElse(-1))) {
            res.header(HeaderValues.CONNECTION_CLOSE);
            error(res, Status.REQUEST_ENTITY_TOO_LARGE_413, "PAYLOAD_TOO_LARGE", limits.tooLargeMessage(), requestId);
            return;
        }
        if (!limits.tryAcquire()) {
            res.header(HeaderValues.CONNECTION_CLOSE).header(HeaderNames.RETRY_AFTER, "1");
            error(
                    res,
                    Status.TOO_MANY_REQUESTS_429,
                    "TOO_MANY_REQUESTS",
                    "the server is running its limit of " + limits.settings().maxConcurrent()
                            + " transcriptions (rest.max-concurrent); try again in a moment",
                    requestId);
            return;
        }
        Runnable answer;
        try {
            answer = recognize(req, res, options, requestId);
        } finally {
            limits.release(); // before the answer goes out: a client that has it may start the next one
        }
        answer.run();
    }

    /** Reads the body within the limit and asks Riva; returns the answer to send once the slot is free. */
    private Runnable recognize(ServerRequest req, ServerResponse res, ListenOptions options, String requestId) {
        ByteString audio;
        try {
            audio = limits.read(req);
        } catch (BoundedBody.TooLargeException e) {
            return () -> {
                res.header(HeaderValues.CONNECTION_CLOSE);
                error(
                        res,
                        Status.REQUEST_ENTITY_TOO_LARGE_413,
                        "PAYLOAD_TOO_LARGE",
                        limits.tooLargeMessage(),
                        requestId);
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (audio.isEmpty()) {
            return () -> error(
                    res, Status.BAD_REQUEST_400, "Bad Request", "the request body must hold the audio", requestId);
        }
        RecognizeRequest request = RecognizeRequest.newBuilder()
                .setConfig(RivaRequests.streaming(options.session()).getConfig())
                .setAudio(audio)
                .build();
        boolean wav = WavHeader.startsWithWav(
                audio.substring(0, Math.min(12, audio.size())).toByteArray());
        if (wav && options.session().encoding().equals("ENCODING_UNSPECIFIED")) {
            request = request.toBuilder()
                    .setConfig(request.getConfig().toBuilder().clearSampleRateHertz())
                    .build();
        }
        RecognizeResponse response;
        try {
            response = riva.recognize(request);
        } catch (StatusRuntimeException e) {
            ErrorCode code = RivaErrors.code(e.getStatus());
            String message = RivaErrors.message(e.getStatus());
            return switch (code) {
                case INVALID_CONFIG ->
                    () -> error(
                            res,
                            Status.BAD_REQUEST_400,
                            "Bad Request",
                            "Bad Request: failed to process audio: " + message,
                            requestId);
                case CAPACITY_EXCEEDED, OVERLOADED ->
                    () -> error(res, Status.TOO_MANY_REQUESTS_429, "TOO_MANY_REQUESTS", message, requestId);
                default -> () -> error(res, Status.BAD_GATEWAY_502, code.wire(), message, requestId);
            };
        }
        boolean utterances =
                req.query().first("utterances").map("true"::equalsIgnoreCase).orElse(false);
        String body = body(response, options, requestId, sha256(audio), utterances);
        return () -> res.header("dg-request-id", requestId)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(body);
    }

    /** Deepgram's pre-recorded response. */
    static String body(
            RecognizeResponse response, ListenOptions options, String requestId, String sha256, boolean utterances) {
        ModelInfo model = ModelInfo.of(options.model());
        List<SpeechRecognitionResult> results = response.getResultsList().stream()
                .filter(r -> r.getAlternativesCount() > 0
                        && !r.getAlternatives(0).getTranscript().isBlank())
                .toList();
        double duration = 0;
        for (SpeechRecognitionResult r : response.getResultsList()) {
            duration = Math.max(duration, r.getAudioProcessed());
        }
        double seconds = duration;
        return ListenMessages.json(g -> {
            g.writeStartObject();
            g.writeObjectFieldStart("metadata");
            ListenMessages.metadataFields(
                    g, requestId, sha256, Instant.now().toString(), seconds, model, options.warnings());
            g.writeEndObject();
            g.writeObjectFieldStart("results");
            g.writeArrayFieldStart("channels");
            g.writeStartObject();
            g.writeArrayFieldStart("alternatives");
            whole(g, results);
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            if (utterances) {
                g.writeArrayFieldStart("utterances");
                for (SpeechRecognitionResult r : results) {
                    utterance(g, r.getAlternatives(0));
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** The whole file as one alternative: the results' transcripts joined, all their words, the mean confidence. */
    private static void whole(JsonGenerator g, List<SpeechRecognitionResult> results) throws IOException {
        StringBuilder transcript = new StringBuilder();
        double confidence = 0;
        List<SpeechRecognitionAlternative> best = new ArrayList<>();
        for (SpeechRecognitionResult r : results) {
            SpeechRecognitionAlternative a = r.getAlternatives(0);
            best.add(a);
            transcript
                    .append(transcript.isEmpty() ? "" : " ")
                    .append(a.getTranscript().trim());
            confidence += a.getConfidence();
        }
        g.writeStartObject();
        g.writeStringField("transcript", transcript.toString());
        g.writeNumberField("confidence", results.isEmpty() ? 0 : confidence / results.size());
        g.writeArrayFieldStart("words");
        for (SpeechRecognitionAlternative a : best) {
            ListenMessages.words(g, a, 0);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void utterance(JsonGenerator g, SpeechRecognitionAlternative a) throws IOException {
        double start = a.getWordsCount() == 0 ? 0 : a.getWords(0).getStartTime() / 1000.0;
        double end =
                a.getWordsCount() == 0 ? 0 : a.getWords(a.getWordsCount() - 1).getEndTime() / 1000.0;
        g.writeStartObject();
        g.writeNumberField("start", ListenMessages.seconds(start));
        g.writeNumberField("end", ListenMessages.seconds(end));
        g.writeNumberField("confidence", a.getConfidence());
        g.writeNumberField("channel", 0);
        g.writeStringField("transcript", a.getTranscript().trim());
        g.writeArrayFieldStart("words");
        ListenMessages.words(g, a, 0);
        g.writeEndArray();
        g.writeStringField("id", UUID.randomUUID().toString());
        g.writeEndObject();
    }

    private static void error(ServerResponse res, Status status, String errCode, String errMsg, String requestId) {
        res.status(status)
                .header("dg-request-id", requestId)
                .header("dg-error", errMsg.replaceAll("[\\r\\n]", " "))
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(ListenMessages.error(errCode, errMsg, requestId));
    }

    private static String sha256(ByteString audio) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (ByteBuffer part : audio.asReadOnlyByteBufferList()) {
                digest.update(part);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
