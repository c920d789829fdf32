package dev.earshot.operator.reconcile;

import dev.earshot.operator.autoscale.ClusterView;
import dev.earshot.operator.crd.SpeechService;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Optional;

/**
 * The autoscaler's view of the cluster on the reconciler's informer caches: the SpeechServices
 * (JOSDK's primary cache), the Deployments (the event source the Deployment dependent shares) and
 * the gateway pods ({@link GatewayPodEvents}). Reads cost no API request.
 */
final class InformerClusterView implements ClusterView {

    private final IndexerResourceCache<SpeechService> speechServices;
    private final InformerEventSource<Deployment, SpeechService> deployments;
    private final InformerEventSource<Pod, SpeechService> pods;

    InformerClusterView(
            IndexerResourceCache<SpeechService> speechServices,
            InformerEventSource<Deployment, SpeechService> deployments,
            InformerEventSource<Pod, SpeechService> pods) {
        this.speechServices = speechServices;
        this.deployments = deployments;
        this.pods = pods;
    }

    @Override
    public Optional<SpeechService> speechService(ResourceID id) {
        return speechServices.get(id);
    }

    /** The Deployment has the SpeechService's name and namespace (see {@code Owners.metadata}). */
    @Override
    public Optional<Deployment> deployment(ResourceID id) {
        return deployments.get(id);
    }

    @Override
    public List<Pod> pods(SpeechService owner) {
        return List.copyOf(pods.getSecondaryResources(owner));
    }
}
