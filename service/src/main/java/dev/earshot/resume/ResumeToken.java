package dev.earshot.resume;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secret that lets a client take its session over from another connection. A session id is
 * chosen by the client and may be guessed or logged; the token is 32 random bytes the client only
 * ever gets in its own {@code transcription_started}, so whoever knows it is the client that
 * started the session (or was given the token by it). Compared in constant time, so that the
 * time an answer takes says nothing about how much of a guess was right.
 */
public final class ResumeToken {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    private final String value;

    private ResumeToken(String value) {
        this.value = value;
    }

    /** A new random token. */
    public static ResumeToken random() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new ResumeToken(URL_SAFE.encodeToString(bytes)); // URL-safe: it travels in a query string
    }

    /** The token as the client gets it (43 URL-safe base64 characters). */
    public String value() {
        return value;
    }

    /** Whether {@code candidate} is this token, in time that does not depend on where they differ. */
    public boolean matches(String candidate) {
        return candidate != null
                && MessageDigest.isEqual(
                        value.getBytes(StandardCharsets.US_ASCII), candidate.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String toString() {
        return "ResumeToken[secret]"; // never in a log
    }
}
