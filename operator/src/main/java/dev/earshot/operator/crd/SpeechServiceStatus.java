package dev.earshot.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the operator observed. Written only by the reconciler (the autoscaler hands its findings to
 * the reconciler), so there is a single writer and no lost updates between the two.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SpeechServiceStatus {

    @JsonPropertyDescription("metadata.generation of the spec this status describes.")
    private Long observedGeneration;

    @JsonPropertyDescription("Pods of the Deployment (any state).")
    private Integer replicas;

    @JsonPropertyDescription("Pods ready to take sessions.")
    private Integer readyReplicas;

    @JsonPropertyDescription("Replica count the operator asks the Deployment for.")
    private Integer desiredReplicas;

    @JsonPropertyDescription("Live sessions summed over the ready pods at the last poll.")
    private Long activeSessions;

    @JsonPropertyDescription("Sessions the ready pods can hold in total (ready pods x sessions.maxPerReplica).")
    private Long capacity;

    @JsonPropertyDescription("When the autoscaler last changed the replica count (RFC 3339).")
    private String lastScaleTime;

    @JsonPropertyDescription(
            "Pods draining before their removal: they refuse new sessions while their live ones go on.")
    private Integer drainingReplicas;

    @JsonPropertyDescription("The draining pods: name, sessions left, and since when.")
    private List<DrainingPod> drainingPods = new ArrayList<>();

    @JsonPropertyDescription("Ready, MetricsAvailable and ScalingLimited.")
    private List<Condition> conditions = new ArrayList<>();

    public Long getObservedGeneration() {
        return observedGeneration;
    }

    public void setObservedGeneration(Long observedGeneration) {
        this.observedGeneration = observedGeneration;
    }

    public Integer getReplicas() {
        return replicas;
    }

    public void setReplicas(Integer replicas) {
        this.replicas = replicas;
    }

    public Integer getReadyReplicas() {
        return readyReplicas;
    }

    public void setReadyReplicas(Integer readyReplicas) {
        this.readyReplicas = readyReplicas;
    }

    public Integer getDesiredReplicas() {
        return desiredReplicas;
    }

    public void setDesiredReplicas(Integer desiredReplicas) {
        this.desiredReplicas = desiredReplicas;
    }

    public Long getActiveSessions() {
        return activeSessions;
    }

    public void setActiveSessions(Long activeSessions) {
        this.activeSessions = activeSessions;
    }

    public Long getCapacity() {
        return capacity;
    }

    public void setCapacity(Long capacity) {
        this.capacity = capacity;
    }

    public String getLastScaleTime() {
        return lastScaleTime;
    }

    public void setLastScaleTime(String lastScaleTime) {
        this.lastScaleTime = lastScaleTime;
    }

    public Integer getDrainingReplicas() {
        return drainingReplicas;
    }

    public void setDrainingReplicas(Integer drainingReplicas) {
        this.drainingReplicas = drainingReplicas;
    }

    public List<DrainingPod> getDrainingPods() {
        return drainingPods;
    }

    public void setDrainingPods(List<DrainingPod> drainingPods) {
        this.drainingPods = drainingPods;
    }

    public List<Condition> getConditions() {
        return conditions;
    }

    public void setConditions(List<Condition> conditions) {
        this.conditions = conditions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpeechServiceStatus s
                && Objects.equals(observedGeneration, s.observedGeneration)
                && Objects.equals(replicas, s.replicas)
                && Objects.equals(readyReplicas, s.readyReplicas)
                && Objects.equals(desiredReplicas, s.desiredReplicas)
                && Objects.equals(activeSessions, s.activeSessions)
                && Objects.equals(capacity, s.capacity)
                && Objects.equals(lastScaleTime, s.lastScaleTime)
                && Objects.equals(drainingReplicas, s.drainingReplicas)
                && Objects.equals(drainingPods, s.drainingPods)
                && Objects.equals(conditions, s.conditions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                observedGeneration,
                replicas,
                readyReplicas,
                desiredReplicas,
                activeSessions,
                capacity,
                lastScaleTime,
                drainingReplicas,
                drainingPods,
                conditions);
    }
}
