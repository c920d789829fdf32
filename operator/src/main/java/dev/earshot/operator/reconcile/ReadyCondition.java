package dev.earshot.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Optional;

/**
 * Ready means: the Deployment controller has rolled out the latest spec and every requested pod
 * that serves is ready to take sessions. A pod that drains before its removal is not Ready on
 * purpose (the Service must stop sending it sessions), so it does not count against Ready.
 * Anything less says which step is missing.
 */
public final class ReadyCondition {

    private ReadyCondition() {}

    /**
     * The Ready condition for a Deployment (null when it does not exist yet) of which
     * {@code draining} pods drain.
     */
    public static Condition of(Deployment deployment, int draining) {
        if (deployment == null) {
            return Conditions.of(
                    Conditions.READY, false, "DeploymentPending", "the Deployment has not been created yet");
        }
        int wanted = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
        var status = deployment.getStatus();
        Long generation = deployment.getMetadata().getGeneration();
        if (status == null
                || status.getObservedGeneration() == null
                || (generation != null && status.getObservedGeneration() < generation)) {
            return Conditions.of(
                    Conditions.READY,
                    false,
                    "RollingOut",
                    "the Deployment controller has not yet acted on the latest spec");
        }
        int updated = Optional.ofNullable(status.getUpdatedReplicas()).orElse(0);
        int ready = Optional.ofNullable(status.getReadyReplicas()).orElse(0);
        if (updated < wanted) {
            return Conditions.of(
                    Conditions.READY, false, "RollingOut", updated + " of " + wanted + " pods run the latest spec");
        }
        int serving = wanted - draining;
        String drains = draining > 0 ? " (" + draining + " draining)" : "";
        if (ready < serving) {
            return Conditions.of(
                    Conditions.READY,
                    false,
                    "ReplicasNotReady",
                    ready + " of " + serving + " serving pods are ready" + drains);
        }
        return Conditions.of(
                Conditions.READY,
                true,
                "AllReplicasReady",
                ready + " of " + serving + " serving pods are ready" + drains);
    }
}
