package dev.earshot.loadtest;

import dev.earshot.ws.WsHandshake;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * The client half of the RFC 6455 opening handshake: an HTTP/1.1 Upgrade request with a random
 * {@code Sec-WebSocket-Key}, and the check of the answer: status {@code 101} and the
 * {@code Sec-WebSocket-Accept} the key implies. Once per session, so plain Strings are fine here.
 */
final class Handshake {
    private static final int MAX_HEADER_BYTES = 16 * 1024;

    private final String key;
    private ByteArrayOutputStream partial;

    /** The answer: the HTTP status, and for a 101 whether the accept header matched. */
    record Result(int status, boolean acceptValid) {
        boolean upgraded() {
            return status == 101 && acceptValid;
        }
    }

    Handshake(RandomGenerator random) {
        byte[] nonce = new byte[16];
        random.nextBytes(nonce);
        this.key = Base64.getEncoder().encodeToString(nonce);
    }

    String key() {
        return key;
    }

    /** The Upgrade request for {@code path} on {@code authority} (host[:port]). */
    ByteBuffer request(String authority, String path) {
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + authority + "\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "\r\n";
        return ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
    }

    /** The {@code Sec-WebSocket-Accept} value that answers {@code key}. */
    static String accept(String key) {
        return WsHandshake.acceptFor(key);
    }

    /**
     * Consumes response bytes from {@code in} (read mode) up to the end of the header, leaving any
     * bytes after it (early frames) in {@code in}.
     *
     * @return the answer, or null while the header is incomplete
     * @throws java.net.ProtocolException on a header too large or not HTTP
     */
    Result offer(ByteBuffer in) throws java.net.ProtocolException {
        if (partial == null) {
            partial = new ByteArrayOutputStream(256);
        }
        int before = partial.size();
        byte[] chunk = new byte[in.remaining()];
        in.get(in.position(), chunk);
        partial.write(chunk, 0, chunk.length);
        byte[] all = partial.toByteArray();
        int end = headerEnd(all, Math.max(0, before - 3));
        if (end < 0) {
            in.position(in.limit());
            if (all.length > MAX_HEADER_BYTES) {
                throw new java.net.ProtocolException("handshake response header too large");
            }
            return null;
        }
        in.position(in.position() + (end - before));
        partial = null;
        return parse(new String(all, 0, end, StandardCharsets.ISO_8859_1));
    }

    private Result parse(String header) throws java.net.ProtocolException {
        String[] lines = header.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("HTTP/")) {
            throw new java.net.ProtocolException("not an HTTP response: " + lines[0]);
        }
        int code;
        try {
            code = Integer.parseInt(status[1]);
        } catch (NumberFormatException e) {
            throw new java.net.ProtocolException("bad HTTP status line: " + lines[0]);
        }
        String expected = accept(key);
        boolean valid = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0
                    && lines[i].substring(0, colon)
                            .trim()
                            .toLowerCase(Locale.ROOT)
                            .equals("sec-websocket-accept")) {
                valid = lines[i].substring(colon + 1).trim().equals(expected);
            }
        }
        return new Result(code, valid);
    }

    /** The index just past the first CRLFCRLF at or after {@code from}, or -1. */
    private static int headerEnd(byte[] b, int from) {
        for (int i = from; i + 3 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
                return i + 4;
            }
        }
        return -1;
    }
}
