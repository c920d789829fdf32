package dev.earshot.operator.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.earshot.operator.testing.SpeechServices;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReplicaCountTest {

    private static SpeechServiceConfig config(int min, int max) {
        var resource = SpeechServices.minimal("ns", "asr", "earshot:1.0");
        resource.getSpec().getReplicas().setMin(min);
        resource.getSpec().getReplicas().setMax(max);
        return assertInstanceOf(SpeechServiceConfig.Valid.class, SpeechServiceConfig.from(resource.getSpec()))
                .config();
    }

    @Test
    void theAutoscalersDecisionWinsOverWhatRuns() {
        assertEquals(6, ReplicaCount.resolve(Optional.of(6), Optional.of(3), Optional.of(2), config(1, 10)));
    }

    @Test
    void withoutADecisionTheRunningCountIsKept() {
        assertEquals(3, ReplicaCount.resolve(Optional.empty(), Optional.of(3), Optional.of(2), config(1, 10)));
    }

    @Test
    void aNewResourceStartsAtTheMinimum() {
        assertEquals(2, ReplicaCount.resolve(Optional.empty(), Optional.empty(), Optional.empty(), config(2, 10)));
    }

    @Test
    void changedBoundsMoveTheCountIntoRange() {
        assertEquals(4, ReplicaCount.resolve(Optional.empty(), Optional.of(7), Optional.empty(), config(1, 4)));
        assertEquals(3, ReplicaCount.resolve(Optional.empty(), Optional.of(1), Optional.empty(), config(3, 5)));
    }
}
