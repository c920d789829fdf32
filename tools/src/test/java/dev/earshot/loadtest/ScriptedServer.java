package dev.earshot.loadtest;

import dev.earshot.ws.WsOpcodes;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A WebSocket server on a real loopback socket that plays a script per connection, to show how
 * the load tool's client behaves where the gateway would not misbehave on cue: pings, wrong
 * accept headers, refusals, silence.
 */
final class ScriptedServer implements AutoCloseable {
    /** What the server does with one connection. */
    @FunctionalInterface
    interface Script {
        void play(Peer peer) throws Exception;
    }

    /** A client frame, unmasked, with the key it was masked with. */
    record Frame(int opcode, boolean fin, int maskKey, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final ServerSocket server;
    private final Thread acceptor;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();

    ScriptedServer(Script script) throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    sockets.add(s);
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            script.play(new Peer(s));
                        } catch (NotWebSocket e) {
                            // the tool reading the gateway's metrics: there are none here
                        } catch (Exception e) {
                            if (!server.isClosed()) {
                                failures.add(e);
                            }
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    String url() {
        return "ws://127.0.0.1:" + server.getLocalPort() + "/api/v1/transcribe";
    }

    @Override
    public void close() throws Exception {
        server.close();
        for (Socket s : sockets) {
            s.close();
        }
        acceptor.join();
    }

    /** One connection's server end. */
    static final class Peer {
        final Socket socket;
        final DataInputStream in;
        final OutputStream out;
        String requestLine;

        Peer(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /** Reads the Upgrade request and returns its Sec-WebSocket-Key. */
        String readRequest() throws IOException {
            String head = readHead(in);
            requestLine = head.substring(0, head.indexOf("\r\n"));
            for (String line : head.split("\r\n")) {
                if (line.toLowerCase().startsWith("sec-websocket-key:")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
            raw("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            throw new NotWebSocket();
        }

        /** Answers the Upgrade, with the right accept value or the one given. */
        void accept(String key, String acceptOverride) throws Exception {
            String accept = acceptOverride != null ? acceptOverride : Handshake.accept(key);
            raw("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + accept + "\r\n\r\n");
        }

        /** A full handshake. */
        void upgrade() throws Exception {
            accept(readRequest(), null);
        }

        void raw(String s) throws IOException {
            out.write(s.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void text(String s) throws IOException {
            frame(WsOpcodes.TEXT, s.getBytes(StandardCharsets.UTF_8));
        }

        void frame(int opcode, byte[] payload) throws IOException {
            out.write(FrameCodecTest.serverFrame(opcode, true, payload));
            out.flush();
        }

        /** Reads one client frame; fails unless it is masked. */
        Frame read() throws IOException {
            int b0 = in.readUnsignedByte();
            int b1 = in.readUnsignedByte();
            if ((b1 & 0x80) == 0) {
                throw new IOException("unmasked client frame");
            }
            long length = b1 & 0x7F;
            if (length == 126) {
                length = in.readUnsignedShort();
            } else if (length == 127) {
                length = in.readLong();
            }
            int key = in.readInt();
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= (byte) FrameCodec.maskByte(key, i);
            }
            return new Frame(b0 & 0x0F, (b0 & 0x80) != 0, key, payload);
        }

        /** Reads frames until one of the opcode. */
        Frame readUntil(int opcode) throws IOException {
            Frame f;
            do {
                f = read();
            } while (f.opcode() != opcode);
            return f;
        }

        /** Reads (and drops) whatever the client sends until it closes its end. */
        boolean closedByClient() throws IOException {
            byte[] sink = new byte[4096];
            while (in.read(sink) >= 0) {
                // drained
            }
            return true;
        }
    }

    /** A plain HTTP request, answered 404. */
    static final class NotWebSocket extends IOException {}

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream in the request head");
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
