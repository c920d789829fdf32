package dev.earshot.ws;

import dev.earshot.protocol.ErrorCode;
import io.helidon.common.buffers.BufferData;
import io.helidon.common.socket.HelidonSocket;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending half of a session's WebSocket. Each event is one frame, written to the socket in
 * one call; writes are serialized because the connection's thread and a Riva stream's relay
 * thread may both send. After the close frame nothing more is sent. A client that does not
 * answer the close within {@link #CLOSE_GRACE_SECONDS} is disconnected, so a silent peer cannot
 * keep a connection (and its thread) alive. A socket that is already gone swallows writes
 * instead of failing the session.
 */
final class WsSessionSocket implements WebSocketOut {
    static final int CLOSE_GRACE_SECONDS = 5;
    private static final System.Logger LOG = System.getLogger(WsSessionSocket.class.getName());
    private static final ScheduledExecutorService CLOSE_TIMER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("earshot-ws-close-timer").factory());

    private final HelidonSocket socket;
    // a lock, not synchronized: on JDK 21 a virtual thread blocked in a write while holding a
    // monitor would pin its carrier thread
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean closeSent;
    private volatile boolean ended;
    private volatile long writeStartedNanos; // 0 when no write is in progress
    private ScheduledFuture<?> hardClose;

    WsSessionSocket(HelidonSocket socket) {
        this.socket = socket;
    }

    @Override
    public boolean isOpen() {
        return !ended && !closeSent;
    }

    @Override
    public void send(String text) {
        write(WsFrames.text(text), false);
    }

    /** Answers a ping. */
    void pong(byte[] payload) {
        write(WsFrames.pong(payload), false);
    }

    @Override
    public void closeAfter(ErrorCode error) {
        close(CloseCodes.after(error), error.wire());
    }

    @Override
    public void closeNormally(String reason) {
        close(CloseCodes.NORMAL, reason);
    }

    @Override
    public void closeGoingAway() {
        close(CloseCodes.GOING_AWAY, "server shutting down");
    }

    /** Sends a close frame with this code and a short reason; the connection ends when the client answers. */
    @Override
    public void close(int code, String reason) {
        if (write(WsFrames.close(code, reason), true)) {
            ScheduledFuture<?> timer = CLOSE_TIMER.schedule(this::closeNow, CLOSE_GRACE_SECONDS, TimeUnit.SECONDS);
            lock.lock();
            try {
                hardClose = timer;
                if (ended) {
                    timer.cancel(false);
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Answers the client's close frame (unless this side closed first); the connection then ends. */
    void answerClose(int code) {
        write(WsFrames.close(code, ""), true);
    }

    /** Whether this side has sent its close frame: no data goes either way after it. */
    boolean closeSent() {
        return closeSent;
    }

    /** The connection's read loop has ended: the client is gone. */
    void connectionEnded() {
        ended = true;
        lock.lock();
        try {
            closeSent = true;
            if (hardClose != null) {
                hardClose.cancel(false);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops the connection at once (server stop, or a client that never answered the close). */
    void closeNow() {
        try {
            socket.close();
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "closing a websocket that is already gone", e);
        }
    }

    /** Writes a frame unless the close frame has gone out; true when this frame was written and is the close. */
    private boolean write(byte[] frame, boolean isClose) {
        lock.lock();
        try {
            if (closeSent || ended) {
                return false;
            }
            if (isClose) {
                closeSent = true;
            }
            writeStartedNanos = System.nanoTime() | 1; // never 0 while writing
            socket.write(BufferData.create(frame));
            return isClose;
        } catch (RuntimeException e) {
            closeSent = true;
            LOG.log(Level.DEBUG, "websocket write failed; the client is gone", e);
            return false;
        } finally {
            writeStartedNanos = 0;
            lock.unlock();
        }
    }

    @Override
    public long writeBlockedNanos(long nowNanos) {
        long started = writeStartedNanos;
        return started == 0 ? 0 : Math.max(0, nowNanos - started);
    }

    @Override
    public void abortAfter(Duration delay) {
        if (!ended) {
            CLOSE_TIMER.schedule(this::closeNow, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }
}
