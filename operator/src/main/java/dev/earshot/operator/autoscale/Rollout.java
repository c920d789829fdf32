package dev.earshot.operator.autoscale;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import java.util.Optional;

/**
 * Whether a Deployment is rolling out a new pod template. While it is, lowering its replica count
 * is left alone: the Deployment controller would spread the decrement over the old and the new
 * ReplicaSet, and the pod it removes need not be the one that drained.
 */
public final class Rollout {

    private Rollout() {}

    /**
     * True while the Deployment controller has not acted on the latest spec, or fewer pods than
     * asked for run the latest template. A Deployment without a status yet counts as settled:
     * there is nothing to roll.
     */
    public static boolean inProgress(Deployment deployment) {
        DeploymentStatus status = deployment.getStatus();
        if (status == null) {
            return false;
        }
        Long generation = deployment.getMetadata().getGeneration();
        if (generation != null
                && status.getObservedGeneration() != null
                && status.getObservedGeneration() < generation) {
            return true;
        }
        int wanted = Optional.ofNullable(deployment.getSpec().getReplicas()).orElse(1);
        int updated = Optional.ofNullable(status.getUpdatedReplicas()).orElse(0);
        return updated < wanted;
    }
}
