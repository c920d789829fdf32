package dev.earshot.operator.crd;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/** Bounds for the autoscaler; the count itself is never part of the spec. */
@ValidationRule(
        value = "!has(self.min) || !has(self.max) || self.min <= self.max",
        message = "replicas.min must not exceed replicas.max")
public class Replicas {

    /** Default of {@code min}: the schema's, and the operator's for a resource without one. */
    public static final int DEFAULT_MIN = 1;
    /** Default of {@code max}. */
    public static final int DEFAULT_MAX = 10;

    @Default("" + DEFAULT_MIN)
    @Min(1)
    @JsonPropertyDescription("Fewest pods, even with no sessions.")
    private Integer min;

    @Default("" + DEFAULT_MAX)
    @Min(1)
    @JsonPropertyDescription("Most pods, whatever the load.")
    private Integer max;

    public Integer getMin() {
        return min;
    }

    public void setMin(Integer min) {
        this.min = min;
    }

    public Integer getMax() {
        return max;
    }

    public void setMax(Integer max) {
        this.max = max;
    }
}
