package dev.earshot.loadtest;

/**
 * When each chunk of a session is due: chunk n at {@code start + n × interval}, so a session
 * paced in real time sends 100 ms of audio every 100 ms without drifting, however late any one
 * send was. With no interval every chunk is due at once: as fast as the socket takes them.
 */
public final class Pacer {
    private final long startNanos;
    private final long intervalNanos;

    /**
     * @param startNanos    {@link System#nanoTime()} of chunk 0
     * @param intervalNanos time between chunks, 0 for as fast as possible
     */
    public Pacer(long startNanos, long intervalNanos) {
        this.startNanos = startNanos;
        this.intervalNanos = intervalNanos;
    }

    /** When chunk {@code n} (from 0) is due. */
    public long due(int n) {
        return startNanos + n * intervalNanos;
    }
}
