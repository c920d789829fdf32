package dev.earshot.session;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.earshot.protocol.ClientMessage;
import dev.earshot.protocol.ErrorCode;
import dev.earshot.protocol.ProtocolException;
import dev.earshot.protocol.SessionConfig;
import dev.earshot.riva.RetryPolicy;
import dev.earshot.riva.RivaErrors;
import dev.earshot.riva.RivaRequests;
import dev.earshot.riva.RivaStream;
import io.grpc.Status;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionResult;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;

/**
 * One transcription session: a WebSocket on one side, a Riva {@code StreamingRecognize} call on
 * the other. The socket's thread hands audio straight to Riva. The Riva call is opened with the
 * first audio, not at {@code start_transcription}; what Riva sends back goes through a
 * {@link ResultRelay}, which writes it on the socket's thread when the answer came during the
 * call that sent the audio, else on a virtual thread of the stream's own: a session that is
 * connected but silent holds no Riva stream, no decoder and no thread of its own. Timers (idle,
 * maximum duration, a vanished client, a Riva stream that stopped moving) are kept by the
 * {@link SessionReaper}.
 *
 * <p>A Riva stream that fails in a way the next one may not ({@link RivaErrors#retryable}), ends
 * before the audio did, or stops moving (the watchdog) is replaced: after a backoff the session
 * opens a new stream with the same configuration and replays the audio no final result has
 * covered yet, kept by an {@link AudioFeed}; the new stream's times are moved to the session's
 * ({@link ResultTimes}), and once it answers the client hears {@code backend_recovered}. After
 * {@code riva.retry.max-attempts} failures with no final between them the session gives up: the
 * last interim is sent as final, then the error.
 *
 * <p>A protocol v1 session outlives a connection that drops (no close frame, or 1001): its
 * {@link ResumableSocket} is detached, the Riva stream goes on, events go to its log, and for
 * {@code sessions.resume-grace} a client with the session's resume token may take it over
 * ({@link #resume}). Meanwhile it keeps its registry slot and its principal's quota slot.
 *
 * <p>Every way out goes through {@link #end}, which runs once, whichever thread gets there
 * first: the client is told why, the Riva call is cancelled, the registry slot is freed and the
 * outcome counted.
 */
public final class Session {
    private static final System.Logger LOG = System.getLogger(Session.class.getName());
    private static final int MAX_QUEUED_RESULTS = 1024;
    /** How long one wait for room in Riva's buffer lasts before the session checks its limits again. */
    private static final long WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(500);
    /** A client counts as real-time while it has sent at most this much more audio than time has passed. */
    private static final double REAL_TIME_SLACK_SECONDS = 2.0;

    private enum State {
        NEW,
        STARTED,
        STREAMING,
        /** The client asked for the current utterance's final: the stream is half-closed, the session goes on. */
        FINALIZING,
        STOPPING
    }

    private sealed interface Event {}

    private record RivaResult(RivaStream stream, StreamingRecognizeResponse response) implements Event {}

    private record RivaClosed(RivaStream stream, Status status) implements Event {}

    /** The wait after a failure is over: the next stream may open. */
    private record Reopen(int attempt) implements Event {}

    /** The stream is near {@code riva.max-stream-duration} and no final came: replace it now. */
    private record Rotate(RivaStream stream) implements Event {}

    /** A stream that took over and has not answered yet, and what the client will be told once it does. */
    private record Recovery(int attempt, double replayedSeconds) {}

    private final String id;
    private final String owner;
    private final SessionSocket socket;
    private final SessionContext ctx;
    private final SessionDialect dialect;
    private final StreamRotation rotation;
    /** The socket, when it can be resumed after its connection drops (protocol v1); else null. */
    private final ResumableSocket resumable;
    /** Held by the connection that speaks for the session while it hands one message in; null when not resumable. */
    private final ReentrantLock inbound;

    private volatile Runnable onEnd; // gives the principal's quota slot back
    private static final VarHandle ENDED;
    private static final VarHandle QUEUED_RESULTS;
    private static final VarHandle STATE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ENDED = lookup.findVarHandle(Session.class, "ended", boolean.class);
            QUEUED_RESULTS = lookup.findVarHandle(Session.class, "queuedResults", int.class);
            STATE = lookup.findVarHandle(Session.class, "state", State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // plain fields with VarHandles rather than Atomic* objects: an idle session should cost little
    private final long startedAtMillis = System.currentTimeMillis();
    private final long openedNanos = System.nanoTime();
    private volatile boolean ended;
    private volatile int queuedResults;
    private volatile State state = State.NEW;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile SessionConfig config;
    private volatile long audioBytes;
    private volatile AudioFeed feed; // created with the Riva stream; holds it and the audio to replay
    private volatile ResultRelay<Event> relay; // created with the Riva stream
    private TranscriptMapper mapper; // used only under the relay's write lock
    private volatile long streamStartByte; // where the current recognition began in the session's audio
    private volatile double streamOffsetSeconds; // the same, in seconds
    private volatile long streamOpenedNanos; // when the current Riva stream opened (riva.max-stream-duration)
    private List<byte[]> held; // audio that came while a stream was finalizing (the socket's thread only)
    private long firstAudioNanos;
    private boolean firstResultSeen;
    private volatile boolean configAccepted; // a Riva stream has answered: its refusals are no longer about the start
    // the relay's writing thread only: the Riva stream's failures and their recovery
    private double shiftSeconds; // the current Riva stream began this much after the recognition did
    private boolean recovering; // a failed stream is being replaced: its late events are stale
    private int failuresInARow; // with no final between them
    private Recovery unannounced;
    // the reaper's thread only: the watchdog, and the stream it asked to replace at its age limit
    private RivaStream rotationAsked;
    private RivaStream watched;
    private long watchedProgress;
    private long watchedSince;

    /** A protocol v1 session. */
    public Session(String id, SessionSocket socket, SessionContext ctx) {
        this(id, "", socket, ctx, ProtocolV1Dialect.INSTANCE);
    }

    /** A session whose messages are written in {@code dialect}, not opened for any principal. */
    public Session(String id, SessionSocket socket, SessionContext ctx, SessionDialect dialect) {
        this(id, "", socket, ctx, dialect);
    }

    /**
     * A session opened for {@code owner}: the id of the principal that authenticated the upgrade
     * ({@code dev.earshot.auth.Principal#id()}), which {@code GET /api/v1/sessions} lists it to,
     * whose messages are written in {@code dialect}.
     */
    public Session(String id, String owner, SessionSocket socket, SessionContext ctx, SessionDialect dialect) {
        this.id = id;
        this.owner = owner;
        this.socket = socket;
        this.ctx = ctx;
        this.dialect = dialect;
        Duration streamLimit = ctx.riva().maxStreamDuration();
        this.rotation = streamLimit.isZero() ? StreamRotation.NEVER : new StreamRotation(streamLimit);
        this.resumable = socket instanceof ResumableSocket r ? r : null;
        this.inbound = resumable == null ? null : new ReentrantLock();
    }

    /**
     * Runs {@code action} once when the session ends, however it ends: the quota slot of the
     * principal that opened it, which a detached session keeps. Call before {@link #open}.
     */
    public void onEnd(Runnable action) {
        onEnd = action;
    }

    public String id() {
        return id;
    }

    /** Who opened the session (the principal's id; empty for sessions without one). */
    public String owner() {
        return owner;
    }

    public Instant startedAt() {
        return Instant.ofEpochMilli(startedAtMillis);
    }

    /** Seconds of audio received so far. */
    public double audioSeconds() {
        SessionConfig c = config;
        return c == null ? 0 : (double) audioBytes / c.bytesPerSecond();
    }

    /**
     * Joins the registry; a refused session is told why and closed.
     *
     * @return whether the session was admitted
     */
    public boolean open() {
        SessionRegistry.Admission admission = ctx.registry().admit(id, this);
        String refusal = switch (admission) {
            case ADMITTED -> null;
            case DUPLICATE_ID -> refuse(ErrorCode.SESSION_EXISTS, "a session with id " + id + " is already open");
            case FULL ->
                refuse(
                        ErrorCode.CAPACITY_EXCEEDED,
                        "the server is at its limit of " + ctx.registry().capacity() + " sessions; try again later");
            case DRAINING -> refuse(ErrorCode.CAPACITY_EXCEEDED, "this replica is draining; try another replica");
        };
        if (refusal != null) {
            ended = true;
            runOnEnd();
            ctx.metrics().sessionEnded("refused_" + admission.name().toLowerCase(Locale.ROOT), 0);
            return false;
        }
        LOG.log(Level.DEBUG, "session=" + id + " opened");
        SessionConfig preset = dialect.preset();
        if (preset != null) {
            start(preset);
        }
        return true;
    }

    private String refuse(ErrorCode code, String message) {
        LOG.log(Level.INFO, "session=" + id + " refused: " + code.wire());
        dialect.error(socket, id, code, message);
        socket.closeAfter(code);
        return code.wire();
    }

    // ---- the socket's thread ------------------------------------------------------------

    /** A text frame from the client. */
    public void onText(String text) {
        if (ended) {
            return;
        }
        if (overTextLimit(text)) {
            onOversized(false);
            return;
        }
        try {
            switch (dialect.parse(text, ctx.json())) {
                case ClientMessage.Start start -> start(start.config());
                case ClientMessage.Audio audio -> audio(audio.data(), 0, audio.data().length);
                case ClientMessage.Keepalive k -> lastActivityNanos = System.nanoTime();
                case ClientMessage.Finalize f -> finalizeUtterance();
                case ClientMessage.Stop s -> stop();
            }
        } catch (ProtocolException e) {
            dialect.error(socket, id, e.code(), e.getMessage());
        }
    }

    /** Whether a message is over the text limit in UTF-8 bytes; encodes it only when in doubt. */
    private boolean overTextLimit(String text) {
        int max = ctx.settings().maxTextBytes();
        if (text.length() > max) {
            return true; // every char is at least one byte
        }
        return (long) text.length() * 3 > max // and at most three
                && text.getBytes(StandardCharsets.UTF_8).length > max;
    }

    /**
     * A binary frame: audio, {@code length} bytes of {@code bytes} from {@code offset}. The bytes
     * become the session's (they go to Riva without a copy): the caller must not reuse them.
     */
    public void onBinary(byte[] bytes, int offset, int length) {
        if (ended) {
            return;
        }
        if (length > ctx.settings().maxBinaryBytes()) {
            onOversized(true);
            return;
        }
        audio(bytes, offset, length);
    }

    /** A message over the size limit: the session ends with {@code message_too_large} and 1009. */
    public void onOversized(boolean binary) {
        end(
                ErrorCode.MESSAGE_TOO_LARGE,
                binary
                        ? "binary messages are limited to " + ctx.settings().maxBinaryBytes() + " bytes"
                        : "text messages are limited to " + ctx.settings().maxTextBytes() + " bytes");
    }

    /** The client closed the socket or the connection broke: nobody to tell. */
    public void onClientGone() {
        finish("client_closed");
    }

    /**
     * The connection that wrote to {@code connection} has ended. A resumable session that has
     * told its client the resume token and lost the connection without a clean close
     * ({@code dropped}) waits for a resume; one whose connection a resume has taken over already
     * goes on; any other ends as {@link #onClientGone()} does.
     */
    public void onClientGone(SessionSocket connection, boolean dropped) {
        if (resumable == null) {
            onClientGone();
            return;
        }
        if (dropped && canWait() && resumable.detach(connection)) {
            LOG.log(
                    Level.INFO,
                    "session=" + id + " connection dropped; waiting "
                            + ctx.settings().resumeGrace() + " for a resume");
            return;
        }
        if (resumable.isAttached(connection)) {
            finish("client_closed");
        }
    }

    /** Whether the session may go on without a connection: it was started (the client has its token) and allows a wait. */
    private boolean canWait() {
        return !ended && state != State.NEW && ctx.settings().resumeGrace().isPositive();
    }

    /**
     * Whether {@code token} resumes this session: it can be resumed, has not ended, and the token
     * is its own (compared in constant time).
     */
    public boolean resumableWith(String token) {
        return resumable != null && !ended && resumable.tokenMatches(token);
    }

    /**
     * Whether the session can be resumed at all: a protocol v1 session that has not ended, on a
     * gateway with a resume grace. With {@code sessions.resume-grace} 0 there is no resume, even
     * by a client back before its old connection was seen to drop: that connection's end ends the
     * session at once.
     */
    public boolean resumable() {
        return resumable != null && !ended && ctx.settings().resumeGrace().isPositive();
    }

    /**
     * Before a message from the connection that writes to {@code connection} is handed in: true
     * when that connection speaks for the session (then call {@link #exit()} after the message),
     * false when a resume has taken the session over or the connection was detached. One message
     * at a time, so that a resume sees every byte an old connection handed in counted.
     */
    public boolean enter(SessionSocket connection) {
        if (inbound == null) {
            return true;
        }
        inbound.lock();
        if (resumable.isAttached(connection)) {
            return true;
        }
        inbound.unlock();
        return false;
    }

    /** After a message {@link #enter} let in. */
    public void exit() {
        if (inbound != null) {
            inbound.unlock();
        }
    }

    /**
     * A client resumes the session on a new connection that writes to {@code connection}, having
     * seen the events up to {@code lastSeq}: it is told how much audio the session has (it sends
     * the rest again from there) and sent the events it missed, and the session goes on with it.
     * When the missed events are not all kept, or the session ended meanwhile, it gets
     * {@code resume_failed} and the session ends.
     */
    public void resume(SessionSocket connection, long lastSeq) {
        if (resumable == null) {
            dialect.error(connection, id, ErrorCode.RESUME_FAILED, "this session cannot be resumed");
            connection.closeAfter(ErrorCode.RESUME_FAILED);
            return;
        }
        resumable.dropAttached(); // a client back before its old connection was seen to drop
        inbound.lock(); // waits for the old connection's message in progress, if any
        try {
            long now = System.nanoTime();
            long away = resumable.detachedNanos(now);
            ResumableSocket.Attach result =
                    ended ? ResumableSocket.Attach.GONE : resumable.attach(connection, id, lastSeq, audioBytes);
            switch (result) {
                case RESUMED -> {
                    lastActivityNanos = now;
                    if (firstAudioNanos != 0) {
                        firstAudioNanos += away; // time away is not audio Riva fell behind on
                    }
                    LOG.log(
                            Level.INFO,
                            "session=" + id + " resumed after "
                                    + Duration.ofNanos(away).toMillis() + " ms from event " + lastSeq + " at "
                                    + audioBytes + " bytes");
                }
                case EVENTS_LOST -> {
                    dialect.error(
                            connection,
                            id,
                            ErrorCode.RESUME_FAILED,
                            "the events after " + lastSeq + " are no longer all kept (sessions.resume-buffer-bytes); "
                                    + "start a new session");
                    connection.closeAfter(ErrorCode.RESUME_FAILED);
                    if (endsNow()) {
                        socket.closeAfter(ErrorCode.RESUME_FAILED);
                        cleanUp(ErrorCode.RESUME_FAILED.wire());
                    }
                }
                case GONE -> {
                    dialect.error(connection, id, ErrorCode.RESUME_FAILED, "the session has ended");
                    connection.closeAfter(ErrorCode.RESUME_FAILED);
                }
            }
        } finally {
            inbound.unlock();
        }
    }

    /**
     * The server is draining: tell the client and close with 1001. Called for every session by
     * the one shutdown thread, so the writes go to a thread of this session's own: a client that
     * does not read cannot hold up the others' {@code going_away}.
     *
     * @return the thread writing the goodbye, to wait for before the server stops; empty when
     *     the session had already ended
     */
    public Optional<Thread> goAway() {
        if (!endsNow()) {
            return Optional.empty();
        }
        cleanUp("going_away");
        socket.abortAfter(ctx.settings().writeTimeout());
        return Optional.of(
                Thread.ofVirtual().name("session-" + id + "-going-away").start(() -> {
                    dialect.goingAway(socket, id);
                    socket.closeGoingAway();
                }));
    }

    private void start(SessionConfig requested) {
        if (state != State.NEW) {
            dialect.error(socket, id, ErrorCode.ALREADY_STARTED, "transcription has already been started");
            return;
        }
        if (!ctx.models().allows(requested.model())) {
            dialect.error(
                    socket,
                    id,
                    ErrorCode.INVALID_CONFIG,
                    "model " + requested.model() + " is not allowed here (riva.allowed-models: "
                            + String.join(
                                    ", ", new java.util.TreeSet<>(ctx.models().models())) + ")");
            return;
        }
        lastActivityNanos = System.nanoTime();
        config = requested;
        state = State.STARTED;
        dialect.started(socket, id, requested);
        LOG.log(
                Level.DEBUG,
                "session=" + id + " started " + requested.language() + " " + requested.encoding() + " "
                        + requested.sampleRateHertz() + " Hz");
    }

    private void audio(byte[] bytes, int offset, int length) {
        lastActivityNanos = System.nanoTime();
        if (state == State.NEW) {
            dialect.error(socket, id, ErrorCode.NOT_STARTED, "send start_transcription before audio");
            return;
        }
        if (length == 0 || state == State.STOPPING) {
            return;
        }
        if (state == State.FINALIZING) {
            hold(bytes, offset, length);
            return;
        }
        if (state == State.STARTED) {
            openRiva();
            if (!sendHeld()) {
                return;
            }
        }
        send(bytes, offset, length);
    }

    /** Sends a chunk to the open stream; false when the session ended (or its stream was refused just now). */
    private boolean send(byte[] bytes, int offset, int length) {
        if (firstAudioNanos == 0) {
            firstAudioNanos = System.nanoTime();
        }
        // the frame's bytes are this session's own (see onBinary): no copy needed, to send or to keep
        ByteString chunk = UnsafeByteOperations.unsafeWrap(bytes, offset, length);
        RivaStream stream;
        try {
            // kept for a replay until a final covers it; waits while a failed stream is replaced and the feed is full
            stream = feed.add(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping
            return false;
        }
        if (stream == null) {
            return false; // the session ended, or Riva refused the configuration just now
        }
        audioBytes += length;
        dialect.audio(socket, bytes, offset, length, audioSeconds());
        if (!sendOrWait(stream, chunk)) {
            return false;
        }
        relay.deliverPending(); // an embedded recognizer may have answered already
        return true;
    }

    /** Keeps audio that came while the last stream was finalizing, for the next stream. */
    private void hold(byte[] bytes, int offset, int length) {
        if (held == null) {
            held = new ArrayList<>();
        }
        held.add(offset == 0 && length == bytes.length ? bytes : Arrays.copyOfRange(bytes, offset, offset + length));
        long heldBytes = held.stream().mapToLong(b -> b.length).sum();
        if (heldBytes > (long) config.bytesPerSecond() * ctx.settings().bufferSeconds()) {
            end(
                    ErrorCode.OVERLOADED,
                    "the recognizer is more than " + ctx.settings().bufferSeconds() + " s behind the audio");
        }
    }

    /** Sends the audio held while the previous stream finalized to the stream just opened. */
    private boolean sendHeld() {
        List<byte[]> chunks = held;
        held = null;
        if (chunks != null) {
            for (byte[] chunk : chunks) {
                if (!send(chunk, 0, chunk.length)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Hands a chunk to Riva, waiting while its buffer is full: this thread reads the client's
     * socket, so while it waits the client is slowed down by TCP and nothing is lost. The wait
     * ends the session only when a client that streams at real-time pace (it cannot be slowed
     * down) is more than {@code sessions.max-lag} ahead of what Riva took ({@code overloaded}). A
     * Riva that takes nothing at all is the watchdog's ({@link #checkTimers}): the stream is
     * replaced, and the wait on it ends (the chunk is in the replay).
     *
     * @return whether the session goes on
     */
    private boolean sendOrWait(RivaStream stream, ByteString chunk) {
        try {
            while (!stream.send(chunk, WAIT_SLICE_NANOS)) {
                if (ended) {
                    return false;
                }
                long now = System.nanoTime();
                lastActivityNanos = now; // the client is here; Riva is the one behind
                relay.deliverPending();
                if (tooFarBehindARealTimeClient(now, feed.streamStart() + stream.bytesOut())) {
                    end(
                            ErrorCode.OVERLOADED,
                            "the recognizer is more than " + ctx.settings().maxLag() + " behind the audio");
                    return false;
                }
            }
            return !ended;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping
            return false;
        }
    }

    /**
     * Whether a client streaming at real-time pace or slower is more than {@code sessions.max-lag} ahead of Riva.
     *
     * @param bytesTakenByRiva the offset in the session's audio up to which Riva took it
     */
    private boolean tooFarBehindARealTimeClient(long nowNanos, long bytesTakenByRiva) {
        Duration maxLag = ctx.settings().maxLag();
        if (maxLag.isZero()) {
            return false;
        }
        double bytesPerSecond = config.bytesPerSecond();
        double wallSeconds = (nowNanos - firstAudioNanos) / 1e9;
        boolean realTime = audioBytes / bytesPerSecond <= wallSeconds + REAL_TIME_SLACK_SECONDS;
        return realTime && wallSeconds - bytesTakenByRiva / bytesPerSecond > maxLag.toNanos() / 1e9;
    }

    /**
     * The first audio (of the session, or after a finalized utterance): opens the Riva call, the
     * feed that keeps its audio for a replay, and the relay that brings its answers back.
     */
    private void openRiva() {
        mapper = new TranscriptMapper();
        long start = audioBytes;
        streamStartByte = start;
        streamOffsetSeconds = audioSeconds();
        shiftSeconds = 0;
        recovering = false;
        failuresInARow = 0;
        unannounced = null;
        state = State.STREAMING;
        ResultRelay<Event> results = new ResultRelay<>(Thread.currentThread(), "session-" + id, this::handle);
        relay = results;
        int frame = ctx.riva().retry().maxAttempts() > 1 ? config.bytesPerFrame() : 0; // 0: keep nothing
        int tenth = config.bytesPerSecond() / 10; // a replay goes out in 100 ms requests, as clients send
        AudioFeed opened = new AudioFeed(start, frame, bufferBytes(), frame > 0 ? tenth - tenth % frame : tenth);
        feed = opened;
        streamOpenedNanos = System.nanoTime();
        opened.reopen(() -> openStream(opened, results));
    }

    /** Audio a session may hold for Riva ({@code sessions.buffer-seconds}). */
    private long bufferBytes() {
        return (long) config.bytesPerSecond() * ctx.settings().bufferSeconds();
    }

    /** Opens a Riva call that {@code into} feeds and whose answers go through {@code results}. */
    private RivaStream openStream(AudioFeed into, ResultRelay<Event> results) {
        return ctx.riva().stream(RivaRequests.streaming(config), bufferBytes(), new RivaStream.Listener() {
            private RivaStream self;

            @Override
            public void onOpen(RivaStream stream) {
                self = stream;
                into.attach(stream);
            }

            @Override
            public void onResponse(StreamingRecognizeResponse response) {
                if ((int) QUEUED_RESULTS.getAndAdd(Session.this, 1) >= MAX_QUEUED_RESULTS) {
                    // on gRPC's event loop, shared by every session: never write to the client here
                    slowConsumer(MAX_QUEUED_RESULTS + " results are waiting for the client to read them");
                    return;
                }
                results.offer(new RivaResult(self, response));
            }

            @Override
            public void onClose(Status status) {
                results.offer(new RivaClosed(self, status));
            }
        });
    }

    /** The Riva stream audio goes to now (it may have failed and be about to be replaced); null before the first. */
    private RivaStream stream() {
        AudioFeed f = feed;
        return f == null ? null : f.stream();
    }

    /**
     * The client wants the current utterance's final now and will go on talking: the Riva stream
     * is half-closed, so Riva finishes what it heard; when it has, the session is back to
     * {@code STARTED} and the next audio opens a new stream (audio that comes meanwhile is held
     * for it). Riva has no "finish this utterance" request, so a new stream is the only way.
     */
    private void finalizeUtterance() {
        lastActivityNanos = System.nanoTime();
        if (state == State.STARTED && held == null) { // no audio since the last stream ended: nothing to finish
            dialect.finalized(socket, id, audioSeconds());
            return;
        }
        if (state != State.STREAMING) {
            return; // not started, audio held for the next stream, or already finishing
        }
        state = State.FINALIZING;
        RivaStream stream = stream();
        if (stream != null) {
            stream.halfClose();
            relay.deliverPending();
        }
    }

    private void stop() {
        switch (state) {
            case NEW ->
                dialect.error(socket, id, ErrorCode.NOT_STARTED, "nothing to stop: transcription was not started");
            case STARTED -> { // no audio since the last stream ended: nothing to wait for
                if (held != null) { // audio came while the last stream finalized: it is heard first
                    openRiva();
                    if (!sendHeld()) {
                        return;
                    }
                    stop();
                    return;
                }
                state = State.STOPPING;
                if (endsNow()) {
                    dialect.stopped(socket, id, audioSeconds());
                    socket.closeNormally("transcription stopped");
                    cleanUp("completed");
                }
            }
            case STREAMING -> {
                state = State.STOPPING;
                RivaStream stream = stream(); // a stream that takes over later is half-closed by reopen
                if (stream != null) {
                    stream.halfClose();
                    relay.deliverPending();
                }
            }
            case FINALIZING -> { // the half-closed stream's end ends the session, unless it ended just now
                if (!STATE.compareAndSet(this, State.FINALIZING, State.STOPPING)) {
                    stop();
                }
            }
            case STOPPING -> {}
        }
    }

    // ---- timers (the reaper's thread, shared by every session: it never writes) ----------

    /**
     * Ends the session if its client stopped reading, it lost its client, lasted too long, was
     * never started, or has been idle, and watches its Riva stream. The reaper serves every
     * session, so the ending is decided here and written to the client by
     * {@link #endFromSharedThread}.
     */
    void checkTimers(long nowNanos) {
        if (ended) {
            return;
        }
        SessionSettings settings = ctx.settings();
        if (resumable != null && resumable.detached()) {
            waitForResume(nowNanos, settings);
            return;
        }
        if (socket.writeBlockedNanos(nowNanos) >= settings.writeTimeout().toNanos()) {
            slowConsumer("a write to the client was blocked for " + settings.writeTimeout());
        } else if (!socket.isOpen()) {
            if (resumable != null && canWait()) {
                return; // the connection's thread detaches the session once it sees the drop
            }
            if (endsNow()) {
                cleanUp("client_gone");
                Thread.ofVirtual().name("session-" + id + "-gone").start(() -> socket.closeNormally("client_gone"));
            }
        } else if (nowNanos - openedNanos >= settings.maxDuration().toNanos()) {
            endFromSharedThread(
                    ErrorCode.SESSION_TIMEOUT, "the session reached its maximum duration of " + settings.maxDuration());
        } else if (state == State.NEW
                && nowNanos - openedNanos >= settings.startTimeout().toNanos()) {
            endFromSharedThread(ErrorCode.IDLE_TIMEOUT, "no start_transcription within " + settings.startTimeout());
        } else if (nowNanos - lastActivityNanos >= dialect.idleTimeout(settings).toNanos()) {
            endFromSharedThread(ErrorCode.IDLE_TIMEOUT, "no audio or keepalive for " + dialect.idleTimeout(settings));
        } else {
            watchRiva(nowNanos);
            rotateAtAgeLimit(nowNanos);
        }
    }

    /**
     * A stream near {@code riva.max-stream-duration} that had no final to move on after
     * ({@link StreamRotation#dueAnyway}) is replaced by the relay's thread: this thread only asks,
     * once per stream.
     */
    private void rotateAtAgeLimit(long nowNanos) {
        if (!rotation.enabled() || !streamOpen()) {
            return;
        }
        AudioFeed f = feed;
        RivaStream stream = f == null ? null : f.stream();
        if (stream == null || stream == rotationAsked || recovering || !f.replayable()) {
            return;
        }
        if (rotation.dueAnyway(streamAge(f, nowNanos), audioDuration(f.keptBytes()))) {
            rotationAsked = stream;
            relay.offer(new Rotate(stream));
        }
    }

    /** Whether the session has a Riva stream for its audio (which may be finishing after stop or finalize). */
    private boolean streamOpen() {
        State now = state;
        return now == State.STREAMING || now == State.FINALIZING || now == State.STOPPING;
    }

    private Duration streamAge(AudioFeed f, long nowNanos) {
        return StreamRotation.age(streamOpenedNanos, nowNanos, audioDuration(f.streamBytes()));
    }

    private Duration audioDuration(long bytes) {
        return Duration.ofNanos(Math.round(bytes * 1e9 / config.bytesPerSecond()));
    }

    /**
     * A detached session: it ends ({@code resume_expired}, slot freed) once nobody resumed it within
     * {@code sessions.resume-grace}, or at its maximum duration; meanwhile its Riva stream is
     * watched as ever, so a stream that fails while the client is away is recovered.
     */
    private void waitForResume(long nowNanos, SessionSettings settings) {
        if (resumable.expire(nowNanos, settings.resumeGrace())
                || nowNanos - openedNanos >= settings.maxDuration().toNanos()) {
            if (endsNow()) {
                LOG.log(Level.INFO, "session=" + id + " not resumed within " + settings.resumeGrace());
                socket.closeNormally("resume_expired");
                cleanUp("resume_expired");
            }
            return;
        }
        watchRiva(nowNanos);
        rotateAtAgeLimit(nowNanos);
    }

    /**
     * The watchdog: a stream that owes Riva audio, or waits for Riva's last answers, and sees Riva
     * take nothing and answer nothing for {@code riva.response-timeout} has a backend that went
     * away without a word (a connection that died without a reset, a hung server). It is reported
     * as failed ({@code DEADLINE_EXCEEDED}) through the relay, whose thread replaces it: this
     * thread only decides.
     */
    private void watchRiva(long nowNanos) {
        RivaStream stream = stream();
        if (stream == null || !stream.awaitingRiva()) {
            watched = null;
            return;
        }
        long progress = stream.progress();
        if (stream != watched || progress != watchedProgress) {
            watched = stream;
            watchedProgress = progress;
            watchedSince = nowNanos;
            return;
        }
        Duration timeout = ctx.riva().responseTimeout();
        if (nowNanos - watchedSince >= timeout.toNanos()) {
            watchedSince = nowNanos; // once per timeout, should the stream's replacement be late
            relay.offer(new RivaClosed(
                    stream,
                    Status.DEADLINE_EXCEEDED.withDescription(
                            "the stream took no audio and sent nothing for " + timeout)));
        }
    }

    /**
     * The client does not read what it is sent. The session ends at once (its Riva stream and
     * slot are freed); the error and the 1008 close are written on a thread of this session's
     * own, and the connection is dropped a write timeout later if they cannot be.
     */
    private void slowConsumer(String why) {
        if (endsNow()) {
            LOG.log(Level.WARNING, "session=" + id + " slow consumer: " + why);
            cleanUp(ErrorCode.SLOW_CONSUMER.wire());
            socket.abortAfter(ctx.settings().writeTimeout());
            Thread.ofVirtual().name("session-" + id + "-slow").start(() -> {
                dialect.error(socket, id, ErrorCode.SLOW_CONSUMER, why);
                socket.closeAfter(ErrorCode.SLOW_CONSUMER);
            });
        }
    }

    /**
     * {@link #end} for threads that serve every session (the reaper, gRPC's event loop): decides
     * at once and writes on a thread of this session's own, so one client that does not read
     * never holds up the rest.
     */
    private void endFromSharedThread(ErrorCode code, String message) {
        if (endsNow()) {
            cleanUp(code.wire());
            socket.abortAfter(ctx.settings().writeTimeout());
            Thread.ofVirtual().name("session-" + id + "-end").start(() -> {
                dialect.error(socket, id, code, message);
                socket.closeAfter(code);
            });
        }
    }

    // ---- what Riva sends back (the relay's writing thread) --------------------------------

    private void handle(Event event) {
        if (ended) {
            return;
        }
        try {
            switch (event) {
                case RivaResult r -> {
                    QUEUED_RESULTS.getAndAdd(this, -1);
                    if (r.stream() == current()) {
                        heard(r.response());
                    }
                }
                case RivaClosed c -> {
                    if (c.stream() == current()) { // a stream given up on since is not this session's concern
                        rivaClosed(c.stream(), c.status());
                    }
                }
                case Reopen o -> reopen(o.attempt());
                case Rotate r -> {
                    if (r.stream() == current() && streamOpen()) {
                        rotate("no final by nine tenths of riva.max-stream-duration");
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "session=" + id + " failed", e);
            end(ErrorCode.INTERNAL, "internal error");
        }
    }

    /** The stream whose events count: none while a failed one is being replaced. */
    private RivaStream current() {
        return recovering ? null : feed.stream();
    }

    /**
     * What the current stream answered: its times moved to the recognition's, the audio a final
     * covered let go from the replay, the results sent on.
     */
    private void heard(StreamingRecognizeResponse response) {
        configAccepted = true;
        if (unannounced != null) {
            announceRecovery();
        }
        StreamingRecognizeResponse shifted = ResultTimes.shift(response, shiftSeconds);
        AudioFeed f = feed;
        f.processed(offsetOf(ResultTimes.processed(shifted))); // before the client hears of it
        boolean finalSent = false;
        for (TranscriptMapper.Emit emit : mapper.accept(shifted)) {
            if (emit.isFinal()) {
                failuresInARow = 0;
                finalSent = true;
                f.release(offsetOf(ResultTimes.end(emit.result())));
            }
            send(emit);
        }
        if (finalSent
                && rotation.enabled() // before the age, which takes the feed's lock
                && streamOpen() // also while the stream finishes after stop: its end may be far off
                && f.replayable() // else the audio after the final would not reach the next stream
                && rotation.dueAtFinal(streamAge(f, System.nanoTime()))) {
            rotate("an utterance ended after three quarters of riva.max-stream-duration");
        }
    }

    /**
     * The current stream is near the backend's limit ({@code riva.max-stream-duration}): the next
     * one takes over as after a failure, with the audio no final covered given to it first, but
     * without a wait, without {@code backend_recovered} (nothing failed), and with the old stream
     * cancelled first, so that an embedded recognizer's decoder is free for the next.
     */
    private void rotate(String why) {
        AudioFeed f = feed;
        RivaStream old = f.stream();
        AudioFeed.Replay replay = f.reopen(() -> {
            old.cancel("replaced: " + why);
            return openStream(f, relay);
        });
        if (replay == null) {
            return; // the session is ending
        }
        mapper.reset(); // the old stream's last interim is heard again from the replay
        streamOpenedNanos = System.nanoTime();
        shiftSeconds = (double) (replay.startByte() - streamStartByte) / config.bytesPerSecond();
        ctx.metrics().streamRotated();
        LOG.log(
                Level.INFO,
                "session=" + id + " moved to a new Riva stream (" + why + "), "
                        + Math.round(replay.bytes() * 1000.0 / config.bytesPerSecond()) + " ms replayed");
        State now = state; // read after the new stream is in place: stop() reads them the other way round
        if (now == State.STOPPING || now == State.FINALIZING) {
            replay.stream().halfClose();
        }
    }

    /** A time of the current recognition, in its seconds, as an offset in the session's audio on a sample boundary. */
    private long offsetOf(double seconds) {
        long bytes = Math.round(seconds * config.bytesPerSecond());
        int frame = config.bytesPerFrame();
        return streamStartByte + (frame > 1 ? bytes - bytes % frame : bytes);
    }

    private void announceRecovery() {
        Recovery recovery = unannounced;
        unannounced = null;
        ctx.metrics().backendRecovered();
        LOG.log(
                Level.INFO,
                "session=" + id + " recovered onto a new Riva stream: attempt " + recovery.attempt() + ", "
                        + recovery.replayedSeconds() + " s replayed");
        dialect.recovered(socket, id, recovery.attempt(), recovery.replayedSeconds());
    }

    private void send(TranscriptMapper.Emit emit) {
        if (!firstResultSeen && firstAudioNanos != 0) {
            firstResultSeen = true;
            ctx.metrics().firstResult(Duration.ofNanos(System.nanoTime() - firstAudioNanos));
        }
        ctx.metrics().result(emit.isFinal());
        SessionDialect.Flush flush = switch (state) {
            case FINALIZING -> SessionDialect.Flush.FINALIZE;
            case STOPPING -> SessionDialect.Flush.STOP;
            default -> SessionDialect.Flush.NONE;
        };
        // Riva is always asked for word times (they say where a replay starts); not every client is
        StreamingRecognitionResult result =
                config.wordTimeOffsets() ? emit.result() : ResultTimes.withoutWords(emit.result());
        dialect.transcript(socket, id, result, emit.isFinal(), streamOffsetSeconds, flush);
    }

    /** Riva ended the current stream's call. */
    private void rivaClosed(RivaStream stream, Status status) {
        if (status.isOk() && stream.halfCloseSent()) {
            mapper.finish().forEach(this::send);
            if (state == State.FINALIZING) {
                // the client asked for this utterance's end and goes on, unless it stopped just now;
                // this stream is over either way, and the next audio opens a new one
                relay.close();
                feed.close();
                if (STATE.compareAndSet(this, State.FINALIZING, State.STARTED)) {
                    dialect.finalized(socket, id, audioSeconds());
                    return;
                }
            }
            if (endsNow()) {
                dialect.stopped(socket, id, audioSeconds());
                socket.closeNormally("transcription stopped");
                cleanUp("completed");
            }
            return;
        }
        ctx.metrics().backendError(status.getCode().name());
        if (status.isOk() || ctx.riva().retryable(status)) { // OK before the audio ended: Riva gave up early
            failed(stream, status);
            return;
        }
        ErrorCode code = RivaErrors.code(status);
        if (code == ErrorCode.INVALID_CONFIG && !configAccepted && dialect.preset() == null) {
            // Riva refused the configuration before it answered anything: the client may start again
            LOG.log(Level.WARNING, "session=" + id + " riva refused the configuration: " + RivaErrors.message(status));
            relay.close();
            feed.close();
            mapper.reset();
            state = State.NEW;
            dialect.error(socket, id, code, RivaErrors.message(status));
            return;
        }
        giveUp(status, "not retryable");
    }

    /**
     * The current stream failed in a way the next one may not: a new one opens after the backoff
     * ({@link #reopen}), unless this is the {@code riva.retry.max-attempts}-th failure with no final
     * since the last, or the audio cannot be replayed.
     */
    private void failed(RivaStream stream, Status status) {
        stream.cancel("replaced after " + status.getCode()); // a stalled stream still holds a decoder
        failuresInARow++;
        RetryPolicy retry = ctx.riva().retry();
        if (!feed.replayable()) {
            giveUp(
                    status,
                    retry.maxAttempts() == 1
                            ? "recovery is off (riva.retry.max-attempts is 1)"
                            : config.encoding() + " audio cannot be cut for a replay");
            return;
        }
        if (!retry.retriesAfter(failuresInARow)) {
            giveUp(status, failuresInARow + " failures in a row");
            return;
        }
        recovering = true;
        unannounced = null;
        lastActivityNanos = System.nanoTime(); // recovering is not idling
        int attempt = failuresInARow;
        Duration wait = retry.backoff(attempt);
        LOG.log(
                Level.INFO,
                "session=" + id + " riva stream failed: " + describe(status) + "; new stream (attempt " + attempt
                        + ") in " + wait.toMillis() + " ms");
        ResultRelay<Event> results = relay;
        Thread.ofVirtual().name("session-" + id + "-backoff").start(() -> {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return; // the server is stopping
            }
            results.offer(new Reopen(attempt));
        });
    }

    /** The backoff is over: the next stream opens, gets the audio no final covered, and takes over. */
    private void reopen(int attempt) {
        AudioFeed f = feed;
        AudioFeed.Replay replay = f.reopen(() -> openStream(f, relay));
        if (replay == null) {
            return; // the session is ending
        }
        recovering = false;
        lastActivityNanos = System.nanoTime();
        streamOpenedNanos = lastActivityNanos;
        shiftSeconds = (double) (replay.startByte() - streamStartByte) / config.bytesPerSecond();
        double replayed = Math.round(replay.bytes() * 1000.0 / config.bytesPerSecond()) / 1000.0;
        unannounced = new Recovery(attempt, replayed);
        if (replay.dropped() > 0) {
            LOG.log(
                    Level.WARNING,
                    "session=" + id + " " + replay.dropped() * 1.0 / config.bytesPerSecond()
                            + " s of audio no final covered could not be replayed (no final for more than "
                            + ctx.settings().bufferSeconds() + " s)");
        }
        State now = state; // read after the new stream is in place: stop() reads them the other way round
        if (now == State.STOPPING || now == State.FINALIZING) {
            replay.stream().halfClose();
        }
    }

    /** No new stream: the last interim goes out as final (its words are not lost), then the error. */
    private void giveUp(Status status, String why) {
        LOG.log(Level.WARNING, "session=" + id + " riva stream failed: " + describe(status) + "; " + why);
        mapper.finish().forEach(this::send);
        end(status.isOk() ? ErrorCode.BACKEND_UNAVAILABLE : RivaErrors.code(status), describe(status));
    }

    private static String describe(Status status) {
        return status.isOk() ? "Riva ended the stream before the audio did" : RivaErrors.message(status);
    }

    // ---- the one way out ----------------------------------------------------------------

    /** True for the one caller that ends the session. */
    private boolean endsNow() {
        return ENDED.compareAndSet(this, false, true);
    }

    /** Ends the session with an error event and its close code (once; later calls do nothing). */
    void end(ErrorCode code, String message) {
        if (endsNow()) {
            dialect.error(socket, id, code, message);
            socket.closeAfter(code);
            cleanUp(code.wire());
        }
    }

    /** Ends the session without telling the client (it is gone). */
    private void finish(String outcome) {
        if (endsNow()) {
            socket.closeNormally(outcome);
            cleanUp(outcome);
        }
    }

    private void runOnEnd() {
        Runnable action = onEnd;
        if (action != null) {
            action.run();
        }
    }

    private void cleanUp(String outcome) {
        AudioFeed f = feed;
        RivaStream stream = f == null ? null : f.close(); // and nothing opens after this
        if (stream != null) {
            stream.cancel("session ended");
        }
        ResultRelay<Event> results = relay;
        if (results != null) {
            results.close();
        }
        ctx.registry().remove(id, this);
        runOnEnd();
        ctx.metrics().sessionEnded(outcome, audioSeconds());
        LOG.log(Level.DEBUG, "session=" + id + " ended outcome=" + outcome);
    }
}
