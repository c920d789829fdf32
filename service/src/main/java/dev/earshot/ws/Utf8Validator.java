package dev.earshot.ws;

/**
 * Checks that bytes are UTF-8 as they arrive, piece by piece, so that a text message split across
 * fragments (at any byte, even inside a character) is judged as a whole, and a message that goes
 * wrong is caught in the fragment where it does (RFC 6455 section 8.1: close 1007) instead of
 * after the client has sent the rest. Strict UTF-8 (RFC 3629): overlong forms, surrogates and
 * code points above U+10FFFF are invalid.
 *
 * <p>Björn Höhrmann's DFA: one table lookup for the byte's class, one for the next state.
 */
final class Utf8Validator {
    private static final int ACCEPT = 0;
    private static final int REJECT = 12;
    private static final byte[] CLASSES = new byte[256];
    /** The next state for (state + class); states are multiples of 12. */
    private static final byte[] TRANSITIONS = {
        0, 12, 24, 36, 60, 96, 84, 12, 12, 12, 48, 72, // start: between characters
        12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, // rejected, for good
        12, 0, 12, 12, 12, 12, 12, 0, 12, 0, 12, 12, // one continuation byte to go
        12, 24, 12, 12, 12, 12, 12, 24, 12, 24, 12, 12, // two to go
        12, 12, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12, // after E0: A0..BF (no overlong)
        12, 24, 12, 12, 12, 12, 12, 12, 12, 24, 12, 12, // after ED: 80..9F (no surrogate)
        12, 12, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12, // after F0: 90..BF (no overlong)
        12, 36, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12, // after F1..F3
        12, 36, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, // after F4: 80..8F (at most U+10FFFF)
    };

    static {
        classes(0x80, 0x8F, 1);
        classes(0x90, 0x9F, 9);
        classes(0xA0, 0xBF, 7);
        classes(0xC0, 0xC1, 8);
        classes(0xC2, 0xDF, 2);
        classes(0xE0, 0xE0, 10);
        classes(0xE1, 0xEC, 3);
        classes(0xED, 0xED, 4);
        classes(0xEE, 0xEF, 3);
        classes(0xF0, 0xF0, 11);
        classes(0xF1, 0xF3, 6);
        classes(0xF4, 0xF4, 5);
        classes(0xF5, 0xFF, 8);
    }

    private int state = ACCEPT;

    private static void classes(int from, int to, int type) {
        for (int b = from; b <= to; b++) {
            CLASSES[b] = (byte) type;
        }
    }

    /** Forgets what was fed: a new message begins. */
    void reset() {
        state = ACCEPT;
    }

    /** Feeds the next bytes; false once the bytes so far cannot be the start of UTF-8 text. */
    boolean feed(byte[] bytes, int offset, int length) {
        int s = state;
        for (int i = offset, end = offset + length; i < end && s != REJECT; i++) {
            int b = bytes[i] & 0xFF;
            if (s == ACCEPT && b < 0x80) {
                continue; // ASCII: most of a JSON message
            }
            s = TRANSITIONS[s + CLASSES[b]];
        }
        state = s;
        return s != REJECT;
    }

    /** Whether everything fed is UTF-8 text, ending on a whole character. */
    boolean complete() {
        return state == ACCEPT;
    }

    /** Whether these bytes, alone, are UTF-8 text. */
    static boolean isValid(byte[] bytes, int offset, int length) {
        Utf8Validator v = new Utf8Validator();
        return v.feed(bytes, offset, length) && v.complete();
    }
}
