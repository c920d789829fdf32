package dev.earshot.ws;

import java.lang.System.Logger.Level;

import dev.earshot.session.SessionSocket;

import io.helidon.websocket.WsSession;

/**
 * A session's Helidon WebSocket. Sends are serialized (the socket's thread and the session's
 * thread both write), and a socket that is already gone swallows writes instead of failing the
 * session.
 *
 * <p>Helidon 4.2.0 does not tell the listener when a client disappears without a close frame
 * (the read error escapes its frame loop), but the connection's thread then ends. This socket
 * remembers that thread — the one that opened it — and reports the connection gone once the
 * thread has ended or a write has failed.
 */
final class WsSessionSocket implements SessionSocket {
    private static final System.Logger LOG = System.getLogger(WsSessionSocket.class.getName());

    private final WsSession ws;
    private final Thread connectionThread;
    private volatile boolean closed;

    /** Must be created on the connection's own thread (in {@code onOpen}). */
    WsSessionSocket(WsSession ws) {
        this.ws = ws;
        this.connectionThread = Thread.currentThread();
    }

    @Override
    public boolean isOpen() {
        return !closed && connectionThread.isAlive();
    }

    @Override
    public synchronized void send(String text) {
        if (closed) {
            return;
        }
        try {
            ws.send(text, true);
        } catch (RuntimeException e) {
            closed = true;
            LOG.log(Level.DEBUG, "websocket send failed; the client is gone", e);
        }
    }

    @Override
    public synchronized void close(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        try {
            ws.close(code, reason);
        } catch (RuntimeException e) {
            LOG.log(Level.DEBUG, "websocket close failed; the client is gone", e);
        }
    }
}
