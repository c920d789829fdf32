package dev.earshot.operator.testing;

import dev.earshot.operator.crd.SpeechService;
import dev.earshot.operator.model.Labels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Gateway pods as the Deployment's ReplicaSet would make them once they run: the mock API server
 * runs no kubelet, so tests put a Running, Ready pod with a loopback IP (where the test's own
 * metrics endpoint or gateway listens) in the owner's namespace themselves.
 */
public final class GatewayPods {

    private GatewayPods() {}

    /** Creates a Running, Ready pod of {@code owner} named {@code name}, with pod IP 127.0.0.1. */
    public static Pod createRunning(KubernetesClient client, SpeechService owner, String name) {
        Pod pod = new PodBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(Labels.all(owner))
                .endMetadata()
                .withNewSpec()
                .addNewContainer()
                .withName("earshot")
                .withImage("earshot:1.0")
                .endContainer()
                .endSpec()
                .withNewStatus()
                .withPhase("Running")
                .withPodIP("127.0.0.1")
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build();
        Pod created = client.pods().resource(pod).create();
        if (created.getStatus() == null || created.getStatus().getPodIP() == null) {
            created.setStatus(pod.getStatus()); // the mock server drops status on create
            created = client.pods().resource(created).updateStatus();
        }
        return created;
    }
}
