package dev.earshot.asr.engine;

/**
 * One open recognition stream. The caller feeds audio with {@link #accept}, then either ends
 * it with {@link #finish} (results for the remaining audio follow, then
 * {@link ResultSink#completed}) or abandons it with {@link #cancel}. Either way the engine's
 * resources for the stream are released. Audio calls come from one thread at a time.
 */
public interface RecognitionStream {
    /**
     * Hands over the next 16 kHz 16-bit mono samples. May block while the engine catches up,
     * which pushes back on the sender instead of buffering without bound.
     */
    void accept(short[] samples);

    /** End of audio. */
    void finish();

    /** Abandons the stream: no more results are delivered; safe to call more than once. */
    void cancel();
}
