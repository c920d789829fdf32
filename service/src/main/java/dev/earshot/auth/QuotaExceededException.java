package dev.earshot.auth;

/** A principal over one of its {@link Quotas}: answered 429 with {@code Retry-After}. */
public final class QuotaExceededException extends RuntimeException {
    private final long retryAfterSeconds;

    QuotaExceededException(String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** Seconds after which the same request may succeed. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
