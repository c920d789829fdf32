package dev.earshot.listener;

import io.helidon.common.buffers.BufferData;
import io.helidon.webserver.ConnectionContext;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;

/**
 * One connection's request-head deadline. The clock runs while the server waits for a request
 * head: from the moment the connection exists (before its first byte), and again whenever Helidon
 * goes back to reading a request line after a response; it stops when the head is complete.
 * Everything between (the request's body, its processing, a WebSocket session after an upgrade) is
 * not timed here: a slow upload or a long recognition keeps its connection.
 *
 * <p>Helidon tells nobody when it starts waiting for the next request line, so the sweeper asks
 * it ({@code readingRequestLine}: Helidon's own test of whether the connection may be interrupted,
 * true exactly while it reads a request line) each time it passes; the clock then starts from that
 * look, up to one sweep late. {@link #prologue} starts it too, for a request line read between two
 * looks. After a head that asks for a WebSocket upgrade the question means nothing (Helidon then
 * answers for the upgraded connection), so the clock is left stopped: an upgraded connection has
 * the session's own deadlines, and a refused upgrade's next head starts it again with its request
 * line.
 *
 * <p>All transitions hold this object's lock, so a head that completes while the sweeper looks
 * either stops the clock first or finds the connection already given up (and is not served).
 */
final class HeadClock {
    private static final System.Logger LOG = System.getLogger(HeadClock.class.getName());
    private static final byte[] REQUEST_TIMEOUT =
            "HTTP/1.1 408 Request Timeout\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII);

    private final ConnectionContext ctx;
    private final BooleanSupplier readingRequestLine;
    private boolean waiting = true;
    private long since;
    private boolean served;
    private boolean requestLine;
    private boolean upgraded;
    private boolean expired;
    private long expiredAt;
    private boolean forced;

    /**
     * @param readingRequestLine whether Helidon is reading a request line on the connection right now
     * @param now                {@link System#nanoTime()} when the connection was made
     */
    HeadClock(ConnectionContext ctx, BooleanSupplier readingRequestLine, long now) {
        this.ctx = ctx;
        this.readingRequestLine = readingRequestLine;
        this.since = now;
    }

    /** A request line has been read: if the clock was stopped, it runs from now until the head is complete. */
    synchronized void prologue(long now) {
        requestLine = true;
        if (!waiting && !expired) {
            waiting = true;
            since = now;
        }
    }

    /**
     * The head is complete: the clock stops.
     *
     * @param upgrade whether the head asks for a WebSocket upgrade
     * @return false when it came too late: the connection is being closed and the request must not be served
     */
    synchronized boolean headers(boolean upgrade) {
        if (expired) {
            return false;
        }
        waiting = false;
        served = true;
        requestLine = false;
        upgraded = upgrade;
        return true;
    }

    /**
     * The sweeper's look, at {@code now}. A connection past its deadline is closed, on a virtual
     * thread of its own: a client that reads nothing cannot hold up the sweeper with a full send
     * buffer. Should even that still be blocked one deadline later, the next look closes the
     * socket under it.
     *
     * <p>It gets a 408 first, unless it is a kept-alive connection that has sent no request line
     * since its last answer: that one is closed without a word, as servers close idle connections,
     * since a client that sends a request on it at that very moment would take an unsolicited 408
     * for the answer to a request the server never read.
     */
    void sweep(long now, long timeoutNanos) {
        switch (check(now, timeoutNanos)) {
            case EXPIRED -> Thread.ofVirtual().name("earshot-header-timeout").start(() -> timeOut(true));
            case IDLE -> Thread.ofVirtual().name("earshot-header-timeout").start(() -> timeOut(false));
            case STUCK -> ctx.serverSocket().close();
            case NONE -> {}
        }
    }

    private enum Verdict {
        NONE,
        EXPIRED,
        IDLE,
        STUCK
    }

    private synchronized Verdict check(long now, long timeoutNanos) {
        if (expired) {
            if (!forced && now - expiredAt > timeoutNanos) {
                forced = true;
                return Verdict.STUCK;
            }
            return Verdict.NONE;
        }
        if (!waiting) {
            if (!upgraded && readingRequestLine.getAsBoolean()) {
                waiting = true;
                since = now;
            }
            return Verdict.NONE;
        }
        if (now - since < timeoutNanos) {
            return Verdict.NONE;
        }
        expired = true;
        expiredAt = now;
        return served && !requestLine ? Verdict.IDLE : Verdict.EXPIRED;
    }

    private void timeOut(boolean answer) {
        LOG.log(
                Level.DEBUG,
                () -> "no request head within server.header-timeout from "
                        + ctx.remotePeer().host() + (answer ? ": 408" : " (idle)") + ", connection closed");
        try {
            if (answer) {
                ctx.serverSocket().write(BufferData.create(REQUEST_TIMEOUT));
            }
        } catch (RuntimeException e) {
            LOG.log(Level.TRACE, "408 not written", e); // the client is gone already
        } finally {
            ctx.serverSocket().close();
        }
    }
}
