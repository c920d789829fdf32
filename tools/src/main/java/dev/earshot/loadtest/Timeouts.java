package dev.earshot.loadtest;

import java.time.Duration;

/**
 * How long a session may wait at each step before the tool gives up on it and counts an error,
 * so a run always ends, whatever the gateway does.
 *
 * @param connect TCP connect plus the WebSocket handshake
 * @param start   {@code start_transcription} → {@code transcription_started}
 * @param stop    {@code stop_transcription} → {@code transcription_stopped}
 * @param close   the closing handshake
 * @param write   a send the socket does not take (the gateway not reading)
 */
record Timeouts(Duration connect, Duration start, Duration stop, Duration close, Duration write) {

    static final Timeouts DEFAULT = new Timeouts(
            Duration.ofSeconds(30),
            Duration.ofSeconds(30),
            Duration.ofSeconds(60),
            Duration.ofSeconds(10),
            Duration.ofSeconds(30));
}
