package dev.earshot.ws;

import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Session ids in the WebSocket path: {@code /api/v1/transcribe/{session_id}}, 1–64 characters of
 * {@code [A-Za-z0-9._-]}; {@code /api/v1/transcribe} alone gets a fresh UUID.
 */
public final class SessionIds {
    /** The WebSocket path without an id. */
    public static final String BASE_PATH = "/api/v1/transcribe";

    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private SessionIds() {}

    /**
     * The session id a request path names, a new one when it names none, or empty when the
     * path's id is not valid.
     */
    public static Optional<String> fromPath(String path) {
        String rest = path.length() > BASE_PATH.length() ? path.substring(BASE_PATH.length()) : "";
        if (rest.isEmpty() || rest.equals("/")) {
            return Optional.of(UUID.randomUUID().toString());
        }
        String id = rest.substring(1);
        return isValid(id) ? Optional.of(id) : Optional.empty();
    }

    /** Whether a client-chosen id is acceptable. */
    public static boolean isValid(String id) {
        return VALID.matcher(id).matches();
    }
}
