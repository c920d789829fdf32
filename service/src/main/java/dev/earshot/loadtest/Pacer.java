package dev.earshot.loadtest;

import java.util.concurrent.locks.LockSupport;

/**
 * When each chunk of a session is due: chunk n at {@code start + n × interval}, so a session
 * paced in real time sends 100 ms of audio every 100 ms without drifting, however long each send
 * takes. With no interval, chunks go as fast as possible.
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

    /** Waits until chunk {@code n} is due (returns at once when it is already late). */
    public void awaitChunk(int n) throws InterruptedException {
        long wait;
        while ((wait = due(n) - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
