package dev.earshot.session;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.earshot.protocol.ClientMessage;
import dev.earshot.protocol.CloseCodes;
import dev.earshot.protocol.ErrorCode;
import dev.earshot.protocol.ProtocolException;
import dev.earshot.protocol.ServerEvents;
import dev.earshot.protocol.SessionConfig;
import dev.earshot.riva.RivaStream;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;

/**
 * One transcription session: a WebSocket on one side, a Riva {@code StreamingRecognize} call on
 * the other. The socket's thread hands audio straight to Riva; the session's own virtual thread
 * reads what Riva sends back, writes the events, keeps the timers, and is the one place where a
 * session ends: whatever the way out, the Riva call is cancelled, the registry slot is freed and
 * the outcome is counted, exactly once.
 */
public final class Session {
    private static final System.Logger LOG = System.getLogger(Session.class.getName());
    private static final int MAX_QUEUED_RESULTS = 1024;

    private enum State { NEW, STARTED, STOPPING, ENDED }

    private sealed interface Event {
    }

    private record RivaResult(StreamingRecognizeResponse response) implements Event {
    }

    private record RivaClosed(RivaStream stream, Status status) implements Event {
    }

    private record End(ErrorCode code, String message, String outcome) implements Event {
    }

    private record GoingAway() implements Event {
    }

    private final String id;
    private final SessionSocket socket;
    private final SessionContext ctx;
    private final Instant startedAt = Instant.now();
    private final LinkedBlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger queuedResults = new AtomicInteger();
    private final TranscriptMapper mapper = new TranscriptMapper();
    private volatile State state = State.NEW;
    private volatile long lastActivityNanos = System.nanoTime();
    private volatile RivaStream riva;
    private volatile SessionConfig config;
    private volatile long audioBytes;
    private volatile long firstAudioNanos;
    private boolean firstResultSeen;

    public Session(String id, SessionSocket socket, SessionContext ctx) {
        this.id = id;
        this.socket = socket;
        this.ctx = ctx;
    }

    public String id() {
        return id;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Seconds of audio received so far. */
    public double audioSeconds() {
        SessionConfig c = config;
        return c == null ? 0 : (double) audioBytes / c.bytesPerSecond();
    }

    /**
     * Joins the registry and starts the session's thread; a refused session is told why and closed.
     *
     * @return whether the session was admitted
     */
    public boolean open() {
        SessionRegistry.Admission admission = ctx.registry().admit(id, this);
        switch (admission) {
            case ADMITTED -> {
                Thread.ofVirtual().name("session-" + id).start(this::run);
                LOG.log(Level.DEBUG, "session=" + id + " opened");
                return true;
            }
            case DUPLICATE_ID -> refuse(ErrorCode.SESSION_EXISTS, "a session with id " + id + " is already open");
            case FULL -> refuse(ErrorCode.CAPACITY_EXCEEDED, "the server is at its limit of "
                    + ctx.registry().capacity() + " sessions; try again later");
            case DRAINING -> refuse(ErrorCode.CAPACITY_EXCEEDED, "the server is shutting down; try another replica");
        }
        ctx.metrics().sessionEnded("refused_" + admission.name().toLowerCase(java.util.Locale.ROOT), 0);
        return false;
    }

    private void refuse(ErrorCode code, String message) {
        LOG.log(Level.INFO, "session=" + id + " refused: " + code.wire());
        socket.send(ServerEvents.error(id, code, message));
        socket.close(code.closeCode(), code.wire());
    }

    // ---- the socket's thread ------------------------------------------------------------

    /** A text frame from the client. */
    public void onText(String text) {
        if (state == State.ENDED) {
            return;
        }
        if (text.length() > ctx.settings().maxTextBytes()
                || text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > ctx.settings().maxTextBytes()) {
            onOversized(false);
            return;
        }
        try {
            switch (ClientMessage.parse(text, ctx.json())) {
                case ClientMessage.Start start -> start(start.config());
                case ClientMessage.Audio audio -> audio(audio.data());
                case ClientMessage.Keepalive k -> lastActivityNanos = System.nanoTime();
                case ClientMessage.Stop s -> stop();
            }
        } catch (ProtocolException e) {
            socket.send(ServerEvents.error(id, e.code(), e.getMessage()));
        }
    }

    /** A binary frame: audio. */
    public void onBinary(byte[] data) {
        if (state == State.ENDED) {
            return;
        }
        if (data.length > ctx.settings().maxBinaryBytes()) {
            onOversized(true);
            return;
        }
        audio(data);
    }

    /** A message over the size limit: the session ends with {@code message_too_large} and 1009. */
    public void onOversized(boolean binary) {
        end(ErrorCode.MESSAGE_TOO_LARGE, binary
                ? "binary messages are limited to " + ctx.settings().maxBinaryBytes() + " bytes"
                : "text messages are limited to " + ctx.settings().maxTextBytes() + " bytes");
    }

    /** The client closed the socket or the connection broke. */
    public void onClientGone() {
        events.add(new End(null, null, "client_closed"));
    }

    /** The server is draining: tell the client and close with 1001. */
    public void goAway() {
        events.add(new GoingAway());
    }

    private void start(SessionConfig requested) {
        if (state != State.NEW) {
            socket.send(ServerEvents.error(id, ErrorCode.ALREADY_STARTED, "transcription has already been started"));
            return;
        }
        lastActivityNanos = System.nanoTime();
        config = requested;
        state = State.STARTED;
        socket.send(ServerEvents.started(id, requested));
        long buffer = (long) requested.bytesPerSecond() * ctx.settings().bufferSeconds();
        ctx.riva().stream(requested.toRiva(), buffer, new RivaStream.Listener() {
            private RivaStream self;

            @Override
            public void onOpen(RivaStream stream) {
                self = stream;
                riva = stream;
            }

            @Override
            public void onResponse(StreamingRecognizeResponse response) {
                if (queuedResults.incrementAndGet() > MAX_QUEUED_RESULTS) {
                    end(ErrorCode.OVERLOADED, "the client is not reading its results");
                    return;
                }
                events.add(new RivaResult(response));
            }

            @Override
            public void onClose(Status status) {
                events.add(new RivaClosed(self, status));
            }
        });
        LOG.log(Level.DEBUG, "session=" + id + " started " + requested.language() + " " + requested.encoding() + " "
                + requested.sampleRateHertz() + " Hz");
    }

    private void audio(byte[] data) {
        lastActivityNanos = System.nanoTime();
        if (state == State.NEW) {
            socket.send(ServerEvents.error(id, ErrorCode.NOT_STARTED, "send start_transcription before audio"));
            return;
        }
        RivaStream stream = riva;
        if (state != State.STARTED || stream == null || data.length == 0) {
            return;
        }
        if (firstAudioNanos == 0) {
            firstAudioNanos = System.nanoTime();
        }
        audioBytes += data.length;
        if (!stream.send(ByteString.copyFrom(data))) {
            end(ErrorCode.OVERLOADED, "the recognizer is more than " + ctx.settings().bufferSeconds()
                    + " s behind the audio");
        }
    }

    private void stop() {
        if (state == State.NEW) {
            socket.send(ServerEvents.error(id, ErrorCode.NOT_STARTED, "nothing to stop: transcription was not started"));
            return;
        }
        if (state == State.STARTED) {
            state = State.STOPPING;
            riva.halfClose();
        }
    }

    private void end(ErrorCode code, String message) {
        events.add(new End(code, message, code.wire()));
    }

    // ---- the session's thread -----------------------------------------------------------

    private void run() {
        String outcome = "internal";
        try {
            outcome = loop();
        } catch (InterruptedException e) {
            outcome = "interrupted";
            socket.close(CloseCodes.GOING_AWAY, "interrupted");
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "session=" + id + " failed", e);
            socket.send(ServerEvents.error(id, ErrorCode.INTERNAL, "internal error"));
            socket.close(CloseCodes.INTERNAL, "internal error");
        } finally {
            state = State.ENDED;
            RivaStream stream = riva;
            if (stream != null) {
                stream.cancel("session ended");
            }
            ctx.registry().remove(id, this);
            ctx.metrics().sessionEnded(outcome, audioSeconds());
            LOG.log(Level.DEBUG, "session=" + id + " ended outcome=" + outcome);
        }
    }

    /** Handles events until the session ends; returns the outcome. */
    private String loop() throws InterruptedException {
        long deadline = System.nanoTime() + ctx.settings().maxDuration().toNanos();
        while (true) {
            long idleDeadline = lastActivityNanos + ctx.settings().idleTimeout().toNanos();
            long wait = Math.min(idleDeadline, deadline) - System.nanoTime();
            Event event = wait > 0 ? events.poll(wait, TimeUnit.NANOSECONDS) : null;
            if (event == null) {
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    return fail(ErrorCode.SESSION_TIMEOUT, "the session reached its maximum duration of "
                            + ctx.settings().maxDuration());
                }
                if (now - (lastActivityNanos + ctx.settings().idleTimeout().toNanos()) >= 0) {
                    return fail(ErrorCode.IDLE_TIMEOUT, "no audio or keepalive for " + ctx.settings().idleTimeout());
                }
                continue;
            }
            switch (event) {
                case RivaResult r -> {
                    queuedResults.decrementAndGet();
                    deliver(r.response());
                }
                case RivaClosed c -> {
                    if (c.stream() != riva) {
                        continue;       // a stream this session already let go of
                    }
                    String outcome = rivaClosed(c.status());
                    if (outcome != null) {
                        return outcome;
                    }
                }
                case End e -> {
                    if (e.code() == null) {
                        return e.outcome();      // the client left: nobody to tell
                    }
                    return fail(e.code(), e.message());
                }
                case GoingAway g -> {
                    socket.send(ServerEvents.goingAway(id));
                    socket.close(CloseCodes.GOING_AWAY, "server shutting down");
                    return "going_away";
                }
            }
        }
    }

    private void deliver(StreamingRecognizeResponse response) {
        for (TranscriptMapper.Emit emit : mapper.accept(response)) {
            send(emit);
        }
    }

    private void send(TranscriptMapper.Emit emit) {
        if (!firstResultSeen && firstAudioNanos != 0) {
            firstResultSeen = true;
            ctx.metrics().firstResult(Duration.ofNanos(System.nanoTime() - firstAudioNanos));
        }
        ctx.metrics().result(emit.isFinal());
        socket.send(ServerEvents.transcript(id, emit.result(), emit.isFinal()));
    }

    /** Riva ended the call; returns the outcome, or null when the session goes on. */
    private String rivaClosed(Status status) {
        if (status.isOk()) {
            mapper.finish().forEach(this::send);
            socket.send(ServerEvents.stopped(id, audioSeconds()));
            socket.close(CloseCodes.NORMAL, "transcription stopped");
            return "completed";
        }
        ctx.metrics().backendError(status.getCode().name());
        String detail = "Riva " + status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
        LOG.log(Level.WARNING, "session=" + id + " riva stream failed: " + detail);
        return switch (status.getCode()) {
            case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION -> {
                // the configuration was refused: the session is back where it started
                riva = null;
                mapper.reset();
                state = State.NEW;
                socket.send(ServerEvents.error(id, ErrorCode.INVALID_CONFIG, detail));
                yield null;
            }
            case UNAUTHENTICATED, PERMISSION_DENIED -> fail(ErrorCode.UNAUTHORIZED, detail);
            case RESOURCE_EXHAUSTED -> fail(ErrorCode.CAPACITY_EXCEEDED, detail);
            default -> fail(ErrorCode.BACKEND_UNAVAILABLE, detail);
        };
    }

    private String fail(ErrorCode code, String message) {
        socket.send(ServerEvents.error(id, code, message));
        socket.close(code.closeCode(), code.wire());
        return code.wire();
    }
}
