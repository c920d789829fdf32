package dev.earshot.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Two numbers with different jobs: the target drives the autoscaler, the max is the hard limit
 * each pod enforces (sessions beyond it are refused), so the target must leave headroom below it.
 */
@ValidationRule(
        value =
                "!has(self.targetPerReplica) || !has(self.maxPerReplica) || self.targetPerReplica <= self.maxPerReplica",
        message = "sessions.targetPerReplica must not exceed sessions.maxPerReplica")
public class Sessions {

    /** Default of {@code targetPerReplica}: the schema's, and the operator's for a resource without one. */
    public static final int DEFAULT_TARGET_PER_REPLICA = 100;
    /** Default of {@code maxPerReplica}. */
    public static final int DEFAULT_MAX_PER_REPLICA = 150;

    @Default("" + DEFAULT_TARGET_PER_REPLICA)
    @Min(1)
    @JsonPropertyDescription("Autoscaling target: live sessions per pod the autoscaler aims for.")
    private Integer targetPerReplica;

    @Default("" + DEFAULT_MAX_PER_REPLICA)
    @Min(1)
    @JsonPropertyDescription("Hard limit per pod, passed to the pods as sessions.max.")
    private Integer maxPerReplica;

    public Integer getTargetPerReplica() {
        return targetPerReplica;
    }

    public void setTargetPerReplica(Integer targetPerReplica) {
        this.targetPerReplica = targetPerReplica;
    }

    public Integer getMaxPerReplica() {
        return maxPerReplica;
    }

    public void setMaxPerReplica(Integer maxPerReplica) {
        this.maxPerReplica = maxPerReplica;
    }
}
