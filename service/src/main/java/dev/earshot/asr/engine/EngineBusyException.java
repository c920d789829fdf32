package dev.earshot.asr.engine;

/**
 * Every decoder is in use. Thrown at once when a stream is opened, instead of queueing it
 * without bound; gRPC answers {@code RESOURCE_EXHAUSTED}.
 */
public final class EngineBusyException extends Exception {
    public EngineBusyException(String message) {
        super(message);
    }
}
