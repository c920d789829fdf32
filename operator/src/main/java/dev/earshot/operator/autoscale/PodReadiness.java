package dev.earshot.operator.autoscale;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * Which pods count. Only ready pods hold sessions (the Service sends none to others), and a pod
 * being deleted is already draining; both rules match what the endpoints controller does.
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
