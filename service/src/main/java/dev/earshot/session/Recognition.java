package dev.earshot.session;

import com.google.protobuf.ByteString;
import dev.earshot.protocol.ErrorCode;
import dev.earshot.protocol.SessionConfig;
import dev.earshot.riva.RetryPolicy;
import dev.earshot.riva.RivaErrors;
import dev.earshot.riva.RivaRequests;
import dev.earshot.riva.RivaStream;
import io.grpc.Status;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import nvidia.riva.asr.RivaAsr.StreamingRecognitionResult;
import nvidia.riva.asr.RivaAsr.StreamingRecognizeResponse;

/**
 * One recognition of a {@link Session}: the Riva side of the data path, from the audio that opens
 * it to the end of the stream that a finalize or stop half-closed. One Riva
 * {@code StreamingRecognize} call carries it, or, when that call fails, stops moving or grows
 * old, the next call that takes its place.
 *
 * <p>A stream that fails in a way the next one may not ({@link RivaErrors#retryable}), ends
 * before the audio did, or stops moving (the watchdog) is replaced: after a backoff a new stream
 * opens with the same configuration and is replayed the audio no final result has covered yet,
 * kept by the {@link AudioFeed}; its times are moved to the recognition's ({@link ResultTimes}),
 * and once it answers the client hears {@code backend_recovered}. After
 * {@code riva.retry.max-attempts} failures with no final between them the recognition gives up:
 * the last interim is sent as final, then the error. Near {@code riva.max-stream-duration} the
 * stream is replaced the same way, without a wait ({@link StreamRotation}).
 *
 * <p>Threads: the session's socket thread opens it and sends audio; what Riva answers is handled
 * on the {@link ResultRelay}'s writing thread (the socket's, or the relay's own); the
 * {@link SessionReaper}'s thread runs {@link #checkTimers}, which only decides and hands the
 * decision to the relay. The session is reached only through {@link Owner}.
 */
final class Recognition {
    private static final System.Logger LOG = System.getLogger(Recognition.class.getName());
    private static final int MAX_QUEUED_RESULTS = 1024;

    /** What a recognition asks of its session. */
    interface Owner {
        /** Whether the session has ended: nothing more is written. */
        boolean ended();

        /** Whether the session has a stream for its audio: streaming, or finishing after a finalize or stop. */
        boolean streamOpen();

        /** Whether the client asked for this recognition's end (finalize or stop): a stream taking over is half-closed. */
        boolean finishing();

        /** Riva answered: from now on a refusal is not about the session's configuration. */
        void accepted();

        /** A result for the client, in the times of a recognition that began {@code offsetSeconds} into the session. */
        void transcript(StreamingRecognitionResult result, boolean isFinal, double offsetSeconds);

        /** A stream that took over after a failure has answered. */
        void recovered(int attempt, double replayedSeconds);

        /** The half-closed stream ended and every result was sent. */
        void finished();

        /**
         * Riva refused the configuration: true when the session goes back to before its start
         * (the client is told and may start again), false when it cannot and the recognition gives up.
         */
        boolean refusedAtStart(ErrorCode code, String message);

        /** The recognition gave up: the session ends with this error. */
        void gaveUp(ErrorCode code, String message);

        /** Results pile up unread: the session ends at once. Called on gRPC's shared event loop. */
        void slowConsumer(String why);

        /** Recovering is not idling: the session's idle timer starts again. */
        void activity();
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

    private final Owner owner;
    private final String id;
    private final SessionContext ctx;
    private final SessionConfig config;
    private final StreamRotation rotation;
    private final long startByte; // where the recognition began in the session's audio
    private final double offsetSeconds; // the same, in seconds
    private final AudioFeed feed; // holds the stream and the audio to replay
    private final ResultRelay<Event> relay;
    private final AtomicInteger queuedResults = new AtomicInteger();
    private volatile long streamOpenedNanos; // when the current stream opened (riva.max-stream-duration)
    private volatile boolean recovering; // a failed stream is being replaced: its late events are stale
    // the relay's writing thread only
    private final TranscriptMapper mapper = new TranscriptMapper();
    private double shiftSeconds; // the current stream began this much after the recognition did
    private int failuresInARow; // with no final between them
    private Recovery unannounced;
    // the reaper's thread only: the watchdog, and the stream it asked to replace at its age limit
    private RivaStream rotationAsked;
    private RivaStream watched;
    private long watchedProgress;
    private long watchedSince;

    /**
     * Opens the first Riva stream, on the session's socket thread, which then writes the answers
     * that come while it sends audio.
     *
     * @param startByte where the recognition begins in the session's audio
     */
    Recognition(Owner owner, String id, SessionContext ctx, SessionConfig config, long startByte) {
        this.owner = owner;
        this.id = id;
        this.ctx = ctx;
        this.config = config;
        this.rotation = new StreamRotation(ctx.riva().maxStreamDuration());
        this.startByte = startByte;
        this.offsetSeconds = (double) startByte / config.bytesPerSecond();
        this.relay = new ResultRelay<>(Thread.currentThread(), "session-" + id, this::handle);
        int frame = ctx.riva().retry().maxAttempts() > 1 ? config.bytesPerFrame() : 0; // 0: keep nothing
        int tenth = config.bytesPerSecond() / 10; // a replay goes out in 100 ms requests, as clients send
        this.feed = new AudioFeed(startByte, frame, bufferBytes(), frame > 0 ? tenth - tenth % frame : tenth);
        streamOpenedNanos = System.nanoTime();
        feed.reopen(this::openStream);
    }

    // ---- the socket's thread ------------------------------------------------------------

    /**
     * Keeps a chunk for a replay until a final covers it, waiting while a failed stream is
     * replaced and the feed is full.
     *
     * @return the stream to send it to; null when the recognition is closed
     */
    RivaStream add(ByteString chunk) throws InterruptedException {
        return feed.add(chunk);
    }

    /** Writes the answers that came while the socket's thread was in a call into Riva. */
    void deliverPending() {
        relay.deliverPending();
    }

    /** The offset in the session's audio up to which Riva took {@code stream}'s audio. */
    long takenBytes(RivaStream stream) {
        return feed.streamStart() + stream.bytesOut();
    }

    /** The client wants this recognition's end: the stream is half-closed and Riva finishes what it heard. */
    void halfClose() {
        RivaStream stream = feed.stream(); // a stream that takes over later is half-closed by reopen
        if (stream != null) {
            stream.halfClose();
            relay.deliverPending();
        }
    }

    /** Ends the recognition: nothing more is opened, the stream is cancelled, queued answers dropped. */
    void close(String why) {
        RivaStream stream = feed.close();
        if (stream != null) {
            stream.cancel(why);
        }
        relay.close();
    }

    /** Audio a recognition may hold for Riva ({@code sessions.buffer-seconds}). */
    private long bufferBytes() {
        return (long) config.bytesPerSecond() * ctx.settings().bufferSeconds();
    }

    /** Opens a Riva call that the feed feeds and whose answers go through the relay. */
    private RivaStream openStream() {
        return ctx.riva().stream(RivaRequests.streaming(config), bufferBytes(), new RivaStream.Listener() {
            private RivaStream self;

            @Override
            public void onOpen(RivaStream stream) {
                self = stream;
                feed.attach(stream);
            }

            @Override
            public void onResponse(StreamingRecognizeResponse response) {
                if (queuedResults.getAndIncrement() >= MAX_QUEUED_RESULTS) {
                    // on gRPC's event loop, shared by every session: never write to the client here
                    owner.slowConsumer(MAX_QUEUED_RESULTS + " results are waiting for the client to read them");
                    return;
                }
                relay.offer(new RivaResult(self, response));
            }

            @Override
            public void onClose(Status status) {
                relay.offer(new RivaClosed(self, status));
            }
        });
    }

    // ---- timers (the reaper's thread, shared by every session: it only decides) -----------

    /** Watches the stream, and asks for a new one near the backend's stream duration limit. */
    void checkTimers(long nowNanos) {
        watch(nowNanos);
        rotateAtAgeLimit(nowNanos);
    }

    /**
     * The watchdog: a stream that owes Riva audio, or waits for Riva's last answers, and sees Riva
     * take nothing and answer nothing for {@code riva.response-timeout} has a backend that went
     * away without a word (a connection that died without a reset, a hung server). It is reported
     * as failed ({@code DEADLINE_EXCEEDED}) through the relay, whose thread replaces it.
     */
    private void watch(long nowNanos) {
        RivaStream stream = feed.stream();
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
     * A stream near {@code riva.max-stream-duration} that had no final to move on after
     * ({@link StreamRotation#dueAnyway}) is replaced by the relay's thread: this thread only asks,
     * once per stream.
     */
    private void rotateAtAgeLimit(long nowNanos) {
        if (!rotation.enabled() || !owner.streamOpen()) {
            return;
        }
        RivaStream stream = feed.stream();
        if (stream == null || stream == rotationAsked || recovering || !feed.replayable()) {
            return;
        }
        if (rotation.dueAnyway(streamAge(nowNanos), audioDuration(feed.keptBytes()))) {
            rotationAsked = stream;
            relay.offer(new Rotate(stream));
        }
    }

    private Duration streamAge(long nowNanos) {
        return StreamRotation.age(streamOpenedNanos, nowNanos, audioDuration(feed.streamBytes()));
    }

    private Duration audioDuration(long bytes) {
        return Duration.ofNanos(Math.round(bytes * 1e9 / config.bytesPerSecond()));
    }

    // ---- what Riva sends back (the relay's writing thread) --------------------------------

    private void handle(Event event) {
        if (owner.ended()) {
            return;
        }
        try {
            switch (event) {
                case RivaResult r -> {
                    queuedResults.decrementAndGet();
                    if (r.stream() == current()) {
                        heard(r.response());
                    }
                }
                case RivaClosed c -> {
                    if (c.stream() == current()) { // a stream given up on since is not this recognition's concern
                        rivaClosed(c.stream(), c.status());
                    }
                }
                case Reopen o -> reopen(o.attempt());
                case Rotate r -> {
                    if (r.stream() == current() && owner.streamOpen()) {
                        rotate("no final by nine tenths of riva.max-stream-duration");
                    }
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "session=" + id + " failed", e);
            owner.gaveUp(ErrorCode.INTERNAL, "internal error");
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
        owner.accepted();
        if (unannounced != null) {
            announceRecovery();
        }
        StreamingRecognizeResponse shifted = ResultTimes.shift(response, shiftSeconds);
        feed.processed(offsetOf(ResultTimes.processed(shifted))); // before the client hears of it
        boolean finalSent = false;
        for (TranscriptMapper.Emit emit : mapper.accept(shifted)) {
            if (emit.isFinal()) {
                failuresInARow = 0;
                finalSent = true;
                feed.release(offsetOf(ResultTimes.end(emit.result())));
            }
            send(emit);
        }
        if (finalSent
                && rotation.enabled() // before the age, which takes the feed's lock
                && owner.streamOpen() // also while the stream finishes after stop: its end may be far off
                && feed.replayable() // else the audio after the final would not reach the next stream
                && rotation.dueAtFinal(streamAge(System.nanoTime()))) {
            rotate("an utterance ended after three quarters of riva.max-stream-duration");
        }
    }

    private void send(TranscriptMapper.Emit emit) {
        owner.transcript(emit.result(), emit.isFinal(), offsetSeconds);
    }

    /** A time of the recognition, in its seconds, as an offset in the session's audio on a sample boundary. */
    private long offsetOf(double seconds) {
        long bytes = Math.round(seconds * config.bytesPerSecond());
        int frame = config.bytesPerFrame();
        return startByte + (frame > 1 ? bytes - bytes % frame : bytes);
    }

    private void announceRecovery() {
        Recovery recovery = unannounced;
        unannounced = null;
        ctx.metrics().backendRecovered();
        LOG.log(
                Level.INFO,
                "session=" + id + " recovered onto a new Riva stream: attempt " + recovery.attempt() + ", "
                        + recovery.replayedSeconds() + " s replayed");
        owner.recovered(recovery.attempt(), recovery.replayedSeconds());
    }

    /**
     * The current stream is near the backend's limit ({@code riva.max-stream-duration}): the next
     * one takes over as after a failure, with the audio no final covered given to it first, but
     * without a wait, without {@code backend_recovered} (nothing failed), and with the old stream
     * cancelled first, so that an embedded recognizer's decoder is free for the next.
     */
    private void rotate(String why) {
        RivaStream old = feed.stream();
        AudioFeed.Replay replay = feed.reopen(() -> {
            old.cancel("replaced: " + why);
            return openStream();
        });
        if (replay == null) {
            return; // the session is ending
        }
        mapper.reset(); // the old stream's last interim is heard again from the replay
        streamOpenedNanos = System.nanoTime();
        shiftSeconds = (double) (replay.startByte() - startByte) / config.bytesPerSecond();
        ctx.metrics().streamRotated();
        LOG.log(
                Level.INFO,
                "session=" + id + " moved to a new Riva stream (" + why + "), "
                        + Math.round(replay.bytes() * 1000.0 / config.bytesPerSecond()) + " ms replayed");
        if (owner.finishing()) { // read after the new stream is in place: the session's stop reads them the other way
            replay.stream().halfClose();
        }
    }

    /** Riva ended the current stream's call. */
    private void rivaClosed(RivaStream stream, Status status) {
        if (status.isOk() && stream.halfCloseSent()) {
            mapper.finish().forEach(this::send);
            owner.finished();
            return;
        }
        ctx.metrics().backendError(status.getCode().name());
        if (status.isOk() || ctx.riva().retryable(status)) { // OK before the audio ended: Riva gave up early
            failed(stream, status);
            return;
        }
        ErrorCode code = RivaErrors.code(status);
        if (code == ErrorCode.INVALID_CONFIG) {
            close("the configuration was refused");
            if (owner.refusedAtStart(code, RivaErrors.message(status))) {
                LOG.log(
                        Level.WARNING,
                        "session=" + id + " riva refused the configuration: " + RivaErrors.message(status));
                return;
            }
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
        owner.activity();
        int attempt = failuresInARow;
        Duration wait = retry.backoff(attempt);
        LOG.log(
                Level.INFO,
                "session=" + id + " riva stream failed: " + describe(status) + "; new stream (attempt " + attempt
                        + ") in " + wait.toMillis() + " ms");
        Thread.ofVirtual().name("session-" + id + "-backoff").start(() -> {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return; // the server is stopping
            }
            relay.offer(new Reopen(attempt));
        });
    }

    /** The backoff is over: the next stream opens, gets the audio no final covered, and takes over. */
    private void reopen(int attempt) {
        AudioFeed.Replay replay = feed.reopen(this::openStream);
        if (replay == null) {
            return; // the session is ending
        }
        recovering = false;
        owner.activity();
        streamOpenedNanos = System.nanoTime();
        shiftSeconds = (double) (replay.startByte() - startByte) / config.bytesPerSecond();
        double replayed = Math.round(replay.bytes() * 1000.0 / config.bytesPerSecond()) / 1000.0;
        unannounced = new Recovery(attempt, replayed);
        if (replay.dropped() > 0) {
            LOG.log(
                    Level.WARNING,
                    "session=" + id + " " + replay.dropped() * 1.0 / config.bytesPerSecond()
                            + " s of audio no final covered could not be replayed (no final for more than "
                            + ctx.settings().bufferSeconds() + " s)");
        }
        if (owner.finishing()) { // read after the new stream is in place: the session's stop reads them the other way
            replay.stream().halfClose();
        }
    }

    /** No new stream: the last interim goes out as final (its words are not lost), then the error. */
    private void giveUp(Status status, String why) {
        LOG.log(Level.WARNING, "session=" + id + " riva stream failed: " + describe(status) + "; " + why);
        mapper.finish().forEach(this::send);
        owner.gaveUp(status.isOk() ? ErrorCode.BACKEND_UNAVAILABLE : RivaErrors.code(status), describe(status));
    }

    private static String describe(Status status) {
        return status.isOk() ? "Riva ended the stream before the audio did" : RivaErrors.message(status);
    }
}
