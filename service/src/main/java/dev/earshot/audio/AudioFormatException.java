package dev.earshot.audio;

/**
 * Audio that cannot be decoded as described: an unsupported encoding, a sample rate out of range,
 * a malformed WAV header. The message names what was wrong, so it can be returned to the client
 * as is (gRPC {@code INVALID_ARGUMENT}, WebSocket {@code invalid_config}).
 */
public final class AudioFormatException extends Exception {
    public AudioFormatException(String message) {
        super(message);
    }
}
