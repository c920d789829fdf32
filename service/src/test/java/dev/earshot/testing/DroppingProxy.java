package dev.earshot.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on loopback in front of a gateway that kills its first connection — a reset, no
 * close frame — once the client has sent {@code cutAfterBytes} through it, as a network that
 * drops would; later connections pass untouched. For clients that must resume on their own.
 */
public final class DroppingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final long cutAfterBytes;
    private final AtomicInteger connections = new AtomicInteger();

    private DroppingProxy(int target, long cutAfterBytes) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        this.cutAfterBytes = cutAfterBytes;
        Thread.ofVirtual().name("dropping-proxy").start(this::accept);
    }

    /** Proxies to {@code 127.0.0.1:target}, killing the first connection after {@code cutAfterBytes} from the client. */
    public static DroppingProxy start(int target, long cutAfterBytes) throws IOException {
        return new DroppingProxy(target, cutAfterBytes);
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
                Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                long limit = connections.incrementAndGet() == 1 ? cutAfterBytes : Long.MAX_VALUE;
                Thread.ofVirtual().start(() -> pump(client, upstream, limit));
                Thread.ofVirtual().start(() -> pump(upstream, client, Long.MAX_VALUE));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private static void pump(Socket from, Socket to, long limit) {
        byte[] buffer = new byte[8192];
        long sent = 0;
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                int pass = (int) Math.min(n, limit - sent);
                out.write(buffer, 0, pass);
                sent += pass;
                if (sent >= limit) {
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
