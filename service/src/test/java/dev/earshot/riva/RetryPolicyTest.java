package dev.earshot.riva;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.config.ConfigLoader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@code riva.retry.*}: how often and how soon a session opens a new stream after a failure. */
class RetryPolicyTest {

    @Test
    void theBackoffStartsAt100MsAndDoublesUpToTwoSeconds() {
        RetryPolicy retry = RetryPolicy.defaults();
        assertEquals(
                List.of(100L, 200L, 400L, 800L, 1600L, 2000L, 2000L),
                IntStream.rangeClosed(1, 7)
                        .mapToObj(attempt -> retry.backoff(attempt).toMillis())
                        .toList());
        assertEquals(Duration.ofSeconds(2), retry.backoff(Integer.MAX_VALUE));
    }

    @Test
    void fiveFailuresInARowAreTheDefaultLimit() {
        RetryPolicy retry = RetryPolicy.defaults();
        assertTrue(retry.retriesAfter(4));
        assertFalse(retry.retriesAfter(5));
        assertFalse(new RetryPolicy(1).retriesAfter(1), "1: no recovery");
    }

    @Test
    void theLimitIsReadFromTheEnvironmentAndMustBePositive() {
        RivaConfig config =
                RivaConfig.from(ConfigLoader.load(Map.of("RIVA_RETRY_MAX__ATTEMPTS", "8"), new Properties()));
        assertEquals(8, config.retry().maxAttempts());
        assertEquals(
                RetryPolicy.DEFAULT_MAX_ATTEMPTS,
                RivaConfig.from(ConfigLoader.load(Map.of(), new Properties()))
                        .retry()
                        .maxAttempts(),
                "application.yaml's default");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> RivaConfig.from(ConfigLoader.load(Map.of("RIVA_RETRY_MAX__ATTEMPTS", "0"), new Properties())));
        assertEquals("riva.retry.max-attempts must be at least 1, got 0", e.getMessage());
    }
}
