package dev.earshot.loadtest;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Finds what the load tool needs in a server event by scanning its UTF-8 bytes where they lie in
 * the read buffer: the {@code event} name, the chunk number of a synthetic transcript
 * ({@code "transcript":"chunk N"}) and an error's {@code code}. No String and no JSON parse per
 * message: at 24,000 results a second, parsing would cost the tool more than the gateway spends
 * producing them. It relies on the gateway writing compact JSON ({@code "key":"value"}).
 */
final class EventScanner {
    static final int OTHER = 0;
    static final int STARTED = 1;
    static final int TRANSCRIPT = 2;
    static final int STOPPED = 3;
    static final int ERROR = 4;
    static final int GOING_AWAY = 5;

    private static final byte[] EVENT_KEY = ascii("\"event\":\"");
    private static final byte[] CHUNK_KEY = ascii("\"transcript\":\"chunk ");
    private static final byte[] CODE_KEY = ascii("\"code\":\"");
    private static final byte[][] NAMES = {
        null,
        ascii("transcription_started\""),
        ascii("transcript\""),
        ascii("transcription_stopped\""),
        ascii("error\""),
        ascii("going_away\"")
    };

    private EventScanner() {}

    /** The event of the message in {@code buf[from, to)}: one of the constants above. */
    static int event(ByteBuffer buf, int from, int to) {
        int at = indexOf(buf, from, to, EVENT_KEY);
        if (at < 0) {
            return OTHER;
        }
        at += EVENT_KEY.length;
        for (int e = 1; e < NAMES.length; e++) {
            if (startsWith(buf, at, to, NAMES[e])) {
                return e;
            }
        }
        return OTHER;
    }

    /** N of the first {@code "transcript":"chunk N"} in {@code buf[from, to)}, or -1. */
    static int chunk(ByteBuffer buf, int from, int to) {
        int at = indexOf(buf, from, to, CHUNK_KEY);
        if (at < 0) {
            return -1;
        }
        int n = 0;
        int digits = 0;
        for (int i = at + CHUNK_KEY.length; i < to && digits < 9; i++, digits++) {
            int d = buf.get(i) - '0';
            if (d < 0 || d > 9) {
                break;
            }
            n = n * 10 + d;
        }
        return digits == 0 ? -1 : n;
    }

    /** The {@code code} of an error event in {@code buf[from, to)}, or "unknown" (errors are rare). */
    static String code(ByteBuffer buf, int from, int to) {
        int at = indexOf(buf, from, to, CODE_KEY);
        if (at < 0) {
            return "unknown";
        }
        int start = at + CODE_KEY.length;
        int end = start;
        while (end < to && buf.get(end) != '"') {
            end++;
        }
        byte[] code = new byte[end - start];
        buf.get(start, code);
        return new String(code, StandardCharsets.UTF_8);
    }

    /** The first absolute index of {@code key} in {@code buf[from, to)}, or -1. */
    static int indexOf(ByteBuffer buf, int from, int to, byte[] key) {
        byte first = key[0];
        for (int i = from, last = to - key.length; i <= last; i++) {
            if (buf.get(i) == first && startsWith(buf, i, to, key)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(ByteBuffer buf, int at, int to, byte[] key) {
        if (to - at < key.length) {
            return false;
        }
        for (int k = 0; k < key.length; k++) {
            if (buf.get(at + k) != key[k]) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
