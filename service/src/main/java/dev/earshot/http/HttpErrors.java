package dev.earshot.http;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * The body of every error the HTTP side answers with, {@code {"code": ..., "message": ...}}:
 * the REST API, CORS refusals and refused WebSocket upgrades all look the same to a client.
 */
public final class HttpErrors {
    private HttpErrors() {
    }

    /** {@code {"code": ..., "message": ...}}, escaped for JSON. */
    public static String body(String code, String message) {
        return "{\"code\":\"" + escape(code) + "\",\"message\":\"" + escape(message) + "\"}";
    }

    private static String escape(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }
}
