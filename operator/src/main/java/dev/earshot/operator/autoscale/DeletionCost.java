package dev.earshot.operator.autoscale;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;

/**
 * Marks pods with {@code controller.kubernetes.io/pod-deletion-cost} = their live sessions before
 * a scale-down, so the ReplicaSet removes the least-loaded pods first and cuts off (well, drains)
 * as few users as possible.
 */
public final class DeletionCost {

    /** The annotation the ReplicaSet controller reads when it picks pods to remove. */
    public static final String ANNOTATION = "controller.kubernetes.io/pod-deletion-cost";

    private final KubernetesClient client;

    public DeletionCost(KubernetesClient client) {
        this.client = client;
    }

    /**
     * Annotates each pod with its session count (clamped to int32, as the API requires).
     *
     * @param sessionsByPod pod name to sessions, all in {@code namespace}
     */
    public void mark(String namespace, Map<String, Long> sessionsByPod) {
        sessionsByPod.forEach((pod, sessions) -> {
            long cost = Math.min(sessions, Integer.MAX_VALUE);
            String patch = "{\"metadata\":{\"annotations\":{\"" + ANNOTATION + "\":\"" + cost + "\"}}}";
            client.pods().inNamespace(namespace).withName(pod).patch(PatchContext.of(PatchType.JSON_MERGE), patch);
        });
    }

    /** The cost currently on a pod, if any. */
    public static String of(Pod pod) {
        return pod.getMetadata().getAnnotations() == null
                ? null
                : pod.getMetadata().getAnnotations().get(ANNOTATION);
    }
}
