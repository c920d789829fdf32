package dev.earshot.operator.autoscale;

import io.javaoperatorsdk.operator.processing.event.ResourceID;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The hand-off from the autoscaler to the reconciler. The autoscaler writes its decisions and
 * observations here and asks for a reconcile; the reconciler is then the only writer of the
 * Deployment and of the SpeechService status. One writer per object means an autoscaler decision
 * cannot be overwritten by a reconcile that started just before it: JOSDK runs another reconcile
 * after the one in flight, and that one reads the new decision.
 */
public final class ScalingLedger {

    /**
     * What the last poll saw.
     *
     * @param activeSessions sessions on the ready pods that answered
     * @param capacity ready pods x sessions.maxPerReplica
     * @param metricsAvailable whether every ready pod answered
     * @param metricsReason condition reason for MetricsAvailable
     * @param metricsMessage condition message for MetricsAvailable
     * @param limit whether a bound cut the raw recommendation
     * @param limitMessage condition message for ScalingLimited
     * @param lastScaleTime when the autoscaler last changed the replicas, if it has
     * @param draining the pods that drain, by name
     */
    public record Observation(
            long activeSessions,
            long capacity,
            boolean metricsAvailable,
            String metricsReason,
            String metricsMessage,
            Decision.Limit limit,
            String limitMessage,
            Optional<Instant> lastScaleTime,
            List<DrainStateMachine.Drain> draining) {

        public Observation {
            draining = List.copyOf(draining);
        }
    }

    private final ConcurrentMap<ResourceID, Integer> decisions = new ConcurrentHashMap<>();
    private final ConcurrentMap<ResourceID, Observation> observations = new ConcurrentHashMap<>();

    /** The replica count the autoscaler decided last, if it changed the count in this process. */
    public Optional<Integer> decidedReplicas(ResourceID id) {
        return Optional.ofNullable(decisions.get(id));
    }

    /** The latest poll's observation, if there was a poll in this process. */
    public Optional<Observation> observation(ResourceID id) {
        return Optional.ofNullable(observations.get(id));
    }

    /** Records a new replica count. */
    public void decide(ResourceID id, int replicas) {
        decisions.put(id, replicas);
    }

    /**
     * Records an observation.
     *
     * @return true when it differs from the previous one (the status needs an update)
     */
    public boolean observe(ResourceID id, Observation observation) {
        return !observation.equals(observations.put(id, observation));
    }

    /** Forgets a SpeechService that is gone or no longer autoscaled. */
    public void forget(ResourceID id) {
        decisions.remove(id);
        observations.remove(id);
    }
}
