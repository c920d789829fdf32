package dev.earshot.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;

/**
 * Autoscaler timing and damping, with the HorizontalPodAutoscaler's meaning and defaults, and how
 * a pod leaves: drained first, removed once its last session has ended or the drain timeout has
 * passed.
 */
public class Scaling {

    @Default("15")
    @Min(1)
    @Max(3600)
    @JsonPropertyDescription("Seconds between two reads of the pods' session counts.")
    private Integer pollSeconds = 15;

    @Default("0.1")
    @Min(0)
    @Max(value = 1, inclusive = false)
    @JsonPropertyDescription("Relative deviation from the target within which the replica count is left alone.")
    private Double tolerance = 0.1;

    @Default("0")
    @Min(0)
    @Max(3600)
    @JsonPropertyDescription("Scale up to the lowest recommendation of this many past seconds.")
    private Integer scaleUpStabilizationSeconds = 0;

    @Default("300")
    @Min(0)
    @Max(3600)
    @JsonPropertyDescription("Scale down to the highest recommendation of this many past seconds.")
    private Integer scaleDownStabilizationSeconds = 300;

    @Default("1")
    @Min(1)
    @JsonPropertyDescription("Most pods draining at once before their removal.")
    private Integer maxDraining = 1;

    @Default("PT1H")
    @Pattern("^P(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$")
    @JsonPropertyDescription("Longest drain (ISO-8601, at most PT24H): a pod still holding sessions then is removed and"
            + " they are cut. Also the pods' server.drain-seconds, the time a pod gets after SIGTERM in a rollout.")
    private String drainTimeout = "PT1H";

    public Integer getMaxDraining() {
        return maxDraining;
    }

    public void setMaxDraining(Integer maxDraining) {
        this.maxDraining = maxDraining;
    }

    public String getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(String drainTimeout) {
        this.drainTimeout = drainTimeout;
    }

    public Integer getPollSeconds() {
        return pollSeconds;
    }

    public void setPollSeconds(Integer pollSeconds) {
        this.pollSeconds = pollSeconds;
    }

    public Double getTolerance() {
        return tolerance;
    }

    public void setTolerance(Double tolerance) {
        this.tolerance = tolerance;
    }

    public Integer getScaleUpStabilizationSeconds() {
        return scaleUpStabilizationSeconds;
    }

    public void setScaleUpStabilizationSeconds(Integer scaleUpStabilizationSeconds) {
        this.scaleUpStabilizationSeconds = scaleUpStabilizationSeconds;
    }

    public Integer getScaleDownStabilizationSeconds() {
        return scaleDownStabilizationSeconds;
    }

    public void setScaleDownStabilizationSeconds(Integer scaleDownStabilizationSeconds) {
        this.scaleDownStabilizationSeconds = scaleDownStabilizationSeconds;
    }
}
