package dev.earshot.operator.autoscale;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Which pods take new sessions: the ones the endpoints controller puts behind the Service. A pod
 * that is not Ready may still hold sessions it took before (a Riva health check that flaps turns
 * it not-Ready), so the autoscaler reads every running pod and uses readiness for what it says:
 * whether the pod is being sent new sessions, and whether the ReplicaSet would remove it early.
 */
public final class PodReadiness {

    private PodReadiness() {}

    /** True for a running, Ready pod with an IP that is not being deleted. */
    public static boolean isReady(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null || pod.getStatus() == null) {
            return false;
        }
        var status = pod.getStatus();
        if (!"Running".equals(status.getPhase())
                || status.getPodIP() == null
                || status.getPodIP().isBlank()
                || status.getConditions() == null) {
            return false;
        }
        return status.getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
