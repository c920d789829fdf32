package dev.earshot.listener;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sweeper of every open connection's {@link HeadClock}: one virtual thread that looks at
 * each clock a tenth of the header timeout apart (at most once a second, at least every 10 ms),
 * so a deadline is kept to within a tenth. It starts with the first connection, not before, so a
 * server configuration that is built and never started leaves no thread behind.
 */
final class HeadDeadlines implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(HeadDeadlines.class.getName());
    private final long timeoutNanos;
    private final Duration period;
    private final Set<HeadClock> clocks = ConcurrentHashMap.newKeySet();
    private Thread sweeper;
    private boolean closed;

    HeadDeadlines(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
        Duration tenth = timeout.dividedBy(10);
        this.period = tenth.compareTo(Duration.ofSeconds(1)) > 0
                ? Duration.ofSeconds(1)
                : tenth.compareTo(Duration.ofMillis(10)) < 0 ? Duration.ofMillis(10) : tenth;
    }

    void watch(HeadClock clock) {
        clocks.add(clock);
        startOnce();
    }

    void forget(HeadClock clock) {
        clocks.remove(clock);
    }

    private synchronized void startOnce() {
        if (sweeper == null && !closed) {
            sweeper = Thread.ofVirtual().name("earshot-header-deadlines").start(this::run);
        }
    }

    private void run() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(period);
                long now = System.nanoTime();
                for (HeadClock clock : clocks) {
                    try {
                        clock.sweep(now, timeoutNanos);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "header deadline of one connection failed", e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt(); // closed
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (sweeper != null) {
            sweeper.interrupt();
        }
    }
}
