package dev.earshot.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.earshot.config.ConfigLoader;
import dev.earshot.riva.RivaConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@code riva.max-stream-duration}: when a session moves to a new Riva stream before the backend's limit. */
class StreamRotationTest {
    private static final StreamRotation FOUR_MINUTES = new StreamRotation(Duration.ofMinutes(4));

    @Test
    void withoutALimitAStreamIsNeverMoved() {
        assertFalse(new StreamRotation(Duration.ZERO).enabled());
        assertFalse(new StreamRotation(Duration.ZERO).dueAtFinal(Duration.ofDays(1)));
        assertFalse(new StreamRotation(Duration.ZERO).dueAnyway(Duration.ofDays(1), Duration.ZERO));
    }

    @Test
    void aFinalMovesTheStreamFromThreeQuartersOfTheLimitOn() {
        assertFalse(FOUR_MINUTES.dueAtFinal(Duration.ofSeconds(179)));
        assertTrue(FOUR_MINUTES.dueAtFinal(Duration.ofSeconds(180)));
        assertTrue(FOUR_MINUTES.dueAtFinal(Duration.ofSeconds(239)));
    }

    @Test
    void withoutAFinalTheStreamIsReplacedAtNineTenthsIfTheReplayLeavesRoom() {
        assertFalse(FOUR_MINUTES.dueAnyway(Duration.ofSeconds(215), Duration.ofSeconds(5)));
        assertTrue(FOUR_MINUTES.dueAnyway(Duration.ofSeconds(216), Duration.ofSeconds(5)));
        assertTrue(FOUR_MINUTES.dueAnyway(Duration.ofSeconds(216), Duration.ofSeconds(120)));
        assertFalse(
                FOUR_MINUTES.dueAnyway(Duration.ofSeconds(230), Duration.ofSeconds(121)),
                "the next stream would be sent more than half its limit before it could go further");
    }

    @Test
    void aStreamsAgeIsTheLongerOfItsTimeOpenAndItsAudio() {
        long opened = 1_000_000_000L;
        assertEquals(
                Duration.ofSeconds(3),
                StreamRotation.age(opened, opened + 3_000_000_000L, Duration.ofSeconds(1)),
                "a client that paused");
        assertEquals(
                Duration.ofSeconds(9),
                StreamRotation.age(opened, opened + 3_000_000_000L, Duration.ofSeconds(9)),
                "a client that sends faster than real time");
    }

    @Test
    void theLimitIsReadFromTheEnvironmentIsNoneByDefaultAndMayNotBeNegative() {
        assertEquals(
                Duration.ofMinutes(4),
                RivaConfig.from(ConfigLoader.load(Map.of("RIVA_MAX__STREAM__DURATION", "PT4M"), new Properties()))
                        .maxStreamDuration());
        assertEquals(
                Duration.ZERO,
                RivaConfig.from(ConfigLoader.load(Map.of(), new Properties())).maxStreamDuration(),
                "application.yaml's default");
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> RivaConfig.from(
                        ConfigLoader.load(Map.of("RIVA_MAX__STREAM__DURATION", "-PT1S"), new Properties())));
        assertEquals("riva.max-stream-duration must not be negative, got PT-1S", e.getMessage());
    }
}
