package dev.earshot.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Optional;

/**
 * Ready means: the Deployment controller has rolled out the latest spec and every requested pod
 * is ready to take sessions. Anything less says which step is missing.
 */
public final class ReadyCondition {

    private ReadyCondition() {}

    /**
     * The Ready condition for a Deployment (null when it does not exist yet).
     */
    public static Condition of(Deployment deployment) {
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
        if (ready < wanted) {
            return Conditions.of(
                    Conditions.READY, false, "ReplicasNotReady", ready + " of " + wanted + " pods are ready");
        }
        return Conditions.of(Conditions.READY, true, "AllReplicasReady", ready + " of " + wanted + " pods are ready");
    }
}
