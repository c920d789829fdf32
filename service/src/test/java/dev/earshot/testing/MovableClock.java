package dev.earshot.testing;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.atomic.AtomicLong;

/** The system clock plus an offset a test moves forward: real time still passes. */
public final class MovableClock implements InstantSource {
    private final AtomicLong offsetMillis = new AtomicLong();

    @Override
    public Instant instant() {
        return Instant.now().plusMillis(offsetMillis.get());
    }

    /** Moves the clock forward. */
    public void advance(Duration by) {
        offsetMillis.addAndGet(by.toMillis());
    }
}
