package dev.earshot.operator.autoscale;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;

/**
 * Marks a drained pod with the lowest {@code controller.kubernetes.io/pod-deletion-cost} before
 * the replica count drops by one, so that the ReplicaSet removes that pod and no other. The
 * ReplicaSet compares the cost only between pods alike in scheduling, phase and readiness;
 * {@link DrainStateMachine} waits until the drained pod is as far ahead on those as it needs.
 */
public final class DeletionCost {

    /** The annotation the ReplicaSet controller reads when it picks pods to remove. */
    public static final String ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";
    /** The lowest cost the API accepts (an int32): this pod goes first. */
    public static final int REMOVE_FIRST = Integer.MIN_VALUE;

    private final KubernetesClient client;

    public DeletionCost(KubernetesClient client) {
        this.client = client;
    }

    /** Sets the cost of one pod in {@code namespace}. */
    public void mark(String namespace, String pod, int cost) {
        String patch = "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"" + cost + "\"}}}";
        client.pods().inNamespace(namespace).withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
    }

    /** The cost currently on a pod, if any. */
    public static String of(Pod pod) {
        return pod.getMetadata().getAnnotations() == null
                ? null
                : pod.getMetadata().getAnnotations().get(ANNOTATION);
    }
}
