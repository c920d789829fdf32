package dev.earshot.deepgram;

import dev.earshot.protocol.ErrorCode;

/**
 * How a live stream that ends in an error is closed, in Deepgram's terms: the close codes and
 * reasons its streaming docs list — 1008 {@code DATA-0000} for audio that cannot be decoded, 1011
 * {@code NET-0001} for no audio or {@code KeepAlive} within the timeout — and for the failures
 * Deepgram does not document, the close code protocol v1 uses with Earshot's error code as the
 * reason's prefix.
 */
final class DeepgramCloses {
    static final int NORMAL = 1000;
    static final int POLICY = 1008;
    static final int TOO_BIG = 1009;
    static final int INTERNAL = 1011;
    static final int TRY_AGAIN_LATER = 1013;

    private DeepgramCloses() {}

    static int code(ErrorCode error) {
        return switch (error) {
            case INVALID_CONFIG, INVALID_MESSAGE, NOT_STARTED, ALREADY_STARTED -> POLICY;
            case SESSION_EXISTS, UNAUTHORIZED, SLOW_CONSUMER, RESUME_FAILED -> POLICY;
            case IDLE_TIMEOUT, BACKEND_UNAVAILABLE, INTERNAL -> INTERNAL;
            case CAPACITY_EXCEEDED, OVERLOADED -> TRY_AGAIN_LATER;
            case MESSAGE_TOO_LARGE -> TOO_BIG;
            case SESSION_TIMEOUT -> NORMAL;
        };
    }

    /** The close reason: Deepgram's code where it has one, else Earshot's, then the message. */
    static String reason(ErrorCode error, String message) {
        String prefix = switch (error) {
            case INVALID_CONFIG -> "DATA-0000";
            case IDLE_TIMEOUT -> "NET-0001";
            default -> error.wire();
        };
        return message == null || message.isEmpty() ? prefix : prefix + ": " + message;
    }
}
