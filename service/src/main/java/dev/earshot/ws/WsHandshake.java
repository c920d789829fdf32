package dev.earshot.ws;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * The one computation both ends of a WebSocket handshake share (RFC 6455 section 4.2.2): the
 * {@code Sec-WebSocket-Accept} value that answers a client's {@code Sec-WebSocket-Key}. Used by the
 * gateway's upgrader to answer and by the load tool to check the answer.
 */
public final class WsHandshake {
    private static final byte[] GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11".getBytes(StandardCharsets.US_ASCII);
    /** Cloned per call: cheaper than a provider lookup, which also leaves a cache entry behind. */
    private static final MessageDigest SHA1 = sha1();

    private WsHandshake() {}

    /** base64(SHA-1(key + GUID)). */
    public static String acceptFor(String key) {
        try {
            MessageDigest sha1 = (MessageDigest) SHA1.clone();
            sha1.update(key.getBytes(StandardCharsets.US_ASCII));
            return Base64.getEncoder().encodeToString(sha1.digest(GUID));
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-1 digests can be cloned", e);
        }
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
