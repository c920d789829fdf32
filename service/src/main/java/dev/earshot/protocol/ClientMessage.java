package dev.earshot.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Base64;

/** A text frame from a client, protocol v1. */
public sealed interface ClientMessage {

    /** {@code start_transcription}: open the Riva stream with this configuration. */
    record Start(SessionConfig config) implements ClientMessage {}

    /** {@code audio}: base64 audio, for clients that cannot send binary frames. */
    record Audio(byte[] data) implements ClientMessage {}

    /** {@code keepalive}: resets the idle timer. */
    record Keepalive() implements ClientMessage {}

    /** {@code stop_transcription}: end of audio; the remaining finals follow. */
    record Stop() implements ClientMessage {}

    /**
     * Finish the current utterance now: its final follows and the session goes on. Protocol v1
     * has no such message yet; Deepgram's {@code Finalize} is one.
     */
    record Finalize() implements ClientMessage {}

    /** Parses a text frame. */
    static ClientMessage parse(String text, ObjectMapper json) throws ProtocolException {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(
                    ErrorCode.INVALID_MESSAGE, "message is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "message must be a JSON object with a \"type\"");
        }
        JsonNode type = node.get("type");
        if (type == null || !type.isTextual()) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "message has no \"type\"");
        }
        return switch (type.asText()) {
            case "start_transcription" -> new Start(SessionConfig.parse(node.get("config")));
            case "audio" -> {
                JsonNode data = node.get("data");
                if (data == null || !data.isTextual()) {
                    throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "audio message needs base64 \"data\"");
                }
                try {
                    yield new Audio(Base64.getDecoder().decode(data.asText()));
                } catch (IllegalArgumentException e) {
                    throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "audio data is not valid base64");
                }
            }
            case "keepalive" -> new Keepalive();
            case "stop_transcription" -> new Stop();
            default ->
                throw new ProtocolException(
                        ErrorCode.INVALID_MESSAGE,
                        "unknown message type \"" + type.asText()
                                + "\"; expected start_transcription, audio, keepalive or stop_transcription");
        };
    }
}
