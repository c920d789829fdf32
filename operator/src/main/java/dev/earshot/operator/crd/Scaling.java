package dev.earshot.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Autoscaler timing and damping, with the HorizontalPodAutoscaler's meaning and defaults. */
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
