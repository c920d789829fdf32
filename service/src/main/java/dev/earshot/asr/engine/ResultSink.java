package dev.earshot.asr.engine;

/**
 * Where a recognition stream delivers what it finds. Calls come from the engine's own thread,
 * one at a time and in order: any number of {@link #result}, then exactly one of
 * {@link #completed} or {@link #failed} (none after {@link RecognitionStream#cancel()}).
 */
public interface ResultSink {
    /** A new interim or final result. */
    void result(Transcript transcript);

    /** All audio was processed and every final result delivered. */
    void completed();

    /** Recognition broke down; no more results follow. */
    void failed(Throwable cause);
}
