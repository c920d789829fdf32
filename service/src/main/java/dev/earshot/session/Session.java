package dev.earshot.session;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.earshot.protocol.ClientMessage;
import dev.earshot.protocol.ErrorCode;
import dev.earshot.protocol.ProtocolException;
import dev.earshot.protocol.SessionConfig;
import dev.earshot.riva.RivaStream;
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

/**
 * One transcription session: a WebSocket on one side, a Riva {@code StreamingRecognize} call on
 * the other. The socket's thread hands audio straight to Riva. The Riva call is opened with the
 * first audio, not at {@code start_transcription}, by a {@link Recognition}, which keeps it (and
 * replaces it when it fails or grows old) until a finalize or stop has heard its last result;
 * what Riva sends back is written on the socket's thread when the answer came during the call
 * that sent the audio, else on a virtual thread of the recognition's own: a session that is
 * connected but silent holds no Riva stream, no decoder and no thread of its own. Timers (idle,
 * maximum duration, a vanished client, a Riva stream that stopped moving) are kept by the
 * {@link SessionReaper}.
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

    private final String id;
    private final String owner;
    private final SessionSocket socket;
    private final SessionContext ctx;
    private final SessionDialect dialect;
    /** The socket, when it can be resumed after its connection drops (protocol v1); else null. */
    private final ResumableSocket resumable;
    /** Held by the connection that speaks for the session while it hands one message in; null when not resumable. */
    private final ReentrantLock inbound;

    private volatile Runnable onEnd; // gives the principal's quota slot back
    private static final VarHandle ENDED;
    private static final VarHandle STATE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            ENDED = lookup.findVarHandle(Session.class, "ended", boolean.class);
            STATE = lookup.findVarHandle(Session.class, "state", State.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // plain fields with VarHandles rather than Atomic* objects: an idle session should cost little
    private final long startedAtMillis = System.currentTimeMillis();
    private final long openedNanos = System.nanoTime();
    private volatile boolean ended;
    private volatile State state = State.NEW;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile SessionConfig config;
    private volatile long audioBytes;
    private volatile Recognition recognition; // opened with the first audio after a start or a finalize
    private List<byte[]> held; // audio that came while a stream was finalizing (the socket's thread only)
    private long firstAudioNanos;
    private boolean firstResultSeen;
    private volatile boolean configAccepted; // Riva has answered: its refusals are no longer about the start

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
        Recognition r = recognition;
        RivaStream stream;
        try {
            // kept for a replay until a final covers it; waits while a failed stream is replaced and the feed is full
            stream = r.add(chunk);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // the server is stopping
            return false;
        }
        if (stream == null) {
            return false; // the session ended, or Riva refused the configuration just now
        }
        audioBytes += length;
        dialect.audio(socket, bytes, offset, length, audioSeconds());
        if (!sendOrWait(r, stream, chunk)) {
            return false;
        }
        r.deliverPending(); // an embedded recognizer may have answered already
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
    private boolean sendOrWait(Recognition r, RivaStream stream, ByteString chunk) {
        try {
            while (!stream.send(chunk, WAIT_SLICE_NANOS)) {
                if (ended) {
                    return false;
                }
                long now = System.nanoTime();
                lastActivityNanos = now; // the client is here; Riva is the one behind
                r.deliverPending();
                if (tooFarBehindARealTimeClient(now, r.takenBytes(stream))) {
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
     * The first audio (of the session, or after a finalized utterance): a recognition opens the
     * Riva call, the feed that keeps its audio for a replay, and the relay that brings its answers back.
     */
    private void openRiva() {
        state = State.STREAMING;
        recognition = new Recognition(new RecognitionOwner(), id, ctx, config, audioBytes);
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
        recognition.halfClose();
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
                recognition.halfClose();
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
            checkRecognition(nowNanos);
        }
    }

    /** Watches the recognition's Riva stream, and asks for a new one near the backend's limit. */
    private void checkRecognition(long nowNanos) {
        Recognition r = recognition;
        if (r != null) {
            r.checkTimers(nowNanos);
        }
    }

    /** Whether the session has a Riva stream for its audio (which may be finishing after stop or finalize). */
    private boolean streamOpen() {
        State now = state;
        return now == State.STREAMING || now == State.FINALIZING || now == State.STOPPING;
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
        checkRecognition(nowNanos);
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

    // ---- what Riva sends back (the recognition's writing thread) ---------------------------

    /** The session as its {@link Recognition} sees it. */
    private final class RecognitionOwner implements Recognition.Owner {

        @Override
        public boolean ended() {
            return ended;
        }

        @Override
        public boolean streamOpen() {
            return Session.this.streamOpen();
        }

        @Override
        public boolean finishing() {
            State now = state;
            return now == State.STOPPING || now == State.FINALIZING;
        }

        @Override
        public void accepted() {
            configAccepted = true;
        }

        @Override
        public void transcript(StreamingRecognitionResult result, boolean isFinal, double offsetSeconds) {
            if (!firstResultSeen && firstAudioNanos != 0) {
                firstResultSeen = true;
                ctx.metrics().firstResult(Duration.ofNanos(System.nanoTime() - firstAudioNanos));
            }
            ctx.metrics().result(isFinal);
            SessionDialect.Flush flush = switch (state) {
                case FINALIZING -> SessionDialect.Flush.FINALIZE;
                case STOPPING -> SessionDialect.Flush.STOP;
                default -> SessionDialect.Flush.NONE;
            };
            // Riva is always asked for word times (they say where a replay starts); not every client is
            StreamingRecognitionResult sent = config.wordTimeOffsets() ? result : ResultTimes.withoutWords(result);
            dialect.transcript(socket, id, sent, isFinal, offsetSeconds, flush);
        }

        @Override
        public void recovered(int attempt, double replayedSeconds) {
            dialect.recovered(socket, id, attempt, replayedSeconds);
        }

        @Override
        public void finished() {
            if (state == State.FINALIZING) {
                // the client asked for this utterance's end and goes on, unless it stopped just now;
                // this recognition is over either way, and the next audio opens a new one
                recognition.close("finalized");
                if (STATE.compareAndSet(Session.this, State.FINALIZING, State.STARTED)) {
                    dialect.finalized(socket, id, audioSeconds());
                    return;
                }
            }
            if (endsNow()) {
                dialect.stopped(socket, id, audioSeconds());
                socket.closeNormally("transcription stopped");
                cleanUp("completed");
            }
        }

        @Override
        public boolean refusedAtStart(ErrorCode code, String message) {
            if (configAccepted || dialect.preset() != null) {
                return false; // Riva took this configuration before, or the client never sent one
            }
            state = State.NEW;
            dialect.error(socket, id, code, message);
            return true;
        }

        @Override
        public void gaveUp(ErrorCode code, String message) {
            end(code, message);
        }

        @Override
        public void slowConsumer(String why) {
            Session.this.slowConsumer(why);
        }

        @Override
        public void activity() {
            lastActivityNanos = System.nanoTime();
        }
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
        Recognition r = recognition;
        if (r != null) {
            r.close("session ended"); // and nothing opens after this
        }
        ctx.registry().remove(id, this);
        runOnEnd();
        ctx.metrics().sessionEnded(outcome, audioSeconds());
        LOG.log(Level.DEBUG, "session=" + id + " ended outcome=" + outcome);
    }
}
