package dev.earshot.deepgram;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.earshot.protocol.ClientMessage;
import dev.earshot.protocol.ErrorCode;
import dev.earshot.protocol.ProtocolException;
import dev.earshot.protocol.SessionConfig;
import dev.earshot.session.SessionDialect;
import dev.earshot.session.SessionSettings;
import dev.earshot.session.SessionSocket;
import java.lang.System.Logger.Level;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import nvidia.riva.asr.RivaAsr.SpeechRecognitionAlternative;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionResult;
import nvidia.riva.asr.RivaAsr.WordInfo;

/**
 * One live Deepgram stream's messages: {@code KeepAlive}, {@code Finalize} and
 * {@code CloseStream} in; {@code Results}, {@code SpeechStarted}, {@code UtteranceEnd} and
 * {@code Metadata} out. The session underneath is protocol v1's; this class keeps what Deepgram's
 * messages need and Riva's results do not carry:
 *
 * <ul>
 *   <li>{@code start}/{@code duration}: a result covers the audio from the end of the last final
 *       to what Riva has processed, in session time (a {@code Finalize} starts a new Riva stream,
 *       whose times start again at 0);
 *   <li>{@code speech_final}: a final Riva's endpointing made (not one the client forced);
 *   <li>{@code SpeechStarted}: the first words heard after a final;
 *   <li>{@code UtteranceEnd}: {@code utterance_end_ms} of audio after the last word with no
 *       words pending — checked on results and, because silence brings no results, on audio;
 *   <li>{@code Metadata}: the SHA-256 of the audio received and its duration.
 * </ul>
 *
 * <p>Results come on the session's result thread and audio on the socket's thread, so the state
 * is guarded by a lock; messages are written after it is released.
 */
final class ListenDialect implements SessionDialect {
    private static final System.Logger LOG = System.getLogger(ListenDialect.class.getName());

    private final ListenOptions options;
    private final String requestId;
    private final ModelInfo model;
    private final Duration idleTimeout;
    private final DeepgramSocket socket;
    private final String created = Instant.now().toString();
    private final ReentrantLock lock = new ReentrantLock();
    private final MessageDigest sha256;
    // guarded by lock
    private double cursor; // end of the last final, session seconds
    private double lastWordEnd;
    private boolean wordsSinceUtteranceEnd;
    private boolean speaking; // words heard that no final has covered yet
    private boolean finalizeAnswered;

    ListenDialect(ListenOptions options, String requestId, Duration idleTimeout, DeepgramSocket socket) {
        this.options = options;
        this.requestId = requestId;
        this.model = ModelInfo.of(options.model());
        this.idleTimeout = idleTimeout;
        this.socket = socket;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    @Override
    public ClientMessage parse(String text, ObjectMapper json) throws ProtocolException {
        JsonNode node;
        try {
            node = json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "not JSON: " + e.getOriginalMessage());
        }
        String type = node == null ? "" : node.path("type").asText("");
        return switch (type) {
            case "KeepAlive" -> new ClientMessage.Keepalive();
            case "Finalize" -> {
                locked(() -> finalizeAnswered = false);
                yield new ClientMessage.Finalize();
            }
            case "CloseStream" -> new ClientMessage.Stop();
            default ->
                throw new ProtocolException(
                        ErrorCode.INVALID_MESSAGE,
                        "unknown message type \"" + type + "\"; expected KeepAlive, Finalize or CloseStream");
        };
    }

    @Override
    public SessionConfig preset() {
        return options.session();
    }

    @Override
    public Duration idleTimeout(SessionSettings settings) {
        return settings.idleTimeout().compareTo(idleTimeout) < 0 ? settings.idleTimeout() : idleTimeout;
    }

    @Override
    public void started(SessionSocket out, String sessionId, SessionConfig config) {
        // Deepgram says nothing when a stream opens
    }

    @Override
    public void audio(SessionSocket out, byte[] bytes, int offset, int length, double audioSeconds) {
        String utteranceEnd = null;
        lock.lock();
        try {
            sha256.update(bytes, offset, length);
            if (utteranceEndDue(audioSeconds)) {
                utteranceEnd = utteranceEnd();
            }
        } finally {
            lock.unlock();
        }
        if (utteranceEnd != null) {
            out.send(utteranceEnd);
        }
    }

    @Override
    public void transcript(
            SessionSocket out,
            String sessionId,
            StreamingRecognitionResult result,
            boolean isFinal,
            double streamOffsetSeconds,
            Flush flush) {
        List<String> messages = new ArrayList<>(3);
        lock.lock();
        try {
            List<SpeechRecognitionAlternative> alternatives = result.getAlternativesList();
            List<WordInfo> words =
                    alternatives.isEmpty() ? List.of() : alternatives.getFirst().getWordsList();
            double end = streamOffsetSeconds + result.getAudioProcessed();
            for (WordInfo w : words) {
                end = Math.max(end, streamOffsetSeconds + w.getEndTime() / 1000.0);
            }
            double start = Math.min(cursor, end);
            boolean heard = !alternatives.isEmpty()
                    && !alternatives.getFirst().getTranscript().isBlank();
            if (heard) {
                if (!speaking && options.vadEvents()) {
                    // interims carry no word times: speech began after the last final
                    messages.add(ListenMessages.speechStarted(
                            words.isEmpty()
                                    ? start
                                    : streamOffsetSeconds + words.getFirst().getStartTime() / 1000.0));
                }
                speaking = true;
                wordsSinceUtteranceEnd = true;
            }
            if (!words.isEmpty()) {
                lastWordEnd = Math.max(
                        lastWordEnd, streamOffsetSeconds + words.getLast().getEndTime() / 1000.0);
            }
            if (isFinal || options.interimResults()) {
                messages.add(ListenMessages.results(
                        requestId,
                        model,
                        start,
                        end - start,
                        isFinal,
                        isFinal && flush == Flush.NONE && options.endpointing(),
                        isFinal && flush == Flush.FINALIZE,
                        alternatives,
                        streamOffsetSeconds,
                        options.extra()));
            }
            if (isFinal) {
                cursor = end;
                speaking = false;
                if (flush == Flush.FINALIZE) {
                    finalizeAnswered = true;
                }
                if (utteranceEndDue(end)) {
                    messages.add(utteranceEnd());
                }
            }
        } finally {
            lock.unlock();
        }
        messages.forEach(out::send);
    }

    /** The client's {@code Finalize} found no words to finish: Deepgram still answers, with an empty final. */
    @Override
    public void finalized(SessionSocket out, String sessionId, double audioSeconds) {
        String empty = null;
        lock.lock();
        try {
            if (!finalizeAnswered) {
                finalizeAnswered = true;
                double start = Math.min(cursor, audioSeconds);
                cursor = audioSeconds;
                empty = ListenMessages.results(
                        requestId,
                        model,
                        start,
                        audioSeconds - start,
                        true,
                        false,
                        true,
                        List.of(),
                        0,
                        options.extra());
            }
        } finally {
            lock.unlock();
        }
        if (empty != null) {
            out.send(empty);
        }
    }

    /**
     * Deepgram's API has no message for a backend that was replaced: its clients see the
     * transcript go on, which is all they need (an unknown message type could break an SDK that
     * checks them).
     */
    @Override
    public void recovered(SessionSocket out, String sessionId, int attempt, double replayedSeconds) {
        LOG.log(Level.DEBUG, "deepgram stream " + sessionId + ": backend recovered, attempt " + attempt);
    }

    @Override
    public void stopped(SessionSocket out, String sessionId, double audioSeconds) {
        List<String> messages = new ArrayList<>(2);
        lock.lock();
        try {
            if (options.utteranceEndMs() > 0 && wordsSinceUtteranceEnd) {
                messages.add(utteranceEnd());
            }
            messages.add(ListenMessages.metadata(
                    requestId,
                    HexFormat.of().formatHex(sha256.digest()),
                    created,
                    audioSeconds,
                    model,
                    options.warnings()));
        } finally {
            lock.unlock();
        }
        messages.forEach(out::send);
    }

    @Override
    public void error(SessionSocket out, String sessionId, ErrorCode code, String message) {
        // Deepgram sends no error message: one that ends the stream is the close frame's reason,
        // and a message it cannot read is ignored
        LOG.log(Level.DEBUG, "deepgram stream " + sessionId + ": " + code.wire() + " " + message);
        socket.noteError(message);
    }

    @Override
    public void goingAway(SessionSocket out, String sessionId) {
        // the close frame (1001) says it
    }

    /** Under the lock: whether the silence since the last word, up to {@code now}, makes an utterance end. */
    private boolean utteranceEndDue(double now) {
        return options.utteranceEndMs() > 0
                && wordsSinceUtteranceEnd
                && !speaking
                && (now - lastWordEnd) * 1000 >= options.utteranceEndMs();
    }

    /** Under the lock. */
    private String utteranceEnd() {
        wordsSinceUtteranceEnd = false;
        return ListenMessages.utteranceEnd(lastWordEnd);
    }

    private void locked(Runnable r) {
        lock.lock();
        try {
            r.run();
        } finally {
            lock.unlock();
        }
    }
}
