package dev.earshot.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The three condition types and the one rule that makes conditions useful: lastTransitionTime
 * changes only when the status (True/False/Unknown) changes, so users can tell how long a problem
 * has lasted and an unchanged condition never causes a status write.
 */
public final class Conditions {

    public static final String READY = "Ready";
    public static final String METRICS_AVAILABLE = "MetricsAvailable";
    public static final String SCALING_LIMITED = "ScalingLimited";

    private Conditions() {}

    /** A new condition; the transition time is filled in by {@link #merge}. */
    public static Condition of(String type, boolean status, String reason, String message) {
        return of(type, status ? "True" : "False", reason, message);
    }

    /** A new condition with an explicit status string (True, False or Unknown). */
    public static Condition of(String type, String status, String reason, String message) {
        return new ConditionBuilder()
                .withType(type)
                .withStatus(status)
                .withReason(reason)
                .withMessage(message)
                .build();
    }

    /**
     * The conditions to write: each wanted condition keeps the previous transition time when its
     * status did not change, and gets {@code now} otherwise.
     */
    public static List<Condition> merge(
            List<Condition> previous, List<Condition> wanted, long observedGeneration, Instant now) {
        String stamp = DateTimeFormatter.ISO_INSTANT.format(now.truncatedTo(ChronoUnit.SECONDS));
        List<Condition> result = new ArrayList<>();
        for (Condition want : wanted) {
            Condition old = find(previous, want.getType());
            String time = old != null
                            && Objects.equals(old.getStatus(), want.getStatus())
                            && old.getLastTransitionTime() != null
                    ? old.getLastTransitionTime()
                    : stamp;
            result.add(new ConditionBuilder(want)
                    .withLastTransitionTime(time)
                    .withObservedGeneration(observedGeneration)
                    .build());
        }
        return result;
    }

    /** The condition of a type, or null. */
    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        return conditions.stream()
                .filter(c -> type.equals(c.getType()))
                .findFirst()
                .orElse(null);
    }
}
