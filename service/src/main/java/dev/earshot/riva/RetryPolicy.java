package dev.earshot.riva;

import io.helidon.config.Config;
import java.time.Duration;

/**
 * How a session recovers when its Riva stream fails ({@code riva.retry.*}): after a failure Riva
 * may not repeat (a restarting pod, a reset connection, a stream that stalled) the session waits
 * a little and opens a new stream with the same configuration. The waits double so that a
 * backend that is down is not hammered by every session at once, and are capped so that a
 * backend that comes back is used within seconds. Which failures are worth a retry is
 * {@link RivaErrors#retryable}'s decision.
 *
 * @param maxAttempts failures of a session's streams in a row, with no final result between them,
 *                    after which the session gives up; 1 turns recovery off
 */
public record RetryPolicy(int maxAttempts) {
    /** The wait before the first new stream. */
    public static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    /** The longest wait between two streams. */
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    public static final int DEFAULT_MAX_ATTEMPTS = 5;

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("riva.retry.max-attempts must be at least 1, got " + maxAttempts);
        }
    }

    /** Five failures in a row. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(DEFAULT_MAX_ATTEMPTS);
    }

    /** Reads {@code riva.retry.*}. */
    public static RetryPolicy from(Config riva) {
        return new RetryPolicy(riva.get("retry.max-attempts").asInt().orElse(DEFAULT_MAX_ATTEMPTS));
    }

    /** Whether a session tries again after its {@code failures}-th failure in a row. */
    public boolean retriesAfter(int failures) {
        return failures < maxAttempts;
    }

    /**
     * The wait before attempt {@code attempt} (1 for the first new stream after a failure): 100 ms,
     * doubling, at most 2 s.
     */
    public Duration backoff(int attempt) {
        int doublings = Math.min(Math.max(attempt, 1) - 1, 10);
        Duration wait = FIRST_BACKOFF.multipliedBy(1L << doublings);
        return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
    }
}
