package dev.earshot.asr.engine;

/**
 * Every decoder is in use, and none came free while the new stream waited
 * ({@code asr.queue-timeout}): streams are queued for a bounded time, never without bound. gRPC
 * answers {@code RESOURCE_EXHAUSTED}.
 */
public final class EngineBusyException extends Exception {
    public EngineBusyException(String message) {
        super(message);
    }
}
