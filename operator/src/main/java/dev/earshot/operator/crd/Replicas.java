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

    @Default("1")
    @Min(1)
    @JsonPropertyDescription("Fewest pods, even with no sessions.")
    private Integer min = 1;

    @Default("10")
    @Min(1)
    @JsonPropertyDescription("Most pods, whatever the load.")
    private Integer max = 10;

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
