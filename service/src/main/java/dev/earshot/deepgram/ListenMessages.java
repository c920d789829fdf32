package dev.earshot.deepgram;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.earshot.protocol.ServerEvents;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import nvidia.riva.asr.RivaAsr.SpeechRecognitionAlternative;
import nvidia.riva.asr.RivaAsr.WordInfo;

/**
 * Deepgram's listen messages, field for field as its API reference and SDK types have them,
 * written with Jackson's streaming generator like protocol v1's events. Times are seconds from
 * the start of the stream (or file), rounded to the millisecond Riva's word times have.
 */
final class ListenMessages {
    /** Deepgram's channel index for mono audio: channel 0 of 1. */
    private static final int[] CHANNEL = {0, 1};

    private ListenMessages() {}

    @FunctionalInterface
    interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    static String json(Body body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = ServerEvents.JSON.createGenerator(out)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * A {@code Results} message.
     *
     * @param offset where the Riva stream began, added to its word times
     */
    static String results(
            String requestId,
            ModelInfo model,
            double start,
            double duration,
            boolean isFinal,
            boolean speechFinal,
            boolean fromFinalize,
            List<SpeechRecognitionAlternative> alternatives,
            double offset,
            Map<String, String> extra) {
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("type", "Results");
            g.writeArrayFieldStart("channel_index");
            g.writeNumber(CHANNEL[0]);
            g.writeNumber(CHANNEL[1]);
            g.writeEndArray();
            g.writeNumberField("duration", seconds(duration));
            g.writeNumberField("start", seconds(start));
            g.writeBooleanField("is_final", isFinal);
            g.writeBooleanField("speech_final", speechFinal);
            g.writeFieldName("channel");
            g.writeStartObject();
            alternatives(g, alternatives, offset);
            g.writeEndObject();
            g.writeObjectFieldStart("metadata");
            g.writeStringField("request_id", requestId);
            modelInfo(g, model);
            g.writeStringField("model_uuid", model.uuid());
            if (!extra.isEmpty()) {
                g.writeObjectFieldStart("extra");
                for (Map.Entry<String, String> e : extra.entrySet()) {
                    g.writeStringField(e.getKey(), e.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
            g.writeBooleanField("from_finalize", fromFinalize);
            g.writeEndObject();
        });
    }

    /** {@code alternatives: [{transcript, confidence, words: [...]}]}; an empty list becomes one empty alternative. */
    static void alternatives(JsonGenerator g, List<SpeechRecognitionAlternative> alternatives, double offset)
            throws IOException {
        g.writeArrayFieldStart("alternatives");
        if (alternatives.isEmpty()) {
            g.writeStartObject();
            g.writeStringField("transcript", "");
            g.writeNumberField("confidence", 0);
            g.writeArrayFieldStart("words");
            g.writeEndArray();
            g.writeEndObject();
        }
        for (SpeechRecognitionAlternative a : alternatives) {
            g.writeStartObject();
            g.writeStringField("transcript", a.getTranscript().trim());
            g.writeNumberField("confidence", a.getConfidence());
            g.writeArrayFieldStart("words");
            words(g, a, offset);
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * The words of an alternative. Riva's words are unpunctuated and its transcript punctuated;
     * when they line up one to one, the transcript's token is the word's {@code punctuated_word}.
     */
    static void words(JsonGenerator g, SpeechRecognitionAlternative a, double offset) throws IOException {
        String transcript = a.getTranscript().trim();
        String[] tokens = transcript.isEmpty() ? new String[0] : transcript.split("\\s+");
        boolean aligned = tokens.length == a.getWordsCount();
        for (int i = 0; i < a.getWordsCount(); i++) {
            WordInfo w = a.getWords(i);
            g.writeStartObject();
            g.writeStringField("word", w.getWord());
            g.writeNumberField("start", seconds(offset + w.getStartTime() / 1000.0));
            g.writeNumberField("end", seconds(offset + w.getEndTime() / 1000.0));
            g.writeNumberField("confidence", w.getConfidence());
            g.writeStringField("punctuated_word", aligned ? tokens[i] : w.getWord());
            g.writeEndObject();
        }
    }

    static void modelInfo(JsonGenerator g, ModelInfo model) throws IOException {
        g.writeObjectFieldStart("model_info");
        g.writeStringField("name", model.name());
        g.writeStringField("version", model.version());
        g.writeStringField("arch", model.arch());
        g.writeEndObject();
    }

    /** {@code UtteranceEnd}: the words have stopped for at least {@code utterance_end_ms}. */
    static String utteranceEnd(double lastWordEnd) {
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("type", "UtteranceEnd");
            g.writeArrayFieldStart("channel");
            g.writeNumber(CHANNEL[0]);
            g.writeNumber(CHANNEL[1]);
            g.writeEndArray();
            g.writeNumberField("last_word_end", seconds(lastWordEnd));
            g.writeEndObject();
        });
    }

    /** {@code SpeechStarted}: speech begins at {@code timestamp}. */
    static String speechStarted(double timestamp) {
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("type", "SpeechStarted");
            g.writeArrayFieldStart("channel");
            g.writeNumber(CHANNEL[0]);
            g.writeEndArray();
            g.writeNumberField("timestamp", seconds(timestamp));
            g.writeEndObject();
        });
    }

    /** The fields Deepgram's {@code Metadata} message and a pre-recorded response's {@code metadata} share. */
    static void metadataFields(
            JsonGenerator g,
            String requestId,
            String sha256,
            String created,
            double duration,
            ModelInfo model,
            List<ListenOptions.Warning> warnings)
            throws IOException {
        g.writeStringField("transaction_key", "deprecated");
        g.writeStringField("request_id", requestId);
        g.writeStringField("sha256", sha256);
        g.writeStringField("created", created);
        g.writeNumberField("duration", seconds(duration));
        g.writeNumberField("channels", 1);
        g.writeArrayFieldStart("models");
        g.writeString(model.uuid());
        g.writeEndArray();
        g.writeObjectFieldStart("model_info");
        g.writeObjectFieldStart(model.uuid());
        g.writeStringField("name", model.name());
        g.writeStringField("version", model.version());
        g.writeStringField("arch", model.arch());
        g.writeEndObject();
        g.writeEndObject();
        if (!warnings.isEmpty()) {
            g.writeArrayFieldStart("warnings");
            for (ListenOptions.Warning w : warnings) {
                g.writeStartObject();
                g.writeStringField("parameter", w.parameter());
                g.writeStringField("type", "unsupported");
                g.writeStringField("message", w.message());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
    }

    /** The {@code Metadata} message that ends a stream after {@code CloseStream}. */
    static String metadata(
            String requestId,
            String sha256,
            String created,
            double duration,
            ModelInfo model,
            List<ListenOptions.Warning> warnings) {
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("type", "Metadata");
            metadataFields(g, requestId, sha256, created, duration, model, warnings);
            g.writeEndObject();
        });
    }

    /** Deepgram's error body: {@code {"err_code", "err_msg", "request_id"}}. */
    static String error(String errCode, String errMsg, String requestId) {
        return json(g -> {
            g.writeStartObject();
            g.writeStringField("err_code", errCode);
            g.writeStringField("err_msg", errMsg);
            g.writeStringField("request_id", requestId);
            g.writeEndObject();
        });
    }

    /** Seconds rounded to the millisecond. */
    static double seconds(double s) {
        return Math.round(s * 1000) / 1000.0;
    }
}
