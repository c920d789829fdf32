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

    // Each default and bound once: the schema gets them through the annotations, and
    // SpeechServiceConfig applies and checks the same constants.

    public static final int DEFAULT_POLL_SECONDS = 15;
    public static final double DEFAULT_TOLERANCE = 0.1;
    public static final int DEFAULT_SCALE_UP_STABILIZATION_SECONDS = 0;
    public static final int DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS = 300;
    public static final int DEFAULT_MAX_DRAINING = 1;
    public static final String DEFAULT_DRAIN_TIMEOUT = "PT1H";
    /** Longest poll interval and stabilization window, in seconds. */
    public static final int MAX_SECONDS = 3600;
    /** Longest drain timeout: the pods' grace period grows with it, and so does a node drain. */
    public static final String MAX_DRAIN_TIMEOUT = "PT24H";

    @Default("" + DEFAULT_POLL_SECONDS)
    @Min(1)
    @Max(MAX_SECONDS)
    @JsonPropertyDescription("Seconds between two reads of the pods' session counts.")
    private Integer pollSeconds;

    @Default("" + DEFAULT_TOLERANCE)
    @Min(0)
    @Max(value = 1, inclusive = false)
    @JsonPropertyDescription("Relative deviation from the target within which the replica count is left alone.")
    private Double tolerance;

    @Default("" + DEFAULT_SCALE_UP_STABILIZATION_SECONDS)
    @Min(0)
    @Max(MAX_SECONDS)
    @JsonPropertyDescription("Scale up to the lowest recommendation of this many past seconds.")
    private Integer scaleUpStabilizationSeconds;

    @Default("" + DEFAULT_SCALE_DOWN_STABILIZATION_SECONDS)
    @Min(0)
    @Max(MAX_SECONDS)
    @JsonPropertyDescription("Scale down to the highest recommendation of this many past seconds.")
    private Integer scaleDownStabilizationSeconds;

    @Default("" + DEFAULT_MAX_DRAINING)
    @Min(1)
    @JsonPropertyDescription("Most pods draining at once before their removal.")
    private Integer maxDraining;

    @Default(DEFAULT_DRAIN_TIMEOUT)
    @Pattern("^P(\\d+D)?(T(\\d+H)?(\\d+M)?(\\d+(\\.\\d+)?S)?)?$")
    @JsonPropertyDescription("Longest drain (ISO-8601, at most " + MAX_DRAIN_TIMEOUT + "): a pod still holding sessions"
            + " then is removed and they are cut. Also the pods' server.drain-seconds, the time a pod gets after"
            + " SIGTERM in a rollout.")
    private String drainTimeout;

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
