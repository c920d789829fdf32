package dev.earshot.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** Small JSON helpers for hand-written error bodies. */
final class Json {
    private Json() {
    }

    /** A string escaped for use inside JSON quotes. */
    static String escape(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }

    /** {@code {"code": ..., "message": ...}}. */
    static String error(String code, String message) {
        return "{\"code\":\"" + escape(code) + "\",\"message\":\"" + escape(message) + "\"}";
    }
}
