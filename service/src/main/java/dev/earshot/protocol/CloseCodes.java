package dev.earshot.protocol;

/** The WebSocket close codes protocol v1 uses (RFC 6455 section 7.4). */
public final class CloseCodes {
    /** The session ended normally. */
    public static final int NORMAL = 1000;
    /** The server is shutting down. */
    public static final int GOING_AWAY = 1001;
    /** A policy was violated: duplicate session id, authentication. */
    public static final int POLICY = 1008;
    /** A message was too big. */
    public static final int TOO_BIG = 1009;
    /** An internal or backend failure. */
    public static final int INTERNAL = 1011;
    /** Try again later: the server or Riva is at capacity. */
    public static final int TRY_AGAIN_LATER = 1013;

    private CloseCodes() {
    }
}
