package dev.earshot.session;

import dev.earshot.protocol.ErrorCode;
import dev.earshot.protocol.ServerEvents;
import dev.earshot.resume.EventLog;
import dev.earshot.resume.ResumeToken;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A protocol v1 session's client end that outlives its connection. Every event gets the next
 * {@code seq} and goes into an {@link EventLog} before it is written to the connection attached
 * now, if any: when the connection drops the session {@link #detach}es it and goes on (its Riva
 * stream included) with its events going only to the log, and a client that comes back with the
 * {@link ResumeToken} is {@link #attach}ed and sent what it missed. Numbering, logging and writing
 * happen under one lock, so the numbers reach the client in order whichever thread sends.
 *
 * <p>{@code transcription_resumed} and the refusal of a resume are about one connection, not the
 * session's transcript: they are written to that connection only, without a number.
 */
public final class ResumableSocket implements SessionSocket {

    /** What came of a client's attempt to resume. */
    public enum Attach {
        /** Attached; {@code transcription_resumed} and the missed events have been written. */
        RESUMED,
        /** The events after the client's last one are not all kept any more (or it named one never sent). */
        EVENTS_LOST,
        /** The session closed its client end (it ended), or the grace period is over. */
        GONE
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final ResumeToken token = ResumeToken.random();
    private final EventLog log;
    private final Duration grace;
    private volatile SessionSocket attached; // null while detached
    private volatile long detachedSince;
    private boolean closed; // under the lock: the session closed its client end; nothing to resume
    private boolean expired; // under the lock: the grace period ran out

    /**
     * @param connection the connection that opened the session
     * @param bufferBytes how much of its latest events the session keeps for a resume
     * @param grace how long the session waits for a resume ({@code sessions.resume-grace})
     */
    public ResumableSocket(SessionSocket connection, long bufferBytes, Duration grace) {
        this.attached = connection;
        this.log = new EventLog(bufferBytes);
        this.grace = grace;
    }

    @Override
    public String resumeToken() {
        return token.value();
    }

    @Override
    public Duration resumeGrace() {
        return grace;
    }

    /** Whether {@code candidate} is this session's token (constant time). */
    public boolean tokenMatches(String candidate) {
        return token.matches(candidate);
    }

    @Override
    public void send(String text) {
        send(text, false, false);
    }

    @Override
    public void sendResult(String text, boolean isFinal) {
        send(text, true, !isFinal);
    }

    private void send(String text, boolean result, boolean interim) {
        lock.lock();
        try {
            long seq = log.lastSeq() + 1;
            String numbered = withSeq(text, seq);
            log.append(seq, numbered, result, interim);
            SessionSocket to = attached;
            if (to != null) {
                to.send(numbered);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The event with {@code "seq":n} as its last field: events are JSON objects, so they end with a brace. */
    static String withSeq(String event, long seq) {
        int end = event.lastIndexOf('}');
        return event.substring(0, end) + ",\"seq\":" + seq + event.substring(end);
    }

    @Override
    public void closeAfter(ErrorCode error) {
        SessionSocket to = closing();
        if (to != null) {
            to.closeAfter(error);
        }
    }

    @Override
    public void closeNormally(String reason) {
        SessionSocket to = closing();
        if (to != null) {
            to.closeNormally(reason);
        }
    }

    @Override
    public void closeGoingAway() {
        SessionSocket to = closing();
        if (to != null) {
            to.closeGoingAway();
        }
    }

    /** Marks the end closed (no resume after this); the connection to close, if one is attached. */
    private SessionSocket closing() {
        lock.lock();
        try {
            closed = true;
            return attached;
        } finally {
            lock.unlock();
        }
    }

    /** While detached, open: the session waits for its client ({@link #expire} decides when it stops). */
    @Override
    public boolean isOpen() {
        SessionSocket to = attached;
        return to == null || to.isOpen();
    }

    @Override
    public long writeBlockedNanos(long nowNanos) {
        SessionSocket to = attached;
        return to == null ? 0 : to.writeBlockedNanos(nowNanos);
    }

    @Override
    public void abortAfter(Duration delay) {
        SessionSocket to = attached;
        if (to != null) {
            to.abortAfter(delay);
        }
    }

    /** Whether {@code connection} is the one attached now (it speaks for the session). */
    public boolean isAttached(SessionSocket connection) {
        return attached == connection;
    }

    /** Whether no connection is attached. */
    public boolean detached() {
        return attached == null;
    }

    /**
     * The connection dropped: the session goes on without it. False when {@code connection} is not
     * the one attached (a resume took over) or the session has closed its end.
     */
    boolean detach(SessionSocket connection) {
        lock.lock();
        try {
            if (closed || attached != connection) {
                return false;
            }
            detachedSince = System.nanoTime();
            attached = null;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** True, once, when the session has been detached for {@code grace} at {@code nowNanos}: no resume after this. */
    boolean expire(long nowNanos, Duration grace) {
        lock.lock();
        try {
            if (attached != null || expired || nowNanos - detachedSince < grace.toNanos()) {
                return false;
            }
            expired = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** How long the session has been detached, 0 when it is not. */
    long detachedNanos(long nowNanos) {
        return attached == null ? nowNanos - detachedSince : 0;
    }

    /**
     * Drops the connection attached now, if any, before a resume takes over: a write or a read
     * blocked on a connection that died without a word gives up at once, with the locks it holds.
     */
    void dropAttached() {
        SessionSocket old = attached;
        if (old != null) {
            old.abortAfter(Duration.ZERO);
        }
    }

    /**
     * Makes {@code connection} the session's, taking over from the one attached, if any (a client
     * whose old connection the server has not seen drop yet, which {@link #dropAttached} has
     * dropped): writes {@code transcription_resumed} and the events after {@code lastSeq}, then
     * lets the session's events through.
     */
    Attach attach(SessionSocket connection, String sessionId, long lastSeq, long audioReceivedBytes) {
        lock.lock();
        try {
            if (closed || expired) {
                return Attach.GONE;
            }
            Optional<List<String>> missed = log.after(lastSeq);
            if (missed.isEmpty()) {
                return Attach.EVENTS_LOST;
            }
            connection.send(ServerEvents.resumed(sessionId, audioReceivedBytes, log.lastSeq()));
            missed.get().forEach(connection::send);
            attached = connection;
            return Attach.RESUMED;
        } finally {
            lock.unlock();
        }
    }
}
