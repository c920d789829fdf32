package dev.earshot.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void transitionTimeMovesOnlyWhenTheStatusChanges() {
        List<Condition> first = Conditions.merge(
                List.of(), List.of(Conditions.of(Conditions.READY, false, "RollingOut", "0 of 2 pods")), 1, T0);
        assertEquals("2026-01-01T00:00:00Z", first.get(0).getLastTransitionTime());

        List<Condition> sameStatus = Conditions.merge(
                first,
                List.of(Conditions.of(Conditions.READY, false, "ReplicasNotReady", "1 of 2 pods")),
                1,
                T0.plusSeconds(30));
        assertEquals("2026-01-01T00:00:00Z", sameStatus.get(0).getLastTransitionTime());
        assertEquals("ReplicasNotReady", sameStatus.get(0).getReason());

        List<Condition> flipped = Conditions.merge(
                sameStatus,
                List.of(Conditions.of(Conditions.READY, true, "AllReplicasReady", "2 of 2 pods")),
                2,
                T0.plusSeconds(60));
        assertEquals("2026-01-01T00:01:00Z", flipped.get(0).getLastTransitionTime());
        assertEquals(2L, flipped.get(0).getObservedGeneration());
    }

    @Test
    void anUnchangedConditionIsEqualSoNoStatusWriteIsNeeded() {
        List<Condition> wanted = List.of(Conditions.of(Conditions.METRICS_AVAILABLE, true, "MetricsRead", "ok"));
        List<Condition> once = Conditions.merge(List.of(), wanted, 3, T0);
        assertEquals(once, Conditions.merge(once, wanted, 3, T0.plusSeconds(99)));
    }
}
