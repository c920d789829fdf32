package dev.earshot.asr.engine;

import java.util.OptionalInt;

/**
 * A speech recognizer that runs streams, 16 kHz 16-bit mono in, transcripts out. The gRPC
 * service in front of it deals with protocol and audio formats; an engine only decodes.
 */
public interface RecognitionEngine extends AutoCloseable {

    /** The model name listed by {@code GetRivaSpeechRecognitionConfig}. */
    String modelName();

    /**
     * Opens a stream.
     *
     * @param options what the client asked for
     * @param sink    where results go
     * @return the stream, already running
     * @throws EngineBusyException when no decoder is free, and none came free in time
     */
    RecognitionStream open(StreamOptions options, ResultSink sink) throws EngineBusyException;

    /**
     * How many streams the engine decodes at once, when that is a fixed number (a decoder per
     * stream), so that the gateway in front can admit as many sessions as it can really serve;
     * empty when the engine itself does not limit streams.
     */
    default OptionalInt capacity() {
        return OptionalInt.empty();
    }

    /** Whether the engine is fit to serve (it loaded and passed its warm-up). */
    boolean healthy();

    /** Streams open right now. */
    int activeStreams();

    @Override
    void close();
}
