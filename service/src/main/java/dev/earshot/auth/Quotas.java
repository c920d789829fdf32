package dev.earshot.auth;

import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Per-principal limits: at most {@code auth.max-sessions-per-principal} sessions (and REST
 * transcriptions) at once, and {@code auth.sessions-per-minute-per-principal} starts a minute as
 * a token bucket (a burst of that many, then one every 60/N seconds). Without them one leaked key
 * could take every session slot of the fleet. Sessions of {@code auth.mode=none} have no principal
 * to count and are limited by {@code sessions.max} only.
 */
public final class Quotas {
    /** Retry-After for a principal at its concurrent limit: a session may end any moment. */
    static final long CONCURRENT_RETRY_SECONDS = 5;

    private final int maxConcurrent;
    private final int perMinute;
    private final InstantSource clock;
    private final ConcurrentHashMap<String, Integer> open = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    public Quotas(int maxConcurrent, int perMinute, InstantSource clock) {
        this.maxConcurrent = maxConcurrent;
        this.perMinute = perMinute;
        this.clock = clock;
    }

    /** A slot held by one session or request; {@link #close()} gives it back (once). */
    public interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    private static final Lease NONE = () -> {};

    /**
     * Takes a slot and a start for {@code principal}.
     *
     * @throws QuotaExceededException when either limit is reached; neither is taken then
     */
    public Lease acquire(Principal principal) {
        if (principal.kind() == Principal.Kind.ANONYMOUS || (maxConcurrent == 0 && perMinute == 0)) {
            return NONE;
        }
        String id = principal.id();
        if (maxConcurrent > 0) {
            boolean[] taken = {false};
            open.compute(id, (k, n) -> {
                int count = n == null ? 0 : n;
                if (count >= maxConcurrent) {
                    return n;
                }
                taken[0] = true;
                return count + 1;
            });
            if (!taken[0]) {
                throw new QuotaExceededException(
                        "at most " + maxConcurrent + " sessions at once (auth.max-sessions-per-principal)",
                        CONCURRENT_RETRY_SECONDS);
            }
        }
        if (perMinute > 0) {
            long wait = buckets.computeIfAbsent(id, k -> new Bucket(perMinute, clock.millis()))
                    .take(clock.millis());
            if (wait > 0) {
                release(id);
                throw new QuotaExceededException(
                        "at most " + perMinute + " session starts a minute (auth.sessions-per-minute-per-principal)",
                        (wait + 999) / 1000);
            }
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                release(id);
            }
        };
    }

    private void release(String id) {
        if (maxConcurrent > 0) {
            open.computeIfPresent(id, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /** Sessions {@code principal} holds now (for tests and logs). */
    int open(Principal principal) {
        return open.getOrDefault(principal.id(), 0);
    }

    /** A token bucket of {@code capacity} starts refilled at {@code capacity} a minute. */
    private static final class Bucket {
        private final double capacity;
        private final double perMilli;
        private double tokens;
        private long lastMillis;

        Bucket(int capacity, long now) {
            this.capacity = capacity;
            this.perMilli = capacity / 60_000.0;
            this.tokens = capacity;
            this.lastMillis = now;
        }

        /** Takes one token; 0 when taken, else the milliseconds until one is there. */
        synchronized long take(long now) {
            tokens = Math.min(capacity, tokens + Math.max(0, now - lastMillis) * perMilli);
            lastMillis = Math.max(lastMillis, now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perMilli));
        }
    }
}
