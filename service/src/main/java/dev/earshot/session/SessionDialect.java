package dev.earshot.session;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.protocol.ClientMessage;
import dev.earshot.protocol.ErrorCode;
import dev.earshot.protocol.ProtocolException;
import dev.earshot.protocol.SessionConfig;
import java.time.Duration;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionResult;

/**
 * What a session's messages look like on the wire. A {@link Session} does the work (admission,
 * limits, the Riva stream, recovery, metrics) the same way for every client; the dialect only
 * reads the client's text frames and writes the session's events. Protocol v1 is one dialect
 * ({@link ProtocolV1Dialect}); Deepgram's listen API ({@code dev.earshot.deepgram}) is another,
 * so a second front door costs no second session implementation.
 *
 * <p>A dialect may keep state for one session (times, hashes, pending events). Its methods are
 * called from the socket's thread and from the session's result thread; a stateful dialect must
 * guard its state and should not hold a lock while writing to the socket.
 */
public interface SessionDialect {

    /** Why a result was sent: Riva's own endpointing, or the client asking for the last words now. */
    enum Flush {
        /** Riva sent it on its own. */
        NONE,
        /** After the client asked to finish the current utterance (a final from the half-closed stream). */
        FINALIZE,
        /** After the client ended the audio. */
        STOP
    }

    /** Reads one text frame from the client. */
    ClientMessage parse(String text, ObjectMapper json) throws ProtocolException;

    /**
     * The configuration the session starts with as soon as it is admitted, when the handshake
     * carried it (Deepgram's query parameters); null when the client sends a start message.
     */
    default SessionConfig preset() {
        return null;
    }

    /** How long the session may go without audio or a keepalive. */
    default Duration idleTimeout(SessionSettings settings) {
        return settings.idleTimeout();
    }

    /** The session started with this configuration. */
    void started(SessionSocket out, String sessionId, SessionConfig config);

    /**
     * Audio was accepted for recognition; called on the socket's thread before it goes to Riva.
     *
     * @param audioSeconds audio received by the session so far, this chunk included
     */
    default void audio(SessionSocket out, byte[] bytes, int offset, int length, double audioSeconds) {}

    /**
     * One transcript result.
     *
     * @param streamOffsetSeconds where in the session's audio the Riva stream that produced it
     *                            began (a session may use several streams one after the other;
     *                            Riva's times are relative to its stream)
     * @param flush               whether the client asked for it
     */
    void transcript(
            SessionSocket out,
            String sessionId,
            StreamingRecognitionResult result,
            boolean isFinal,
            double streamOffsetSeconds,
            Flush flush);

    /**
     * The stream the client asked to finalize has ended and every final from it has been sent;
     * the session goes on.
     *
     * @param audioSeconds audio received by the session so far
     */
    default void finalized(SessionSocket out, String sessionId, double audioSeconds) {}

    /**
     * The session's Riva stream failed and a new one took over: the transcript goes on, from
     * audio replayed to the new stream. Informational; a dialect whose clients have no such
     * message says nothing.
     *
     * @param attempt         which new stream this is since the last final result (1 for the first)
     * @param replayedSeconds audio sent again to the new stream (what no final had covered yet)
     */
    void recovered(SessionSocket out, String sessionId, int attempt, double replayedSeconds);

    /** Every final has been sent; the session closes normally next. */
    void stopped(SessionSocket out, String sessionId, double audioSeconds);

    /** An error: one that ends the session is followed by {@link SessionSocket#closeAfter}. */
    void error(SessionSocket out, String sessionId, ErrorCode code, String message);

    /** The server is draining; the session closes with "going away" next. */
    void goingAway(SessionSocket out, String sessionId);
}
