package dev.earshot.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of a gateway that kills its first connection — a reset, no
 * close frame — once the client has sent {@code cutAfterBytes} through it, as a network that
 * drops would; later connections pass untouched. For clients that must resume on their own.
 * {@link #forPath} kills the first connection whose request is for a path instead, so that a
 * browser can load its page through the proxy before its WebSocket is killed.
 */
public final class DroppingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final long cutAfterBytes;
    private final String pathPrefix; // null: the first connection is the one killed
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicBoolean cut = new AtomicBoolean();
    private final AtomicInteger killed = new AtomicInteger();
    private volatile boolean refuseAfterKill;

    private DroppingProxy(int target, long cutAfterBytes, String pathPrefix) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        this.cutAfterBytes = cutAfterBytes;
        this.pathPrefix = pathPrefix;
        Thread.ofVirtual().name("dropping-proxy").start(this::accept);
    }

    /** Proxies to {@code 127.0.0.1:target}, killing the first connection after {@code cutAfterBytes} from the client. */
    public static DroppingProxy start(int target, long cutAfterBytes) throws IOException {
        return new DroppingProxy(target, cutAfterBytes, null);
    }

    /**
     * Proxies to {@code 127.0.0.1:target}, killing the first connection whose first request is
     * {@code GET pathPrefix…} after {@code cutAfterBytes} from the client (the request included).
     */
    public static DroppingProxy forPath(int target, String pathPrefix, long cutAfterBytes) throws IOException {
        return new DroppingProxy(target, cutAfterBytes, "GET " + pathPrefix);
    }

    /**
     * From now on, once it has killed its connection, resets every later one at once: the server
     * is as if unreachable, so a client's attempts to reconnect all fail.
     */
    public DroppingProxy refusingAfterTheKill() {
        refuseAfterKill = true;
        return this;
    }

    /** Connections killed so far (0 or 1). */
    public int killed() {
        return killed.get();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    private void accept() {
        try {
            while (true) {
                Socket client = server.accept();
                if (refuseAfterKill && killed.get() > 0) {
                    reset(client);
                    continue;
                }
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                boolean first = connections.incrementAndGet() == 1;
                Thread.ofVirtual().start(() -> pump(client, upstream, true, first));
                Thread.ofVirtual().start(() -> pump(upstream, client, false, false));
            }
        } catch (IOException e) {
            // closed
        }
    }

    /**
     * Copies {@code from} to {@code to}; a connection from the client that is to be killed (the
     * first, or the first for the path) is reset both ways once {@code cutAfterBytes} have passed.
     */
    private void pump(Socket from, Socket to, boolean fromClient, boolean first) {
        byte[] buffer = new byte[8192];
        long sent = 0;
        long limit = fromClient && first && pathPrefix == null && cut.compareAndSet(false, true)
                ? cutAfterBytes
                : Long.MAX_VALUE;
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            boolean firstRead = true;
            while ((n = in.read(buffer)) >= 0) {
                if (firstRead && fromClient && pathPrefix != null) {
                    String head = new String(buffer, 0, Math.min(n, pathPrefix.length()), StandardCharsets.US_ASCII);
                    if (head.equals(pathPrefix) && cut.compareAndSet(false, true)) {
                        limit = cutAfterBytes;
                    }
                }
                firstRead = false;
                int pass = (int) Math.min(n, limit - sent);
                out.write(buffer, 0, pass);
                sent += pass;
                if (sent >= limit) {
                    killed.incrementAndGet();
                    reset(from);
                    reset(to);
                    return;
                }
            }
        } catch (IOException e) {
            // one side went away
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Closes with a reset rather than a FIN: the connection is killed, not ended. */
    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
