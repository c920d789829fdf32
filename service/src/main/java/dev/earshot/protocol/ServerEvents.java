package dev.earshot.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import nvidia.riva.asr.RivaAsr.SpeechRecognitionAlternative;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionResult;
import nvidia.riva.asr.RivaAsr.WordInfo;

/**
 * Server text frames of protocol v1, written with Jackson's streaming generator: one small
 * string per event, no reflection, no intermediate tree.
 */
public final class ServerEvents {

    /**
     * With a shared buffer pool: Jackson's default keeps buffers per thread, which with a virtual
     * thread per session would pin several kilobytes to every session.
     */
    public static final JsonFactory JSON = JsonFactory.builder()
            .recyclerPool(JsonRecyclerPools.sharedLockFreePool())
            .build();

    /** A mapper for parsing client messages too, with the same shared buffers. */
    public static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
            new com.fasterxml.jackson.databind.ObjectMapper(JSON);

    private ServerEvents() {}

    @FunctionalInterface
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static String event(String name, String sessionId, Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("event", name);
            if (sessionId != null) {
                g.writeStringField("session_id", sessionId);
            }
            body.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** {@code transcription_started} with the effective configuration. */
    public static String started(String sessionId, SessionConfig c) {
        return started(sessionId, c, null, Duration.ZERO);
    }

    /**
     * {@code transcription_started} with the effective configuration and, for a session that can
     * be resumed after its connection drops, the secret {@code resume_token} to resume it with and
     * {@code resume_grace_seconds}, how long the server waits for that.
     */
    public static String started(String sessionId, SessionConfig c, String resumeToken, Duration resumeGrace) {
        return event("transcription_started", sessionId, g -> {
            if (resumeToken != null) {
                g.writeStringField("resume_token", resumeToken);
                g.writeNumberField("resume_grace_seconds", resumeGrace.toMillis() / 1000.0);
            }
            g.writeObjectFieldStart("config");
            g.writeStringField("language", c.language());
            g.writeStringField("encoding", c.encoding());
            g.writeNumberField("sample_rate_hertz", c.sampleRateHertz());
            g.writeNumberField("audio_channel_count", c.audioChannelCount());
            g.writeBooleanField("enable_automatic_punctuation", c.punctuation());
            g.writeBooleanField("enable_interim_results", c.interimResults());
            g.writeNumberField("max_alternatives", c.maxAlternatives());
            g.writeBooleanField("enable_word_time_offsets", c.wordTimeOffsets());
            g.writeBooleanField("profanity_filter", c.profanityFilter());
            g.writeStringField("model", c.model());
            g.writeArrayFieldStart("speech_contexts");
            for (SessionConfig.Context ctx : c.speechContexts()) {
                g.writeStartObject();
                g.writeArrayFieldStart("phrases");
                for (String p : ctx.phrases()) {
                    g.writeString(p);
                }
                g.writeEndArray();
                g.writeNumberField("boost", ctx.boost());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("endpointing");
            for (Map.Entry<String, Number> e : c.endpointing().entrySet()) {
                g.writeFieldName(e.getKey());
                if (e.getValue() instanceof Integer i) {
                    g.writeNumber(i);
                } else {
                    g.writeNumber(e.getValue().floatValue());
                }
            }
            g.writeEndObject();
            g.writeObjectFieldStart("custom_configuration");
            for (Map.Entry<String, String> e : c.customConfiguration().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    /** {@code transcript}: one Riva result, interim or final. */
    public static String transcript(String sessionId, StreamingRecognitionResult r, boolean isFinal) {
        return event("transcript", sessionId, g -> {
            g.writeBooleanField("is_final", isFinal);
            g.writeNumberField("stability", isFinal ? 0f : r.getStability());
            alternatives(g, r.getAlternativesList());
            g.writeNumberField("channel_tag", r.getChannelTag());
            g.writeNumberField("audio_processed_seconds", r.getAudioProcessed());
        });
    }

    /**
     * Writes an {@code alternatives} field: [{transcript, confidence, words [{word, start_time_ms,
     * end_time_ms, confidence}]}]. The same shape in streaming events and REST responses.
     */
    public static void alternatives(JsonGenerator g, List<SpeechRecognitionAlternative> alternatives)
            throws IOException {
        g.writeArrayFieldStart("alternatives");
        for (SpeechRecognitionAlternative a : alternatives) {
            g.writeStartObject();
            g.writeStringField("transcript", a.getTranscript());
            g.writeNumberField("confidence", a.getConfidence());
            g.writeArrayFieldStart("words");
            for (WordInfo w : a.getWordsList()) {
                g.writeStartObject();
                g.writeStringField("word", w.getWord());
                g.writeNumberField("start_time_ms", w.getStartTime());
                g.writeNumberField("end_time_ms", w.getEndTime());
                g.writeNumberField("confidence", w.getConfidence());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * {@code backend_recovered}: the session's Riva stream failed and a new one has taken over
     * (informational; the transcript goes on).
     *
     * @param attempt         which new stream this is since the last final result (1 for the first)
     * @param replayedSeconds audio sent again to the new stream: what no final had covered yet
     */
    public static String backendRecovered(String sessionId, int attempt, double replayedSeconds) {
        return event("backend_recovered", sessionId, g -> {
            g.writeNumberField("attempt", attempt);
            g.writeNumberField("replayed_seconds", replayedSeconds);
        });
    }

    /**
     * {@code transcription_resumed}: a new connection has taken the session over; the events after
     * the client's {@code last_seq} follow, then the session goes on.
     *
     * @param audioReceivedBytes audio the session has received: the client sends its audio again from this offset
     * @param lastSeq            the number of the last event the session has sent so far
     */
    public static String resumed(String sessionId, long audioReceivedBytes, long lastSeq) {
        return event("transcription_resumed", sessionId, g -> {
            g.writeNumberField("audio_received_bytes", audioReceivedBytes);
            g.writeNumberField("last_seq", lastSeq);
        });
    }

    /** {@code transcription_stopped}: every final has been sent. */
    public static String stopped(String sessionId, double audioSeconds) {
        return event("transcription_stopped", sessionId, g -> g.writeNumberField("audio_seconds", audioSeconds));
    }

    /** {@code error}. */
    public static String error(String sessionId, ErrorCode code, String message) {
        return event("error", sessionId, g -> {
            g.writeStringField("code", code.wire());
            g.writeStringField("message", message);
        });
    }

    /** {@code going_away}: the server is draining; close 1001 follows. */
    public static String goingAway(String sessionId) {
        return event("going_away", sessionId, g -> g.writeStringField("message", "the server is shutting down"));
    }
}
